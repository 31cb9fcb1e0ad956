import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { linyiPlaceWords } from './gazetteer.js';

/** Segments text into jieba tokens, with one rule set's keywords taught as words. */
export interface Segmenter {
  tokenize(text: string): string[];
}

// Frequency given to rule keywords: high enough that 路灯 wins in 村东路灯不亮 (against 东路 +
// 灯不亮), low enough that 马路灯光 still reads 马路 + 灯光 (jieba weighs the whole path).
const KEYWORD_FREQUENCY = 100_000;

// jieba cannot forget a word, so each keyword set gets its own instance: a keyword of a deleted
// rule must not go on changing how a process segments text. Loading the default dictionary takes
// about 180 ms, so instances are kept for the few keyword sets in use (the current rule set, and
// the sets tests compile again and again).
const CACHE_SIZE = 8;
const cache = new Map<string, Segmenter>();

/** Folds full-width forms and case, so ＰＭ２.５ and pm2.5 are the same keyword. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * A segmenter knowing exactly these keywords and Linyi's place names (besides jieba's default
 * dictionary), so that processes holding the same rule set segment the same text the same way.
 */
export function segmenterFor(keywords: Iterable<string>): Segmenter {
  const words = [...new Set(keywords)].filter((word) => !/\s/.test(word)).sort();
  const key = words.join('\n');
  const cached = cache.get(key);
  if (cached) {
    // Re-inserting marks it most recently used.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const jieba = Jieba.withDict(dict);
  const taught = [...new Set([...linyiPlaceWords(), ...words])];
  jieba.loadDict(Buffer.from(taught.map((word) => `${word} ${KEYWORD_FREQUENCY}\n`).join('')));
  // No HMM: unknown runs stay single characters, so they cannot swallow a keyword.
  const segmenter: Segmenter = { tokenize: (text) => jieba.cut(text, false) };
  cache.set(key, segmenter);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return segmenter;
}

/** A keyword set prepared for matching: the words, every proper beginning of one, and the longest word's length. */
export interface KeywordIndex {
  readonly words: ReadonlySet<string>;
  /** A run of tokens that is no keyword's beginning cannot grow into one: matching stops there. */
  readonly prefixes: ReadonlySet<string>;
  readonly maxLength: number;
}

/** Prepares keyword matching for a rule set. */
export function buildKeywordIndex(words: Iterable<string>): KeywordIndex {
  const set = new Set(words);
  const prefixes = new Set<string>();
  let maxLength = 0;
  for (const word of set) {
    maxLength = Math.max(maxLength, word.length);
    for (let end = 1; end < word.length; end += 1) prefixes.add(word.slice(0, end));
  }
  return { words: set, prefixes, maxLength };
}

/**
 * The keywords present in the tokens. A keyword is present when it lies inside one token (公积金 in
 * 住房公积金, which another rule may have taught jieba) or when a run of whole tokens spells it
 * (公积 + 金): never across a token boundary, so 路灯 does not match 马路 + 灯光. With `inside`
 * false only whole tokens and runs count: for a vocabulary jieba was taught in full, a word inside
 * a token is another word (动车 in 电动车).
 */
export function findKeywords(tokens: readonly string[], index: KeywordIndex, inside = true): Set<string> {
  const found = new Set<string>();
  for (let start = 0; start < tokens.length; start += 1) {
    if (inside) addKeywordsInside(tokens[start] ?? '', index, found);
    let run = '';
    for (let end = start; end < tokens.length; end += 1) {
      run += tokens[end];
      if (run.length > index.maxLength) break;
      if (index.words.has(run)) found.add(run);
      if (!index.prefixes.has(run)) break;
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
      if (!index.prefixes.has(part)) break;
    }
  }
}
