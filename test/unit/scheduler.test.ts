import { expect } from 'chai';
import pino from 'pino';
import { startScheduler } from '../../infra/scheduler.js';

const log = pino({ level: 'silent' });

describe('scheduler of background loops', () => {
  it('when a round reports more work, then it runs again without its interval; when it fails, then it backs off and recovers', async () => {
    const rounds: number[] = [];
    let failuresLeft = 2;
    let more = 3;
    const scheduler = startScheduler(log, [
      {
        name: 'work',
        everyMs: 10,
        immediate: true,
        run: async () => {
          rounds.push(Date.now());
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('database away');
          }
          more -= 1;
          return more > 0;
        },
      },
    ]);
    // Two failures back off 20 then 40 ms; then three rounds back to back (two said "more").
    await new Promise((r) => setTimeout(r, 150));
    await scheduler.stop();
    expect(rounds.length).to.be.at.least(5);
    expect((rounds[1] ?? 0) - (rounds[0] ?? 0)).to.be.at.least(15);
    expect((rounds[2] ?? 0) - (rounds[1] ?? 0)).to.be.at.least(35);
  });

  it('when stopped during a round, then stop waits for it and no round starts afterwards', async () => {
    let finished = false;
    let started = 0;
    const scheduler = startScheduler(log, [
      {
        name: 'slow',
        everyMs: 5,
        immediate: true,
        run: async () => {
          started += 1;
          await new Promise((r) => setTimeout(r, 50));
          finished = true;
          return true;
        },
      },
    ]);
    await new Promise((r) => setTimeout(r, 10));
    await scheduler.stop();
    expect(finished).to.equal(true);
    const after = started;
    await new Promise((r) => setTimeout(r, 30));
    expect(started).to.equal(after);
  });

  it('when a round is asked for while one runs, then the caller joins it instead of starting a second', async () => {
    let running = 0;
    let most = 0;
    const scheduler = startScheduler(log, [
      {
        name: 'sweep',
        everyMs: 60_000,
        immediate: true,
        run: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((r) => setTimeout(r, 30));
          running -= 1;
          return false;
        },
      },
    ]);
    await Promise.all([scheduler.runNow('sweep'), scheduler.runNow('sweep')]);
    await scheduler.stop();
    expect(most).to.equal(1);
  });
});
