import { expect } from 'chai';
import { sharedFlight } from '../../infra/shared-flight.js';

describe('sharedFlight', () => {
  function deferred(): { promise: Promise<number>; resolve: (n: number) => void; reject: (e: Error) => void } {
    let resolve!: (n: number) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  }

  it('when the same key is asked while its call runs, then both get the one call’s answer', async () => {
    const shared = sharedFlight<number>();
    const pending = deferred();
    let calls = 0;
    const run = (): Promise<number> => {
      calls += 1;
      return pending.promise;
    };
    const both = Promise.all([shared('a', run), shared('a', run)]);
    pending.resolve(7);
    expect(await both).to.deep.equal([7, 7]);
    expect(calls).to.equal(1);
  });

  it('when different keys are asked at once, then each runs its own call', async () => {
    const shared = sharedFlight<string>();
    const answers = await Promise.all([shared('a', async () => 'A'), shared('b', async () => 'B')]);
    expect(answers).to.deep.equal(['A', 'B']);
  });

  it('when a call has settled, then the next ask with its key runs again rather than reusing the old answer', async () => {
    const shared = sharedFlight<number>();
    let calls = 0;
    const run = async (): Promise<number> => {
      calls += 1;
      return calls;
    };
    expect(await shared('a', run)).to.equal(1);
    expect(await shared('a', run)).to.equal(2);
  });

  it('when the call fails, then every waiter gets the error and the key is free for a retry', async () => {
    const shared = sharedFlight<number>();
    const pending = deferred();
    const first = shared('a', () => pending.promise);
    const second = shared('a', () => Promise.resolve(0));
    pending.reject(new Error('database gone'));
    for (const waiter of [first, second]) {
      const error = await waiter.then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(Error).with.property('message', 'database gone');
    }
    expect(await shared('a', async () => 3)).to.equal(3);
  });
});
