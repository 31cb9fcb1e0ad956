import { expect } from 'chai';
import pino from 'pino';
import { startScheduler } from '../../infra/scheduler.js';

const log = pino({ level: 'silent' });

/** A promise the test settles itself. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** One turn of the event loop: every continuation already queued (a round following at once, say) has run. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('scheduler of background loops', () => {
  it('when a round reports more work, then it runs again without its interval; when it fails, then it backs off and recovers', async () => {
    const rounds: number[] = [];
    const fifthRound = deferred();
    let failuresLeft = 2;
    let more = 3;
    const scheduler = startScheduler(log, [
      {
        name: 'work',
        everyMs: 10,
        immediate: true,
        run: async () => {
          rounds.push(Date.now());
          if (rounds.length === 5) fifthRound.resolve();
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
    await fifthRound.promise;
    await scheduler.stop();
    expect(rounds.length).to.be.at.least(5);
    expect((rounds[1] ?? 0) - (rounds[0] ?? 0)).to.be.at.least(15);
    expect((rounds[2] ?? 0) - (rounds[1] ?? 0)).to.be.at.least(35);
  });

  it('when stopped during a round, then stop waits for it and no round starts afterwards', async () => {
    const roundStarted = deferred();
    const release = deferred();
    let finished = false;
    let started = 0;
    const scheduler = startScheduler(log, [
      {
        name: 'slow',
        everyMs: 5,
        immediate: true,
        run: async () => {
          started += 1;
          roundStarted.resolve();
          await release.promise;
          finished = true;
          // "More work": were the loop to go on, its next round would start at once, with no timer.
          return true;
        },
      },
    ]);
    await roundStarted.promise;
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await nextTurn();
    expect(stopped, 'stop must wait for the round in flight').to.equal(false);
    release.resolve();
    await stopping;
    expect(finished).to.equal(true);
    const after = started;
    await nextTurn();
    expect(started).to.equal(after);
  });

  it('when a round is asked for while one runs, then the caller joins it instead of starting a second', async () => {
    const release = deferred();
    let running = 0;
    let most = 0;
    let rounds = 0;
    const scheduler = startScheduler(log, [
      {
        name: 'sweep',
        everyMs: 60_000,
        immediate: true,
        run: async () => {
          rounds += 1;
          running += 1;
          most = Math.max(most, running);
          await release.promise;
          running -= 1;
          return false;
        },
      },
    ]);
    const asked = Promise.all([scheduler.runNow('sweep'), scheduler.runNow('sweep')]);
    release.resolve();
    await asked;
    await scheduler.stop();
    expect(most).to.equal(1);
    expect(rounds).to.equal(1);
  });
});
