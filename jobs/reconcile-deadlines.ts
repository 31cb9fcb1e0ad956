import type { Pool } from '../infra/db.js';
import { pendingDeadlineJobs } from '../models/time-limits/deadline-effects.js';
import { OPEN_DEADLINE_STATUSES } from '../models/time-limits/deadline-rules.js';
import { deadlineJobId, parseDeadlineJobId, removeDeadlineJobs, scheduleDeadlineJobs, type DeadlineQueue } from './deadline.queue.js';

/** What a reconciliation did. */
export interface ReconcileReport {
  readonly openCases: number;
  readonly scheduled: number;
  readonly dropped: number;
}

/** How a reconciliation runs. */
export interface ReconcileOptions {
  /** Cases (and delayed jobs) read per round trip: 100,000 open cases are 20 rounds. */
  readonly batchSize?: number;
  /** Stops between batches (at shutdown). */
  readonly signal?: AbortSignal;
}

async function scheduleOpenCases(pool: Pool, queue: DeadlineQueue, clock: { now(): Date }, batchSize: number, signal?: AbortSignal): Promise<{ openCases: number; scheduled: number }> {
  let after = '00000000-0000-0000-0000-000000000000';
  let openCases = 0;
  let scheduled = 0;
  while (!signal?.aborted) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM cases WHERE status = ANY($1::text[]) AND id > $2 ORDER BY id LIMIT $3`,
      [OPEN_DEADLINE_STATUSES, after, batchSize],
    );
    if (rows.length === 0) break;
    const ids = rows.map((r) => r.id);
    scheduled += await scheduleDeadlineJobs(queue, await pendingDeadlineJobs(pool, ids), clock);
    openCases += ids.length;
    after = ids[ids.length - 1] ?? after;
    if (rows.length < batchSize) break;
  }
  return { openCases, scheduled };
}

/** Removes delayed jobs whose effect is no longer pending at that version; returns how many. */
async function dropStaleJobs(pool: Pool, queue: DeadlineQueue, batchSize: number, signal?: AbortSignal): Promise<number> {
  let dropped = 0;
  let start = 0;
  while (!signal?.aborted) {
    const ids = await queue.getRanges(['delayed'], start, start + batchSize - 1, true);
    if (ids.length === 0) break;
    const refs = ids.flatMap((id) => parseDeadlineJobId(id) ?? []);
    const current = new Set((await pendingDeadlineJobs(pool, [...new Set(refs.map((r) => r.caseId))])).map((p) => deadlineJobId(p.ref)));
    const removed = await removeDeadlineJobs(queue, refs.filter((ref) => !current.has(deadlineJobId(ref))));
    dropped += removed;
    // Removing shifts the set; jobs added meanwhile may be looked at twice or not at all, which only
    // leaves a stale job to run as a no-op.
    start += ids.length - removed;
    if (ids.length < batchSize) break;
  }
  return dropped;
}

/**
 * Makes the queue agree with the database, which holds the truth: every pending effect of every
 * open case gets its job (a no-op where the job exists), and delayed jobs for a version that moved
 * or an effect no longer pending are dropped. Run at start-up; repairs a Redis that lost its data.
 */
export async function reconcileDeadlines(pool: Pool, queue: DeadlineQueue, clock: { now(): Date }, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const batchSize = options.batchSize ?? 5_000;
  const { openCases, scheduled } = await scheduleOpenCases(pool, queue, clock, batchSize, options.signal);
  const dropped = await dropStaleJobs(pool, queue, batchSize, options.signal);
  return { openCases, scheduled, dropped };
}
