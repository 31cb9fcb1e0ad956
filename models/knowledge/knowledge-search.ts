import { readFileSync } from 'node:fs';
import type { Queryable } from '../../infra/db.js';
import { segmenterFor } from '../../routing-rules/segmenter.js';
import { knowledgeRevision, loadSearchableArticles, type KnowledgeArticle } from './knowledge.repository.js';
import { buildKnowledgeIndex, buildSynonymTable, isValidOn, parseWordLines, rankArticles, type KnowledgeIndex, type SynonymTable, type Tokenize } from './ranking.js';

/** The word lists search reads: synonym groups and the words a question is made of that say nothing of its matter. */
export interface SearchVocabulary {
  readonly tokenize: Tokenize;
  readonly synonyms: SynonymTable;
  readonly stopWords: ReadonlySet<string>;
}

let vocabulary: SearchVocabulary | undefined;

/**
 * The synonym and stop-word files, read once per process. jieba is taught every synonym as a word,
 * so that 学区 or 落户 reach the ranking whole in the articles and in the questions alike.
 */
export function searchVocabulary(): SearchVocabulary {
  if (vocabulary) return vocabulary;
  const groups = parseWordLines(readFileSync(new URL('./synonyms.txt', import.meta.url), 'utf8'));
  const stopWords = new Set(parseWordLines(readFileSync(new URL('./stop-words.txt', import.meta.url), 'utf8')).flat());
  const segmenter = segmenterFor(groups.flat().filter((w) => w.length > 1));
  const tokenize: Tokenize = (text) => segmenter.tokenize(text);
  vocabulary = { tokenize, synonyms: buildSynonymTable(groups, tokenize), stopWords };
  return vocabulary;
}

/** A search hit: the article, its score and the words of the question it matched. */
export interface KnowledgeHit {
  readonly article: KnowledgeArticle;
  readonly score: number;
  readonly matched: readonly string[];
}

/** Search options: the day articles must be in force on (null: any), owning units, and how many hits. */
export interface SearchOptions {
  readonly validOn: string | null;
  readonly unitCodes?: readonly string[];
  readonly limit: number;
}

/** Searches the knowledge base; the index is rebuilt when the database's articles have changed. */
export interface KnowledgeSearch {
  search(query: string, options: SearchOptions): Promise<KnowledgeHit[]>;
}

/**
 * The knowledge search of one process. Each search first reads the knowledge base's revision (one
 * small aggregate): an article written through any process is found by the next search here.
 */
export function createKnowledgeSearch(db: Queryable): KnowledgeSearch {
  let current: { revision: string; index: KnowledgeIndex; byId: Map<string, KnowledgeArticle> } | undefined;
  let loading: Promise<NonNullable<typeof current>> | undefined;
  const load = async (): Promise<NonNullable<typeof current>> => {
    const { revision, articles } = await loadSearchableArticles(db);
    const index = buildKnowledgeIndex(articles, searchVocabulary());
    return { revision, index, byId: new Map(articles.map((a) => [a.id, a])) };
  };
  const indexNow = async (): Promise<NonNullable<typeof current>> => {
    const revision = await knowledgeRevision(db);
    if (current?.revision === revision) return current;
    // Searches arriving while the index is rebuilt share the one rebuild.
    loading ??= load().finally(() => {
      loading = undefined;
    });
    current = await loading;
    return current;
  };
  return {
    async search(query, options) {
      const { index, byId } = await indexNow();
      const units = options.unitCodes && new Set(options.unitCodes);
      const ranked = rankArticles(index, query, {
        limit: options.limit,
        filter: (a) => (options.validOn === null || isValidOn(a, options.validOn)) && (!units || units.has(byId.get(a.id)?.unitCode ?? '')),
      });
      return ranked.flatMap((r) => {
        const article = byId.get(r.article.id);
        return article ? [{ article, score: r.score, matched: r.matched }] : [];
      });
    },
  };
}
