/* eslint-disable */
const live = new Map<any, string>();
const orig = globalThis.setTimeout;
const timers = require('node:timers');
for (const name of ['setTimeout', 'setInterval']) {
  const o = (timers as any)[name];
  const wrapped = function (fn: any, ms: any, ...args: any[]) {
    const t = o(fn, ms, ...args);
    if (typeof ms === 'number' && ms >= 1_000) live.set(t, `${name} ${ms} ${new Error().stack?.split('\n').slice(2, 8).join(' | ')}`);
    return t;
  };
  (globalThis as any)[name] = wrapped;
  (timers as any)[name] = wrapped;
}
export const mochaHooks = {
  afterAll(): void {
    const t = orig(() => {
      process.stderr.write(`HANDLES ${JSON.stringify((process as any).getActiveResourcesInfo())}\n`);
      for (const [timer, where] of live) if (timer.hasRef?.() && !timer._destroyed) process.stderr.write(`  TIMER ${where}\n`);
    }, 10_000);
    t.unref();
  },
};
