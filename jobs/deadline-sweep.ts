import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { LoopTask } from '../infra/scheduler.js';
import { sweepDueDeadlines } from '../models/time-limits/deadline-effects.js';

/** How the sweep runs. */
export interface SweepOptions {
  readonly pool: Pool;
  readonly log: Logger;
  readonly everyMs?: number;
  readonly batchSize?: number;
}

export const DEADLINE_SWEEP = 'deadline sweep';

/**
 * Every minute, applies the effects that are due and not applied. A loop in each process rather
 * than a BullMQ job scheduler: the sweep repairs a Redis that lost its data, so it must not live
 * in Redis; row locks keep several processes sweeping at once from doubling anything.
 */
export function deadlineSweepTask(options: SweepOptions): LoopTask {
  const batchSize = options.batchSize ?? 500;
  return {
    name: DEADLINE_SWEEP,
    everyMs: options.everyMs ?? 60_000,
    run: async () => {
      let total = 0;
      for (;;) {
        const applied = await sweepDueDeadlines(options.pool, batchSize);
        total += applied;
        if (applied < batchSize) break;
      }
      if (total > 0) options.log.warn({ applied: total }, 'deadline sweep applied effects their jobs had missed');
      return false;
    },
  };
}
