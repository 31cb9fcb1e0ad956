import type { Queryable } from '../../../infra/db.js';
import { previousPeriod, type Period } from './periods.js';
import { isPastThreshold, rankRising, withGrowth, type RiseThreshold, type RisingTerm } from './rising.js';
import { countCases, countTerms, termDetails, type TermDetail } from './term-counts.js';
import { pendingCaseCount } from './term-index.js';
import { existingWordIds } from './term-store.js';
import { loadWatchList, thresholdOf } from './watch-list.js';

/** What the centre asks: a period, optionally one division (code prefix), how many terms. */
export interface HotTopicsQuery {
  readonly period: Period;
  readonly divisionPrefix?: string;
  readonly limit: number;
  /** Terms mentioned fewer times than this in the period are not ranked. */
  readonly minCount: number;
}

/** A ranked term or category with where it clusters. */
export type HotTopic = RisingTerm & TermDetail;

/** A watch-list term, listed whatever its counts, with its threshold. */
export type WatchedTopic = HotTopic & { readonly threshold: RiseThreshold; readonly pastThreshold: boolean };

/** The hot-topic report. */
export interface HotTopicsReport {
  readonly period: Period;
  readonly previousPeriod: Period;
  readonly divisionPrefix: string | null;
  /** Indexed cases received in each period. */
  readonly cases: { readonly current: number; readonly previous: number };
  readonly terms: readonly HotTopic[];
  readonly categories: readonly HotTopic[];
  readonly watched: readonly WatchedTopic[];
  /** Cases registered but not indexed yet, so not counted here (the indexer runs behind intake). */
  readonly pendingCases: number;
}

const DIVISIONS_PER_TERM = 5;
const EXAMPLES_PER_TERM = 3;

/**
 * The terms and categories rising fastest in the period against the period of equal length
 * before it (growth = (current + 5) / (previous + 5), see rising.ts), each with the divisions its
 * cases cluster in and example case numbers, and the watch-list terms whatever their counts.
 */
export async function hotTopics(db: Queryable, query: HotTopicsQuery): Promise<HotTopicsReport> {
  const previous = previousPeriod(query.period);
  const watchList = await loadWatchList(db);
  const watchIds = await existingWordIds(db, watchList.terms.map((t) => t.term));
  const counts = await countTerms(db, { current: query.period, previous }, { divisionPrefix: query.divisionPrefix, minCount: query.minCount, always: [...watchIds.values()] });
  const ranking = { limit: query.limit, minCount: query.minCount };
  const terms = rankRising(counts.filter((c) => c.kind === 'word'), ranking);
  const categories = rankRising(counts.filter((c) => c.kind === 'category'), ranking);
  const byId = new Map(counts.map((c) => [c.termId, c]));
  const watched = watchList.terms.map((w) => {
    const termId = watchIds.get(w.term) ?? -1;
    const rising = withGrowth(byId.get(termId) ?? { termId, kind: 'word', term: w.term, current: 0, previous: 0 });
    const threshold = thresholdOf(watchList, w);
    return { ...rising, threshold, pastThreshold: isPastThreshold(rising, threshold) };
  });
  const detailIds = [...new Set([...terms, ...categories, ...watched].map((t) => t.termId).filter((id) => id >= 0))];
  const details = await termDetails(db, detailIds, query.period, { divisionPrefix: query.divisionPrefix, divisions: DIVISIONS_PER_TERM, examples: EXAMPLES_PER_TERM });
  const withDetail = <T extends RisingTerm>(t: T): T & TermDetail => ({ ...t, ...(details.get(t.termId) ?? { divisions: [], counties: [], examples: [] }) });
  return {
    period: query.period,
    previousPeriod: previous,
    divisionPrefix: query.divisionPrefix ?? null,
    cases: await countCases(db, { current: query.period, previous }, query.divisionPrefix),
    terms: terms.map(withDetail),
    categories: categories.map(withDetail),
    watched: watched.map(withDetail),
    pendingCases: await pendingCaseCount(db),
  };
}
