import { linyiPlaceWords } from './gazetteer.js';

const HAN = /^\p{Script=Han}+$/u;
const PAIR = 'b:';

/**
 * The tokens the learned model sees: every pair of adjacent Chinese characters (`b:路灯`) within a
 * run of words between place names, numbers and punctuation.
 *
 * Pairs rather than words, because the segmenter knows no word a caller invents (下水管子,
 * 黑咕隆咚) and leaves it as single characters, while its pairs still share 水管 or 黑咕 with the
 * wordings the model has seen. On evaluation sets A to D, a model taught only the catalogue's
 * wordings (8 a matter) was right in 95% of the cases it was 0.99 sure of with pairs, in 90% with
 * words and pairs.
 * Place names are left out, since the model's labels are relative to the case's place and a
 * township's name must not teach it anything about what kind of matter a case is.
 */
export function modelTokens(tokens: readonly string[]): string[] {
  return new ModelReading(tokens).tokens;
}

/**
 * A case's words as a classifier reads them: its tokens (modelTokens), and the case's own phrases
 * behind a classifier's evidence, as staff read them: each pair of characters widened to the
 * segmenter's words it falls in, and words next to each other joined, so that 吵得 and 得全 of
 * 吵得全楼都睡不着 read 吵得全 as the segmenter cuts it (a pair alone often spans two words, 路与 of
 * 建设路与府前街).
 */
export class ModelReading {
  readonly tokens: string[] = [];
  // For each token: the first and the last word it touches (indexes into the case's words).
  private readonly spans: (readonly [number, number])[] = [];
  private positions: Map<string, number[]> | undefined;

  constructor(private readonly words: readonly string[]) {
    const places = linyiPlaceWords();
    let run = '';
    let wordAt: number[] = [];
    const endRun = (): void => {
      for (let i = 0; i + 1 < run.length; i += 1) {
        this.tokens.push(`${PAIR}${run.slice(i, i + 2)}`);
        this.spans.push([wordAt[i] as number, wordAt[i + 1] as number]);
      }
      run = '';
      wordAt = [];
    };
    words.forEach((word, index) => {
      if (places.has(word) || !HAN.test(word)) return endRun();
      run += word;
      for (let c = 0; c < word.length; c += 1) wordAt.push(index);
    });
    endRun();
  }

  /** The phrases holding the evidence, strongest evidence first, then in the order of the text. */
  phrases(evidence: readonly string[]): string[] {
    const positions = this.positions ?? new Map<string, number[]>();
    if (!this.positions) {
      this.tokens.forEach((token, i) => (positions.get(token) ?? positions.set(token, []).get(token))?.push(i));
      this.positions = positions;
    }
    const rankOfWord = new Map<number, number>();
    evidence.forEach((token, rank) => {
      for (const i of positions.get(token) ?? []) {
        const [first, last] = this.spans[i] as readonly [number, number];
        for (let w = first; w <= last; w += 1) rankOfWord.set(w, Math.min(rankOfWord.get(w) ?? rank, rank));
      }
    });
    const found: { phrase: string; rank: number; at: number }[] = [];
    for (const w of [...rankOfWord.keys()].sort((a, b) => a - b)) {
      const last = found.at(-1);
      const rank = rankOfWord.get(w) as number;
      // Words of two runs are never next to each other: a place name, number or punctuation lies between.
      if (last && rankOfWord.has(w - 1)) {
        last.phrase += this.words[w];
        last.rank = Math.min(last.rank, rank);
      } else found.push({ phrase: this.words[w] as string, rank, at: w });
    }
    return [...new Set(found.sort((a, b) => a.rank - b.rank || a.at - b.at).map(({ phrase }) => phrase))];
  }
}
