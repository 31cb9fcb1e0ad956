import { startHarness, stopHarness } from './harness.js';

/** Root hooks: one set of real services for the whole run; isolation comes from each test's own data. */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(120_000);
    await startHarness();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(60_000);
    await stopHarness();
  },
};
