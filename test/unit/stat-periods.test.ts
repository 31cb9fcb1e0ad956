import { expect } from 'chai';
import { wholeDays } from '../../models/insights/stats/unit-stats.js';

// Asia/Shanghai midnights as UTC instants: a day there starts at 16:00 UTC the day before.
const at = (iso: string): Date => new Date(iso);

describe('the whole days of a statistics period', () => {
  it('when the period runs from one Linyi midnight to another, then it is all whole days and has no edges', () => {
    expect(wholeDays(at('2026-10-31T16:00:00Z'), at('2026-11-30T16:00:00Z'))).to.deep.equal({
      whole: { fromDay: '2026-11-01', toDay: '2026-12-01', from: at('2026-10-31T16:00:00Z'), to: at('2026-11-30T16:00:00Z') },
      edges: [],
    });
  });

  it('when the period starts and ends inside days, then those parts are its edges and the days between are whole', () => {
    const split = wholeDays(at('2026-11-02T03:30:00Z'), at('2026-11-05T01:00:00Z'));
    expect(split.whole).to.deep.include({ fromDay: '2026-11-03', toDay: '2026-11-05' });
    expect(split.edges).to.deep.equal([
      [at('2026-11-02T03:30:00Z'), at('2026-11-02T16:00:00Z')],
      [at('2026-11-04T16:00:00Z'), at('2026-11-05T01:00:00Z')],
    ]);
  });

  it('when the period lies within one day, then it has no whole day and is one edge', () => {
    expect(wholeDays(at('2026-11-02T01:00:00Z'), at('2026-11-02T09:00:00Z'))).to.deep.equal({ whole: null, edges: [[at('2026-11-02T01:00:00Z'), at('2026-11-02T09:00:00Z')]] });
  });

  it('when the period is empty, then it has neither whole days nor edges', () => {
    expect(wholeDays(at('2026-11-02T01:00:00Z'), at('2026-11-02T01:00:00Z'))).to.deep.equal({ whole: null, edges: [] });
  });

  it('when the period starts at a midnight and ends inside a later day, then only the end is an edge', () => {
    const split = wholeDays(at('2026-11-01T16:00:00Z'), at('2026-11-03T04:00:00Z'));
    expect(split.whole).to.deep.include({ fromDay: '2026-11-02', toDay: '2026-11-03' });
    expect(split.edges).to.deep.equal([[at('2026-11-02T16:00:00Z'), at('2026-11-03T04:00:00Z')]]);
  });
});
