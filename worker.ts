import { createPool } from './infra/db.js';
import { startDatabaseClock } from './infra/db-clock.js';
import type { Logger } from './infra/logger.js';
import { createDeadlineQueue } from './jobs/deadline.queue.js';
import { startDeadlineSweep } from './jobs/deadline-sweep.js';
import { createDeadlineWorker, DEADLINE_WORKER_CONCURRENCY } from './jobs/deadline.worker.js';
import { startOutboxDeadlineRelay } from './jobs/outbox-deadline-relay.js';
import { startOutbound } from './jobs/outbound.js';
import { startHotTopicsLoop } from './jobs/hot-topics-loop.js';
import { reconcileDeadlines, type ReconcileReport } from './jobs/reconcile-deadlines.js';
import { pendingMigrations } from './models/migrate.js';

/** What the worker process needs from whoever starts it. */
export interface WorkerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly log: Logger;
  readonly concurrency?: number;
  /** Admin-set destinations allowed to resolve to internal addresses (OUTBOUND_ALLOW_HOSTS). */
  readonly outboundAllowHosts?: readonly string[];
}

/** A running worker. */
export interface RunningWorker {
  /** Settles when the start-up reconciliation and first sweep are done (they run in the background). */
  readonly reconciled: Promise<ReconcileReport | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts the deadline machinery: the BullMQ worker applying warnings and overdues, the relay
 * scheduling jobs from the outbox, the minute sweep, and — in the background, so that start-up
 * does not wait on 100,000 cases — the reconciliation of the queue with the database.
 */
export async function start(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log.child({ component: 'deadlines' });
  const concurrency = options.concurrency ?? DEADLINE_WORKER_CONCURRENCY;
  // One connection per job in flight, plus the relay and the sweep or reconciliation.
  const pool = createPool(options.databaseUrl, concurrency + 2);
  const pending = await pendingMigrations(pool);
  if (pending.length) {
    await pool.end();
    throw new Error(`Refusing to work: pending migrations ${pending.join(', ')} (run npm run migrate)`);
  }
  const clock = await startDatabaseClock(pool);
  const queue = createDeadlineQueue(options.redisUrl);
  const worker = createDeadlineWorker(options.redisUrl, pool, log, concurrency);
  const relay = startOutboxDeadlineRelay({ pool, queue, clock, log });
  const sweep = startDeadlineSweep({ pool, log });
  // Replies through the source channel (按来源渠道回复) share this pool: its jobs mostly wait on receivers.
  const outbound = startOutbound({ pool, redisUrl: options.redisUrl, log: options.log, outboundAllowHosts: options.outboundAllowHosts });
  const hotTopics = startHotTopicsLoop({ pool, log: options.log, now: clock.now });
  const abort = new AbortController();
  const reconciled = (async () => {
    const started = performance.now();
    const report = await reconcileDeadlines(pool, queue, clock, { signal: abort.signal });
    log.info({ ...report, ms: Math.round(performance.now() - started) }, 'deadline queue reconciled with the database');
    if (!abort.signal.aborted) await sweep.run();
    return report;
  })().catch((error: unknown) => {
    // The relay and the minute sweep still cover every pending effect; the next start reconciles again.
    log.warn({ err: error }, 'deadline reconciliation failed');
    return undefined;
  });
  return {
    reconciled,
    stop: async () => {
      abort.abort();
      await relay.stop();
      await reconciled;
      await sweep.stop();
      await outbound.stop();
      await hotTopics.stop();
      // Lets the jobs in flight finish; their effects and Redis state stay consistent.
      await worker.close();
      await queue.close();
      clock.stop();
      await pool.end();
    },
  };
}
