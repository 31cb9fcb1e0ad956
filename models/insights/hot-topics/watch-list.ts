import { withTransaction, type Pool, type Queryable } from '../../../infra/db.js';
import { recordAudit } from '../../accounts/audit.repository.js';
import type { RiseThreshold } from './rising.js';
import { normalizeWatchTerms } from './terms.js';

/** A term the centre always tracks, with its own warning threshold when set. */
export interface WatchTerm {
  readonly term: string;
  readonly growth: number | null;
  readonly minCount: number | null;
  /** When the indexer found the term in the cases indexed before it was added; null: not yet. */
  readonly backfilledAt: Date | null;
  readonly addedAt: Date;
}

/** The early-warning settings and the watch list. */
export interface WatchList {
  /** The global threshold, for every term (when `allTerms`) and for watched terms without their own. */
  readonly growth: number;
  readonly minCount: number;
  /** Warnings compare the last `windowHours` with the `windowHours` before. */
  readonly windowHours: number;
  /** false: only watch-list terms raise warnings. */
  readonly allTerms: boolean;
  readonly terms: readonly WatchTerm[];
  readonly updatedAt: Date;
  readonly updatedBy: string | null;
}

/** A new watch list as an admin sends it. */
export interface WatchListInput {
  readonly growth: number;
  readonly minCount: number;
  readonly windowHours: number;
  readonly allTerms: boolean;
  readonly terms: readonly { readonly term: string; readonly growth?: number; readonly minCount?: number }[];
}

/** The threshold a term is held to. */
export function thresholdOf(list: Pick<WatchList, 'growth' | 'minCount'>, watched?: Pick<WatchTerm, 'growth' | 'minCount'>): RiseThreshold {
  return { growth: watched?.growth ?? list.growth, minCount: watched?.minCount ?? list.minCount };
}

/** The thresholds and scope an admin sets, without the terms. */
export function watchSettingsOf(list: WatchList): Pick<WatchList, 'growth' | 'minCount' | 'windowHours' | 'allTerms'> {
  return { growth: list.growth, minCount: list.minCount, windowHours: list.windowHours, allTerms: list.allTerms };
}

/** What the audit trail keeps of a watch list: the settings and terms an admin chose. */
function auditView(list: WatchList): Record<string, unknown> {
  return { ...watchSettingsOf(list), terms: list.terms.map((t) => ({ term: t.term, growth: t.growth, minCount: t.minCount })) };
}

interface SettingsRow {
  growth_threshold: number;
  min_count: number;
  window_hours: number;
  all_terms: boolean;
  updated_at: Date;
  updated_by: string | null;
}

interface TermRow {
  term: string;
  growth_threshold: number | null;
  min_count: number | null;
  backfilled_at: Date | null;
  added_at: Date;
}

/** Reads the settings and the watch list. */
export async function loadWatchList(db: Queryable): Promise<WatchList> {
  const [settings, terms] = await Promise.all([
    db.query<SettingsRow>('SELECT growth_threshold, min_count, window_hours, all_terms, updated_at, updated_by FROM hot_topic_settings'),
    db.query<TermRow>('SELECT term, growth_threshold, min_count, backfilled_at, added_at FROM hot_topic_watch_terms ORDER BY term'),
  ]);
  const s = settings.rows[0];
  if (!s) throw new Error('hot_topic_settings has no row (migration 007 inserts it)');
  return {
    growth: s.growth_threshold,
    minCount: s.min_count,
    windowHours: s.window_hours,
    allTerms: s.all_terms,
    terms: terms.rows.map((r) => ({ term: r.term, growth: r.growth_threshold, minCount: r.min_count, backfilledAt: r.backfilled_at, addedAt: r.added_at })),
    updatedAt: s.updated_at,
    updatedBy: s.updated_by,
  };
}

/**
 * Replaces the settings and the watch list. A term kept keeps its backfill; a new term waits for
 * the indexer to find it in the cases already indexed (see backfillWatchTerms). The audit row is
 * written in the same transaction.
 */
export async function replaceWatchList(pool: Pool, input: WatchListInput, actorId: string | null): Promise<WatchList> {
  const byTerm = new Map<string, WatchListInput['terms'][number]>();
  for (const t of input.terms) {
    const [term] = normalizeWatchTerms([t.term]);
    if (term) byTerm.set(term, t);
  }
  const terms = [...byTerm.keys()];
  return withTransaction(pool, async (client) => {
    const before = await loadWatchList(client);
    await client.query(
      `UPDATE hot_topic_settings SET growth_threshold = $1, min_count = $2, window_hours = $3, all_terms = $4, updated_at = now(), updated_by = $5`,
      [input.growth, input.minCount, input.windowHours, input.allTerms, actorId],
    );
    await client.query('DELETE FROM hot_topic_watch_terms WHERE NOT (term = ANY($1::text[]))', [terms]);
    await client.query(
      `INSERT INTO hot_topic_watch_terms (term, growth_threshold, min_count, added_by)
       SELECT * FROM unnest($1::text[], $2::float8[], $3::int[], array_fill($4::uuid, ARRAY[cardinality($1::text[])]))
       ON CONFLICT (term) DO UPDATE SET growth_threshold = EXCLUDED.growth_threshold, min_count = EXCLUDED.min_count`,
      [terms, terms.map((t) => byTerm.get(t)?.growth ?? null), terms.map((t) => byTerm.get(t)?.minCount ?? null), actorId],
    );
    const after = await loadWatchList(client);
    await recordAudit(client, { actorId, action: 'replace', subjectType: 'watch_list', subjectId: 'hot_topics', before: auditView(before), after: auditView(after) });
    return after;
  });
}
