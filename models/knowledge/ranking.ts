/**
 * Relevance ranking of knowledge-base articles over jieba tokens, with synonyms (pure: no I/O).
 * A citizen asks "孩子上学的学区怎么划"; the article says "义务教育阶段招生入学区域划分": no word is
 * shared, so each query word stands for a concept (the word and its synonyms), and an article
 * scores by the concepts it covers, weighted by how rare each concept is among the articles.
 */

/** Turns text into tokens: the one segmenter that both the index and the queries use. */
export type Tokenize = (text: string) => readonly string[];

/** The words of a synonym group, each as the tokens it segments into. */
export interface SynonymTable {
  /** Every way of saying `word`, as token sequences; empty when the word has no group. */
  alternativesOf(word: string): readonly (readonly string[])[];
  /** Whether the table knows the word (a single character in it carries meaning: 划, 迁, 补). */
  has(word: string): boolean;
}

/** Parses a word list: one group a line, words separated by white space or commas, '#' starting a comment. */
export function parseWordLines(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').split(/[\s,，、]+/).map((w) => w.trim().normalize('NFKC').toLowerCase()).filter((w) => w.length > 0))
    .filter((words) => words.length > 0);
}

/** A synonym table from groups of interchangeable words; a word in several groups joins them all. */
export function buildSynonymTable(groups: readonly (readonly string[])[], tokenize: Tokenize): SynonymTable {
  const byWord = new Map<string, Set<string>>();
  for (const group of groups) {
    for (const word of group) {
      const set = byWord.get(word) ?? new Set<string>();
      for (const other of group) if (other !== word) set.add(other);
      byWord.set(word, set);
    }
  }
  const tokens = new Map<string, readonly string[]>();
  const tokensOf = (word: string): readonly string[] => {
    let cut = tokens.get(word);
    if (!cut) {
      cut = tokenize(word).filter((t) => t.trim().length > 0);
      tokens.set(word, cut);
    }
    return cut;
  };
  return {
    alternativesOf: (word) => [...(byWord.get(word) ?? [])].map(tokensOf),
    has: (word) => byWord.has(word),
  };
}

/** An article as the index holds it. */
export interface IndexedArticle {
  readonly id: string;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly body: string;
  readonly validFrom: string;
  readonly validTo: string | null;
}

type Field = 'title' | 'keywords' | 'body';
const FIELDS: readonly Field[] = ['title', 'keywords', 'body'];

/** How much a match in each field says about the article. */
const FIELD_WEIGHTS: Readonly<Record<Field, number>> = { title: 3, keywords: 2.5, body: 1 };
/** A synonym is a little less sure than the word itself, and a word inside a longer one less again. */
const SYNONYM_MATCH = 0.8;
const PART_MATCH = 0.5;
/**
 * The number of query words from which one matched word never shows an article. Of the 5,357
 * labelled citizen requests of the routing sets, 4,019 were shown an article and 3,068 one that
 * matched a single word, nearly always a generic one (孩子, 老人, 水, 公司, 换); with this, 3,019
 * and 34. The paraphrase sets' hits are the same as without it (at 4, one held-out paraphrase
 * fell out of the first three).
 */
const LONG_TEXT = 5;
// BM25's usual constants, for the body, where repetition means something up to a point.
const K1 = 1.2;
const B = 0.75;

interface Document {
  readonly article: IndexedArticle;
  readonly fields: Readonly<Record<Field, ReadonlyMap<string, number>>>;
  readonly bodyLength: number;
}

/** The index: the articles' token counts per field, and which articles hold each token. */
export interface KnowledgeIndex {
  readonly documents: readonly Document[];
  readonly postings: ReadonlyMap<string, ReadonlySet<number>>;
  readonly averageBodyLength: number;
  readonly stopWords: ReadonlySet<string>;
  readonly synonyms: SynonymTable;
  readonly tokenize: Tokenize;
}

