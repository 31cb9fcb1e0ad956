import type { Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import { sealStatistics } from '../models/insights/stats/rollup.js';

/**
 * Seals each ended day into the statistics rollups soon after it ends (15 minutes past midnight),
 * so that the first supervisor of the day does not wait for it. A round with nothing to seal is one
 * read of stat_seal; requests still seal on their own if they come first.
 */
export function statisticsSealTask(pool: Pool, everyMs = 60_000): LoopTask {
  return {
    name: 'statistics seal',
    everyMs,
    immediate: true,
    run: async () => {
      await sealStatistics(pool);
      return false;
    },
  };
}
