import { signalServerProcesses } from '../../infra/child-processes.js';
import { cleanUpOnInterrupt } from '../../infra/interrupt-cleanup.js';
import { startHarness, stopHarness } from './harness.js';

/** Root hooks: one set of real services for the whole run; isolation comes from each test's own data. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    process.on('exit', signalServerProcesses);
    const starting = startHarness();
    // A start-up in progress is let finish (or fail and undo itself) first, so that nothing it makes is missed.
    cleanUpOnInterrupt(() => starting.catch(() => undefined).then(stopHarness));
    await starting;
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await stopHarness();
  },
};
