import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

// Loading the default dictionary takes about 250 ms, so one instance serves every rule set.
let jieba: Jieba | undefined;
const taught = new Set<string>();

// Frequency given to rule keywords: high enough that 路灯 wins in 村东路灯不亮 (against 东路 +
// 灯不亮), low enough that 马路灯光 still reads 马路 + 灯光 (jieba weighs the whole path).
const KEYWORD_FREQUENCY = 100_000;

function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Folds full-width forms and case, so ＰＭ２.５ and pm2.5 are the same keyword. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * Adds rule keywords to jieba's dictionary so they segment as words. jieba cannot forget a word,
 * so keywords of earlier rule sets stay known; `findKeywords` also looks inside tokens, so such a
 * longer word (住房公积金) cannot hide a keyword (公积金).
 */
export function teachKeywords(keywords: Iterable<string>): void {
  const fresh = [...new Set(keywords)].filter((word) => !taught.has(word) && !/\s/.test(word));
  if (fresh.length === 0) return;
  segmenter().loadDict(Buffer.from(fresh.map((word) => `${word} ${KEYWORD_FREQUENCY}\n`).join('')));
  for (const word of fresh) taught.add(word);
}

/** The jieba tokens of a normalised text (no HMM: unknown runs stay single characters, so they cannot swallow a keyword). */
export function tokenize(text: string): string[] {
  return segmenter().cut(text, false);
}

/** A keyword set prepared for matching: the words and the longest word's length. */
export interface KeywordIndex {
  readonly words: ReadonlySet<string>;
  readonly maxLength: number;
}

/** Prepares keyword matching for a rule set. */
export function buildKeywordIndex(words: Iterable<string>): KeywordIndex {
  const set = new Set(words);
  let maxLength = 0;
  for (const word of set) maxLength = Math.max(maxLength, word.length);
  return { words: set, maxLength };
}

/**
 * The keywords present in the tokens. A keyword is present when it lies inside one token (公积金 in
 * 住房公积金, which another rule may have taught jieba) or when a run of whole tokens spells it
 * (公积 + 金): never across a token boundary, so 路灯 does not match 马路 + 灯光.
 */
export function findKeywords(tokens: readonly string[], index: KeywordIndex): Set<string> {
  const found = new Set<string>();
  for (let start = 0; start < tokens.length; start += 1) {
    addKeywordsInside(tokens[start] ?? '', index, found);
    let run = '';
    for (let end = start; end < tokens.length; end += 1) {
      run += tokens[end];
      if (run.length > index.maxLength) break;
      if (index.words.has(run)) found.add(run);
    }
  }
  return found;
}

/** Adds the keywords that are proper parts of one token. */
function addKeywordsInside(token: string, index: KeywordIndex, found: Set<string>): void {
  for (let from = 0; from < token.length - 1; from += 1) {
    const longest = Math.min(index.maxLength, token.length - from - (from === 0 ? 1 : 0));
    for (let length = 2; length <= longest; length += 1) {
      const part = token.slice(from, from + length);
      if (index.words.has(part)) found.add(part);
    }
  }
}
