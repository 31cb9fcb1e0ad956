import { Queue } from 'bullmq';
import type { DeadlineJobRef, DeadlineOutcome, PendingDeadlineJob } from '../models/time-limits/deadline-effects.js';
import { DEADLINE_EFFECTS, DEADLINE_KINDS } from '../models/time-limits/deadline-rules.js';

/** The queue every deadline job goes through. */
export const DEADLINE_QUEUE = 'deadlines';

/** The jobs on the deadline queue: one table of names. */
export const DEADLINE_JOBS = { effect: 'deadline-effect' } as const;
export type DeadlineJobName = (typeof DEADLINE_JOBS)[keyof typeof DEADLINE_JOBS];

export type DeadlineQueue = Queue<DeadlineJobRef, DeadlineOutcome, DeadlineJobName>;

/** Retries of a job that failed (the database was unreachable, say): ~1, 2, 4, 8 s, then the sweep takes over. */
export const DEADLINE_JOB_ATTEMPTS = 5;

// BullMQ reserves ':' in custom ids (repeatable jobs); '.' occurs in none of the parts.
const SEPARATOR = '.';
const JOB_ID = new RegExp(`^dl\\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.(${DEADLINE_KINDS.join('|')})\\.(${DEADLINE_EFFECTS.join('|')})\\.([1-9][0-9]*)$`);
const ADD_CHUNK = 1_000;

/**
 * The job id of one effect at one deadline version: BullMQ refuses a second job with an id it
 * holds, so scheduling the same effect again is a no-op, and a moved deadline gets a new id.
 */
export function deadlineJobId(ref: DeadlineJobRef): string {
  return ['dl', ref.caseId, ref.kind, ref.effect, String(ref.version)].join(SEPARATOR);
}

/** Reads a job id back; null for ids that are not deadline jobs. */
export function parseDeadlineJobId(id: string): DeadlineJobRef | null {
  const m = JOB_ID.exec(id);
  if (!m?.[1] || !m[2] || !m[3] || !m[4]) return null;
  return { caseId: m[1], kind: m[2] as DeadlineJobRef['kind'], effect: m[3] as DeadlineJobRef['effect'], version: Number(m[4]) };
}

/** Checks that job data is a deadline reference (what a job carries: ids only). */
export function isDeadlineJobRef(data: unknown): data is DeadlineJobRef {
  if (typeof data !== 'object' || data === null) return false;
  const { caseId, kind, effect, version } = data as Record<string, unknown>;
  if (typeof caseId !== 'string' || typeof kind !== 'string' || typeof effect !== 'string' || typeof version !== 'number') return false;
  return parseDeadlineJobId(['dl', caseId, kind, effect, String(version)].join(SEPARATOR)) !== null;
}

/** Opens the deadline queue as a producer. */
export function createDeadlineQueue(redisUrl: string): DeadlineQueue {
  return new Queue<DeadlineJobRef, DeadlineOutcome, DeadlineJobName>(DEADLINE_QUEUE, {
    // A producer fails fast while Redis is away: the outbox rows stay unsynced and are retried.
    connection: { url: redisUrl, enableOfflineQueue: false },
    // Retention is the worker's setting, not stored in every job: Redis memory scales with open cases.
    defaultJobOptions: { attempts: DEADLINE_JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 1_000 } },
  });
}

/**
 * Adds a delayed job per pending effect (ids only in the data). The delay is counted from the
 * database clock, which deadlines are computed on; a due effect gets no delay. Returns how many
 * jobs were submitted (ids already held are skipped by BullMQ).
 */
export async function scheduleDeadlineJobs(queue: DeadlineQueue, items: readonly PendingDeadlineJob[], clock: { now(): Date }): Promise<number> {
  for (let i = 0; i < items.length; i += ADD_CHUNK) {
    const nowMs = clock.now().getTime();
    await queue.addBulk(
      items.slice(i, i + ADD_CHUNK).map(({ ref, fireAt }) => ({
        name: DEADLINE_JOBS.effect,
        data: { caseId: ref.caseId, kind: ref.kind, effect: ref.effect, version: ref.version },
        opts: { jobId: deadlineJobId(ref), delay: Math.max(0, fireAt.getTime() - nowMs) },
      })),
    );
  }
  return items.length;
}

/** Removes the delayed or waiting jobs of these effects (a job running right now is left to find itself stale). */
export async function removeDeadlineJobs(queue: DeadlineQueue, refs: readonly DeadlineJobRef[]): Promise<number> {
  const removed = await Promise.all(refs.map((ref) => queue.remove(deadlineJobId(ref)).catch(() => 0)));
  return removed.reduce((sum, n) => sum + n, 0);
}
