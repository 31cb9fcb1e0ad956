import { expect } from 'chai';
import { statisticsSealTask } from '../../jobs/statistics-seal.js';
import { rebuildStatistics } from '../../models/insights/stats/rollup.js';
import { harness } from '../support/harness.js';

const DAY = 86_400_000;
const SHANGHAI = 8 * 3_600_000;
// The last Asia/Shanghai midnight at least 15 minutes ago: the day a seal may reach.
const lastSealableMidnight = (now: number): number => Math.floor((now - 15 * 60_000 + SHANGHAI) / DAY) * DAY - SHANGHAI;

describe('the worker’s statistics seal', () => {
  it('when days have ended since the last seal, then a round of the task seals them, with no supervisor asking', async () => {
    const pool = harness().pool;
    const target = lastSealableMidnight(Date.now());
    await rebuildStatistics(pool, new Date(target - 2 * DAY));

    const more = await statisticsSealTask(pool).run();

    const { rows } = await pool.query<{ sealed_until: Date }>('SELECT sealed_until FROM stat_seal');
    expect(rows[0]?.sealed_until.getTime()).to.equal(lastSealableMidnight(Date.now()));
    expect(more, 'a round leaves nothing waiting').to.equal(false);
  });
});
