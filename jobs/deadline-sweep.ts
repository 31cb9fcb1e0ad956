import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { sweepDueDeadlines } from '../models/deadline-effects.js';

/** How the sweep runs. */
export interface SweepOptions {
  readonly pool: Pool;
  readonly log: Logger;
  readonly everyMs?: number;
  readonly batchSize?: number;
}

/** A running sweep. */
export interface DeadlineSweep {
  /** Sweeps now (also what each tick does); resolves with how many effects it applied. */
  run(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every minute, applies the effects that are due and not applied. A timer in each process rather
 * than a BullMQ job scheduler: the sweep repairs a Redis that lost its data, so it must not live
 * in Redis; row locks (SKIP LOCKED) keep several processes sweeping at once from doubling anything.
 */
export function startDeadlineSweep(options: SweepOptions): DeadlineSweep {
  const batchSize = options.batchSize ?? 500;
  let current: Promise<number> | undefined;
  const sweep = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const applied = await sweepDueDeadlines(options.pool, batchSize);
      total += applied;
      if (applied < batchSize) break;
    }
    if (total > 0) options.log.warn({ applied: total }, 'deadline sweep applied effects their jobs had missed');
    return total;
  };
  const run = (): Promise<number> => {
    // One sweep at a time per process: a slow one is not overtaken by the next tick.
    current ??= sweep().finally(() => (current = undefined));
    return current;
  };
  const timer = setInterval(() => {
    run().catch((error: unknown) => options.log.warn({ err: error }, 'deadline sweep failed; the next tick retries'));
  }, options.everyMs ?? 60_000);
  return {
    run,
    stop: async () => {
      clearInterval(timer);
      await current?.catch(() => undefined);
    },
  };
}
