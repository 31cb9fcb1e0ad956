import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { applyDeadlineEffect, deadlineDueInMs, type DeadlineJobRef, type DeadlineOutcome } from '../models/time-limits/deadline-effects.js';
import { DEADLINE_JOBS, DEADLINE_QUEUE, isDeadlineJobRef, type DeadlineJobName } from './deadline.queue.js';

/** Jobs in flight per process: each is a few short queries, so the database, not the CPU, bounds it. */
export const DEADLINE_WORKER_CONCURRENCY = 8;

type DeadlineJob = Job<DeadlineJobRef, DeadlineOutcome, DeadlineJobName>;

/**
 * Applies one effect. A job that fired before its time by the database clock (this host's clock
 * runs ahead of it) goes back to the delayed set until then; one for a moved deadline, a reply or
 * an applied effect finishes doing nothing.
 */
async function processDeadlineJob(pool: Pool, job: DeadlineJob, token: string | undefined): Promise<DeadlineOutcome> {
  if (job.name !== DEADLINE_JOBS.effect) throw new UnrecoverableError(`unknown deadline job ${job.name}`);
  if (!isDeadlineJobRef(job.data)) throw new UnrecoverableError('deadline job without a valid reference');
  const outcome = await applyDeadlineEffect(pool, job.data);
  if (outcome !== 'not_due') return outcome;
  const dueInMs = await deadlineDueInMs(pool, job.data);
  // Due by now, or changed meanwhile: a second look tells which.
  if (dueInMs === null || dueInMs === 0) return applyDeadlineEffect(pool, job.data);
  await job.moveToDelayed(Date.now() + Math.ceil(dueInMs), token);
  throw new DelayedError();
}

/** Starts the BullMQ worker of the deadline queue. */
export function createDeadlineWorker(redisUrl: string, pool: Pool, log: Logger, concurrency = DEADLINE_WORKER_CONCURRENCY): Worker<DeadlineJobRef, DeadlineOutcome, DeadlineJobName> {
  const worker = new Worker<DeadlineJobRef, DeadlineOutcome, DeadlineJobName>(DEADLINE_QUEUE, (job, token) => processDeadlineJob(pool, job, token), {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    concurrency,
    // The database holds the truth; finished jobs are kept a while only to look at.
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
    // Jobs are idempotent: a job whose worker died is simply run again, more than once if need be.
    maxStalledCount: 5,
  });
  worker.on('failed', (job, error) => {
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const detail = { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade };
    // After the last attempt the sweep still applies the effect once it is due.
    if (final) log.error(detail, 'deadline job failed for good');
    else log.warn(detail, 'deadline job failed; retrying');
  });
  worker.on('error', (error) => log.warn({ err: error }, 'deadline worker error'));
  return worker;
}
