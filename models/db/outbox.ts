import type { Queryable } from '../../infra/db.js';
import { OUTBOUND_PENDING_SQL } from '../channels/outbound.js';

/** The SQL condition of an outbox row every consumer has handled: the socket relay, the deadline scheduler and, for its topics, the outbound relay. */
export const OUTBOX_HANDLED_SQL = `published_at IS NOT NULL AND deadlines_synced_at IS NOT NULL AND NOT (${OUTBOUND_PENDING_SQL})`;

/**
 * Deletes up to `limit` outbox rows every consumer handled more than `retentionHours` ago (the
 * oldest first). Returns how many it deleted.
 */
export async function pruneOutbox(db: Queryable, retentionHours: number, limit: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM outbox WHERE id IN (
       SELECT id FROM outbox WHERE created_at < now() - make_interval(secs => $1::float8 * 3600) AND ${OUTBOX_HANDLED_SQL}
        ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)`,
    [retentionHours, limit],
  );
  return rowCount ?? 0;
}
