import { withTransaction, type Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import { pendingDeadlineJobs, type DeadlineJobRef } from '../models/time-limits/deadline-effects.js';
import { DEADLINE_EFFECTS, DEADLINE_KINDS } from '../models/time-limits/deadline-rules.js';
import { removeDeadlineJobs, scheduleDeadlineJobs, type DeadlineQueue } from './deadline.queue.js';

/** How the relay runs. */
export interface RelayOptions {
  readonly pool: Pool;
  readonly queue: DeadlineQueue;
  readonly clock: { now(): Date };
  readonly intervalMs?: number;
  readonly batchSize?: number;
}

/** The jobs of the version before `version`: what a moved deadline leaves behind. */
function previousVersionRefs(caseId: string, version: number): DeadlineJobRef[] {
  if (version <= 1) return [];
  return DEADLINE_KINDS.flatMap((kind) => DEADLINE_EFFECTS.map((effect) => ({ caseId, kind, effect, version: version - 1 })));
}

/**
 * Relays one batch of outbox rows the deadline scheduler has not consumed: schedules the pending
 * effects of their cases, drops the jobs of a version that moved, then marks the rows — in that
 * order, so that a crash in between schedules again (a no-op by job id) instead of losing jobs.
 * SKIP LOCKED lets several workers share the outbox. Returns how many rows it consumed.
 */
export async function relayOutboxBatch(pool: Pool, queue: DeadlineQueue, clock: { now(): Date }, batchSize = 500): Promise<number> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: number; case_id: string | null }>(
      `SELECT id, case_id FROM outbox WHERE deadlines_synced_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    if (rows.length === 0) return 0;
    const caseIds = [...new Set(rows.flatMap((r) => (r.case_id ? [r.case_id] : [])))];
    const pending = await pendingDeadlineJobs(client, caseIds);
    await scheduleDeadlineJobs(queue, pending, clock);
    const { rows: versions } = await client.query<{ id: string; deadline_version: number }>(
      `SELECT id, deadline_version FROM cases WHERE id = ANY($1::uuid[]) AND deadline_version > 1`,
      [caseIds],
    );
    await removeDeadlineJobs(queue, versions.flatMap((c) => previousVersionRefs(c.id, c.deadline_version)));
    await client.query(`UPDATE outbox SET deadlines_synced_at = now() WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
    return rows.length;
  });
}

/** The relay to the deadline queue as a scheduler task: a batch at once after a full one, else every `intervalMs`. */
export function outboxDeadlineTask(options: RelayOptions): LoopTask {
  const batchSize = options.batchSize ?? 500;
  return {
    name: 'outbox relay to the deadline queue',
    everyMs: options.intervalMs ?? 200,
    immediate: true,
    run: async () => (await relayOutboxBatch(options.pool, options.queue, options.clock, batchSize)) === batchSize,
  };
}