/** Tokens worth indexing or asking for: no stop words, punctuation or lone characters the synonym table does not know. */
export function meaningfulTokens(text: string, index: Pick<KnowledgeIndex, 'stopWords' | 'synonyms' | 'tokenize'>): string[] {
  return index
    .tokenize(text.normalize('NFKC').toLowerCase())
    .filter((t) => /[\p{L}\p{N}]/u.test(t) && !index.stopWords.has(t) && (t.length > 1 || index.synonyms.has(t)));
}

function countTokens(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Builds the index of a set of articles. */
export function buildKnowledgeIndex(articles: readonly IndexedArticle[], options: { tokenize: Tokenize; synonyms: SynonymTable; stopWords: ReadonlySet<string> }): KnowledgeIndex {
  const base = { ...options };
  const postings = new Map<string, Set<number>>();
  const documents = articles.map((article, i): Document => {
    const body = meaningfulTokens(article.body, base);
    // A keyword is a token as typed and as segmented: 学区划分 matches both 学区划分 and 学区.
    const keywordTokens = article.keywords.flatMap((k) => [k.normalize('NFKC').toLowerCase(), ...meaningfulTokens(k, base)]);
    const fields = { title: countTokens(meaningfulTokens(article.title, base)), keywords: countTokens(keywordTokens), body: countTokens(body) };
    for (const field of FIELDS) {
      for (const token of fields[field].keys()) {
        const set = postings.get(token) ?? new Set<number>();
        set.add(i);
        postings.set(token, set);
      }
    }
    return { article, fields, bodyLength: body.length };
  });
  const averageBodyLength = documents.reduce((sum, d) => sum + d.bodyLength, 0) / Math.max(1, documents.length);
  return { ...base, documents, postings, averageBodyLength };
}

/** One way a concept of the query may appear in an article: tokens that must all be there, and how sure a match is. */
interface Alternative {
  readonly tokens: readonly string[];
  readonly quality: number;
}

/** A word of the query, and the ways of saying it. */
interface Concept {
  readonly word: string;
  readonly alternatives: readonly Alternative[];
}

/** The vocabulary tokens that hold `token` or that it holds (two characters at least): 公积金 in 住房公积金. */
function partsOf(token: string, vocabulary: Iterable<string>): string[] {
  if (token.length < 2) return [];
  const found: string[] = [];
  for (const v of vocabulary) {
    if (v !== token && v.length >= 2 && (v.includes(token) || token.includes(v))) found.push(v);
  }
  return found;
}

/** The concepts of a query: each meaningful token with its synonyms and the longer or shorter words that contain it. */
export function conceptsOf(query: string, index: KnowledgeIndex): Concept[] {
  const concepts = new Map<string, Concept>();
  for (const word of meaningfulTokens(query, index)) {
    if (concepts.has(word)) continue;
    const alternatives: Alternative[] = [{ tokens: [word], quality: 1 }];
    for (const tokens of index.synonyms.alternativesOf(word)) alternatives.push({ tokens, quality: SYNONYM_MATCH });
    for (const single of alternatives.filter((a) => a.tokens.length === 1).map((a) => a.tokens[0] as string)) {
      for (const part of partsOf(single, index.postings.keys())) alternatives.push({ tokens: [part], quality: PART_MATCH });
    }
    concepts.set(word, { word, alternatives });
  }
  return [...concepts.values()];
}

/** How well one field holds an alternative: 0 when some token is missing, else its term frequency (least of its tokens). */
function frequencyIn(field: ReadonlyMap<string, number>, alternative: Alternative): number {
  let least = Infinity;
  for (const token of alternative.tokens) least = Math.min(least, field.get(token) ?? 0);
  return least === Infinity ? 0 : least;
}

/**
 * The score of one concept in one article, before its rarity: the best alternative, per field; and
 * whether the title or the keywords hold it.
 */
function conceptScore(doc: Document, concept: Concept, averageBodyLength: number): { total: number; inHeading: boolean } {
  let total = 0;
  let inHeading = false;
  for (const field of FIELDS) {
    let best = 0;
    for (const alternative of concept.alternatives) {
      const tf = frequencyIn(doc.fields[field], alternative);
      if (tf === 0) continue;
      const saturation = field === 'body' ? (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * doc.bodyLength) / Math.max(1, averageBodyLength))) : 1;
      best = Math.max(best, alternative.quality * saturation);
    }
    total += FIELD_WEIGHTS[field] * best;
    if (best > 0 && field !== 'body') inHeading = true;
  }
  return { total, inHeading };
}

