import { expect } from 'chai';
import { mapInSlices } from '../../infra/time-slices.js';

/** Holds the CPU for at least `ms`, as a slow synchronous step does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('mapInSlices', () => {
  it('maps every item in order', async () => {
    expect(await mapInSlices([3, 1, 2], (n) => n * 10)).to.deep.equal([30, 10, 20]);
    expect(await mapInSlices([], (n: number) => n)).to.deep.equal([]);
  });

  it('lets other callbacks run between slices once a slice has used its time', async () => {
    let otherRan = false;
    setImmediate(() => {
      otherRan = true;
    });
    // Each item outlasts the slice, so every item after the first starts after a turn of the loop.
    const seen = await mapInSlices([1, 2, 3], () => {
      const before = otherRan;
      busyFor(2);
      return before;
    }, 1);
    expect(seen).to.deep.equal([false, true, true]);
  });

  it('keeps short work in one slice', async () => {
    let otherRan = false;
    setImmediate(() => {
      otherRan = true;
    });
    const seen = await mapInSlices([1, 2, 3], () => otherRan, 60_000);
    expect(seen).to.deep.equal([false, false, false]);
  });
});
