import { withTransaction, type Pool } from '../../../infra/db.js';
import type { Period } from './periods.js';
import { isPastThreshold, withGrowth } from './rising.js';
import { countTerms, termDetails, type DivisionCount } from './term-counts.js';
import { existingWordIds } from './term-store.js';
import { loadWatchList, thresholdOf } from './watch-list.js';

/** The outbox topic of an early warning; the realtime relay pushes it to the centre's room. */
export const HOT_TOPIC_TOPIC = 'centre.hot-topic';

/** The payload of a `centre.hot-topic` outbox row. */
export interface HotTopicAlert {
  readonly term: string;
  readonly kind: 'word' | 'category';
  readonly count: number;
  readonly previous: number;
  readonly growth: number;
  readonly divisions: readonly DivisionCount[];
  readonly examples: readonly string[];
  readonly window: { readonly from: string; readonly to: string; readonly hours: number };
}

// Serialises checks run by several workers at once, so that a term is not warned about twice.
const ALERT_LOCK_KEY = 7_301_234_500_008;

/**
 * The live early warning: compares the last `windowHours` (up to `now`) with the hours before,
 * and for every term past its threshold (watch-list terms: their own or the global one; other
 * terms: the global one, unless warnings are limited to the watch list) that was not warned about
 * within the last window, writes one `centre.hot-topic` outbox row and records the warning.
 * Watch-list terms still waiting for their backfill are skipped: their previous count is not
 * known yet. Returns the warnings written. Run it periodically (the worker), with the database clock.
 */
export async function checkRisingTerms(pool: Pool, now: Date): Promise<HotTopicAlert[]> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [ALERT_LOCK_KEY]);
    const list = await loadWatchList(client);
    const windowMs = list.windowHours * 3_600_000;
    const current: Period = { from: new Date(now.getTime() - windowMs), to: now };
    const previous: Period = { from: new Date(now.getTime() - 2 * windowMs), to: current.from };
    const watchIds = await existingWordIds(client, list.terms.map((t) => t.term));
    const watchedById = new Map(list.terms.flatMap((w) => {
      const id = watchIds.get(w.term);
      return id === undefined ? [] : [[id, w] as const];
    }));
    if (!list.allTerms && watchedById.size === 0) return [];
    const minCount = Math.min(...[list, ...list.terms].map((t) => thresholdOf(list, t).minCount));
    const counts = await countTerms(client, { current, previous }, { minCount, always: [] });
    const { rows: recent } = await client.query<{ term_id: number }>(
      'SELECT DISTINCT term_id FROM hot_topic_alerts WHERE alerted_at > $1 AND alerted_at <= $2',
      [current.from, now],
    );
    const alreadyWarned = new Set(recent.map((r) => r.term_id));
    const rising = counts.filter((c) => {
      const watched = watchedById.get(c.termId);
      if (alreadyWarned.has(c.termId) || (watched && watched.backfilledAt === null)) return false;
      if (!watched && !list.allTerms) return false;
      return isPastThreshold(c, thresholdOf(list, watched));
    });
    const details = await termDetails(client, rising.map((r) => r.termId), current, { divisions: 3, examples: 3 });
    const alerts: HotTopicAlert[] = [];
    for (const r of rising.map(withGrowth)) {
      const detail = details.get(r.termId);
      const alert: HotTopicAlert = {
        term: r.term,
        kind: r.kind,
        count: r.current,
        previous: r.previous,
        growth: Math.round(r.growth * 1000) / 1000,
        divisions: detail?.divisions ?? [],
        examples: detail?.examples ?? [],
        window: { from: current.from.toISOString(), to: now.toISOString(), hours: list.windowHours },
      };
      const { rows } = await client.query<{ id: number }>('INSERT INTO outbox (topic, payload) VALUES ($1, $2) RETURNING id', [HOT_TOPIC_TOPIC, alert]);
      await client.query(
        `INSERT INTO hot_topic_alerts (term_id, window_from, window_to, current, previous, growth, outbox_id, alerted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $3)`,
        [r.termId, current.from, now, r.current, r.previous, r.growth, rows[0]?.id],
      );
      alerts.push(alert);
    }
    return alerts;
  });
}
