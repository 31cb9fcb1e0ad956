import { readFileSync } from 'node:fs';
import { linyiPlaceWords } from '../../../routing-rules/gazetteer.js';
import { ZONES } from '../../org/seed/departments.js';
import { jiebaIdf } from '../../../routing-rules/word-specificity.js';
import { deIdentify } from '../../privacy/de-identify.js';
import { buildKeywordIndex, findKeywords, type KeywordIndex, normalizeText, type Segmenter, segmenterFor } from '../../../routing-rules/segmenter.js';

/**
 * At most this many terms per case, the most specific first: a 5,000-character letter must not
 * weigh a hundred times a phone call, nor grow the term table by hundreds of rows.
 */
export const MAX_TERMS_PER_CASE = 20;

/** The word lists term extraction filters with. */
export interface TermFilters {
  readonly stopWords: ReadonlySet<string>;
  /**
   * County, township and zone names and every piece of them (许家 of 许家湖镇, 边镇 of 洙边镇, 保税区
   * of 临沂综合保税区): where a case is, which the divisions already report.
   */
  readonly placeNames: ReadonlySet<string>;
  /** jieba's inverse document frequencies: the higher, the more specific the word. */
  readonly idf: (word: string) => number;
}

/** Turns a case's title and content into its distinct terms. */
export interface TermExtractor {
  extract(title: string | null, content: string): string[];
}

/** Parses the curated stop-word file: words separated by white space, '#' starting a comment. */
export function parseStopWords(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.replace(/#.*/, ''))
      .flatMap((line) => line.split(/\s+/))
      .filter((word) => word.length > 0)
      .map(normalizeText),
  );
}

let filters: TermFilters | undefined;

/** Every run of two characters or more of a name, the name included. */
function pieces(name: string): string[] {
  const chars = [...name];
  const runs: string[] = [];
  for (let from = 0; from < chars.length - 1; from += 1) {
    for (let to = from + 2; to <= chars.length; to += 1) runs.push(chars.slice(from, to).join(''));
  }
  return runs;
}


/** The stop words, Linyi's place names and jieba's IDF table, read once per process. */
export function termFilters(): TermFilters {
  if (filters) return filters;
  const stopWords = parseStopWords(readFileSync(new URL('./stop-words.txt', import.meta.url), 'utf8'));
  // The zones of the org tree (临沂综合保税区, 蒙山旅游区…) are places as much as the gazetteer's divisions.
  const placeNames = new Set([...linyiPlaceWords(), ...ZONES.map((z) => z.name)].flatMap(pieces).map(normalizeText));
  filters = { stopWords, placeNames, idf: jiebaIdf() };
  return filters;
}

/**
 * A count or a span rather than a thing: numerals and a measure word (三个, 半年, 好几天, 一家,
 * 六楼). Calls are full of them and no list could hold every one.
 */
const QUANTITY = /^[零一二两三四五六七八九十百千万几半好多每整][零一二两三四五六七八九十百千万几多来]*[个只条家块点股下把些天年月日号周次回趟遍层楼户间座辆车桶袋分斤元毛岁种样步]?$/u;

/** The caller's own people and places in Shandong speech (俺们, 俺家, 恁村, 咱庄): who speaks, not what about. */
const DIALECT_PRONOUN = /^[俺恁咱]/u;

/** Whether a token can be a topic: two characters or more, with a letter, no count or pronoun, and on no stop list. */
export function isTopicToken(token: string, lists: Pick<TermFilters, 'stopWords' | 'placeNames'>): boolean {
  if ([...token].length < 2 || !/\p{L}/u.test(token) || /\s/.test(token)) return false;
  if (QUANTITY.test(token) || DIALECT_PRONOUN.test(token)) return false;
  return !lists.stopWords.has(token) && !lists.placeNames.has(token);
}

/**
 * The terms of a tokenised text: distinct topic tokens, the MAX_TERMS_PER_CASE most specific of
 * them (by IDF, ties in order of appearance), then every watch-list term the text holds, which is
 * always kept whatever the stop lists and the cap say.
 */
export function termsOfTokens(tokens: readonly string[], lists: TermFilters, watch?: KeywordIndex): string[] {
  const distinct = [...new Set(tokens.filter((token) => isTopicToken(token, lists)))];
  const ranked = distinct
    .map((term, order) => ({ term, order, weight: lists.idf(term) }))
    .sort((a, b) => b.weight - a.weight || a.order - b.order)
    .slice(0, MAX_TERMS_PER_CASE)
    .map((t) => t.term);
  const watched = watch && watch.words.size > 0 ? findKeywords(tokens, watch) : new Set<string>();
  return [...new Set([...ranked, ...[...watched].sort()])];
}

/** Normalises watch-list terms as case texts are normalised, dropping blanks and repeats. */
export function normalizeWatchTerms(terms: Iterable<string>): string[] {
  return [...new Set([...terms].map((t) => normalizeText(t.trim())).filter((t) => t.length > 0))].sort();
}

/**
 * A term extractor whose jieba instance knows the watch-list terms and Linyi's place names as
 * words (segmenterFor caches one instance per word list), so that a watched compound is one token
 * and is counted as such. The catalogue's words are not taught here: some are phrases (化粪池满)
 * that would cut a topic word off its text.
 */
export function createTermExtractor(watchTerms: readonly string[], segmenter: Segmenter = segmenterFor(normalizeWatchTerms(watchTerms))): TermExtractor {
  const watch = buildKeywordIndex(normalizeWatchTerms(watchTerms));
  const lists = termFilters();
  return {
    // Names and contact details are never topics: a hot-topic list quoting them would publish them.
    extract: (title, content) => termsOfTokens(segmenter.tokenize(normalizeText(deIdentify(title ? `${title}\n${content}` : content))), lists, watch),
  };
}
