import { createPool } from './infra/db.js';
import { startDatabaseClock } from './infra/db-clock.js';
import type { Logger } from './infra/logger.js';
import { startScheduler } from './infra/scheduler.js';
import { createDeadlineQueue } from './jobs/deadline.queue.js';
import { DEADLINE_SWEEP, deadlineSweepTask } from './jobs/deadline-sweep.js';
import { createDeadlineWorker, DEADLINE_WORKER_CONCURRENCY } from './jobs/deadline.worker.js';
import { hotTopicsTasks } from './jobs/hot-topics-loop.js';
import { statisticsSealTask } from './jobs/statistics-seal.js';
import { outboxDeadlineTask } from './jobs/outbox-deadline-relay.js';
import { outboxPruneTask } from './jobs/outbox-prune.js';
import { startOutbound } from './jobs/outbound.js';
import { reconcileDeadlines, type ReconcileReport } from './jobs/reconcile-deadlines.js';
import { pendingMigrations } from './models/db/migrate.js';
import { recomputeStaleProvisionalDeadlines } from './models/time-limits/recompute-deadlines.js';
import { loadCalendar } from './models/time-limits/time-limits.repository.js';
import { loadTimeLimits } from './models/time-limits/time-limits.js';

/** What the worker process needs from whoever starts it. */
export interface WorkerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly log: Logger;
  readonly concurrency?: number;
  /** How long delivered outbox rows are kept (config OUTBOX_RETENTION_HOURS). */
  readonly outboxRetentionHours?: number;
  /** Admin-set destinations allowed to resolve to internal addresses (OUTBOUND_ALLOW_HOSTS). */
  readonly outboundAllowHosts?: readonly string[];
}

/** A running worker. */
export interface RunningWorker {
  /** Settles when the start-up reconciliation and first sweep are done (they run in the background). */
  readonly reconciled: Promise<ReconcileReport | undefined>;
  stop(): Promise<void>;
}

const DEFAULT_OUTBOX_RETENTION_HOURS = 72;

/**
 * Starts the deadline machinery: the BullMQ worker applying warnings and overdues, and one
 * scheduler for the background loops (the relays scheduling jobs from the outbox, the minute
 * sweep, the term index and hot-topic check, the outbox pruning, the statistics seal); then — in
 * the background, so that start-up does not wait on 100,000 cases — the reconciliation of the
 * queue with the database, and the recount of provisional deadlines a loaded schedule left
 * unfinished. A failure part-way undoes what had started.
 */
export async function start(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log.child({ component: 'deadlines' });
  const concurrency = options.concurrency ?? DEADLINE_WORKER_CONCURRENCY;
  // One connection per job in flight, plus the relays and the sweep or reconciliation.
  const pool = createPool(options.databaseUrl, concurrency + 2);
  const stops: (() => Promise<void>)[] = [() => pool.end()];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const pending = await pendingMigrations(pool);
    if (pending.length) throw new Error(`Refusing to work: pending migrations ${pending.join(', ')} (run npm run migrate)`);
    const clock = await startDatabaseClock(pool);
    stops.push(async () => clock.stop());
    const queue = createDeadlineQueue(options.redisUrl);
    stops.push(() => queue.close());
    const worker = createDeadlineWorker(options.redisUrl, pool, log, concurrency);
    // Lets the jobs in flight finish; their effects and Redis state stay consistent.
    stops.push(() => worker.close());
    // Replies through the source channel (按来源渠道回复) share this pool: its jobs mostly wait on receivers.
    const outbound = startOutbound({ pool, redisUrl: options.redisUrl, log: options.log, outboundAllowHosts: options.outboundAllowHosts });
    stops.push(outbound.stop);
    const scheduler = startScheduler(log, [
      outboxDeadlineTask({ pool, queue, clock }),
      deadlineSweepTask({ pool, log }),
      outbound.relay,
      ...hotTopicsTasks({ pool, now: clock.now }),
      outboxPruneTask(pool, options.outboxRetentionHours ?? DEFAULT_OUTBOX_RETENTION_HOURS),
      statisticsSealTask(pool),
    ]);
    const abort = new AbortController();
    const reconciled = (async () => {
      const started = performance.now();
      const report = await reconcileDeadlines(pool, queue, clock, { signal: abort.signal });
      log.info({ ...report, ms: Math.round(performance.now() - started) }, 'deadline queue reconciled with the database');
      if (!abort.signal.aborted) await scheduler.runNow(DEADLINE_SWEEP);
      if (!abort.signal.aborted) {
        // A schedule loaded while a process died part-way through its recount: finish it.
        const [timeLimits, stored] = await Promise.all([loadTimeLimits(pool), loadCalendar(pool)]);
        const recounted = await recomputeStaleProvisionalDeadlines(pool, timeLimits.calendar, clock.now, stored.loadedYears);
        if (recounted > 0) log.info({ recounted }, 'provisional deadlines left by an unfinished recount counted again');
      }
      return report;
    })().catch((error: unknown) => {
      // The relay and the minute sweep still cover every pending effect; the next start reconciles again.
      log.warn({ err: error }, 'deadline reconciliation failed');
      return undefined;
    });
    stops.push(async () => {
      abort.abort();
      await scheduler.stop();
      await reconciled;
    });
    return { reconciled, stop: stopAll };
  } catch (error) {
    await stopAll().catch((cleanup: unknown) => log.warn({ err: cleanup }, 'undoing a failed start-up'));
    throw error;
  }
}