/** A ranked article: its score, and the query words it matched (the reason it is shown). */
export interface RankedArticle {
  readonly article: IndexedArticle;
  readonly score: number;
  readonly matched: readonly string[];
}

/** Whether an article is in force on a day (YYYY-MM-DD; both ends included). */
export function isValidOn(article: Pick<IndexedArticle, 'validFrom' | 'validTo'>, day: string): boolean {
  return article.validFrom <= day && (article.validTo === null || article.validTo >= day);
}

/**
 * Ranks the articles for a query, best first. A concept's weight is its BM25 rarity among all the
 * articles (a word every article has says nothing); an article's score is the sum over the
 * concepts it covers, scaled by the share of concepts covered, so that matching more of what was
 * asked beats matching one word many times; of a question of three words or more, an article that
 * holds only one, and only in its text, is left out. `filter` keeps articles out (validity, unit) after
 * rarity is counted over the whole index, so a filter never changes the order of what remains.
 */
export function rankArticles(index: KnowledgeIndex, query: string, options: { limit: number; filter?: (a: IndexedArticle) => boolean }): RankedArticle[] {
  const concepts = conceptsOf(query, index);
  if (concepts.length === 0) return [];
  const n = index.documents.length;
  const scores = new Map<number, { score: number; matched: string[]; inHeading: boolean }>();
  for (const concept of concepts) {
    const holders = new Set<number>();
    for (const alternative of concept.alternatives) {
      const [first, ...rest] = alternative.tokens;
      for (const i of index.postings.get(first ?? '') ?? []) {
        if (rest.every((t) => index.postings.get(t)?.has(i))) holders.add(i);
      }
    }
    const rarity = Math.log(1 + (n - holders.size + 0.5) / (holders.size + 0.5));
    for (const i of holders) {
      const doc = index.documents[i];
      if (!doc) continue;
      const { total, inHeading } = conceptScore(doc, concept, index.averageBodyLength);
      const score = total * rarity;
      if (score <= 0) continue;
      const entry = scores.get(i) ?? { score: 0, matched: [], inHeading: false };
      entry.score += score;
      entry.matched.push(concept.word);
      entry.inHeading ||= inHeading;
      scores.set(i, entry);
    }
  }
  const ranked: RankedArticle[] = [];
  for (const [i, { score, matched, inHeading }] of scores) {
    const doc = index.documents[i];
    if (!doc || (options.filter && !options.filter(doc.article))) continue;
    // In a question of several words, one of them somewhere in an article's text is a coincidence,
    // not its topic (a caller's 小区 in a water supply article): it takes the title, the keywords
    // or a second word. A question of one or two words is all topic. In a longer text, as a caller's
    // complaint is typed at the desk, one word even in a title is a coincidence too (孩子 of a
    // stray dog's bite in 随迁子女入学, 老人 of a fall in the dark in 高龄津贴).
    if (concepts.length > 2 && matched.length < 2 && (!inHeading || concepts.length >= LONG_TEXT)) continue;
    const coverage = matched.length / concepts.length;
    ranked.push({ article: doc.article, score: score * (0.5 + 0.5 * coverage), matched });
  }
  return ranked.sort((a, b) => b.score - a.score || a.article.title.localeCompare(b.article.title, 'zh-CN')).slice(0, options.limit);
}
