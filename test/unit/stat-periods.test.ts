import { expect } from 'chai';
import fc from 'fast-check';
import { mondayOf } from '../../models/insights/stats/case-mix.js';
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

describe('the weeks of the case mix', () => {
  it('when a day is named, then its week is the Monday on or before it, as PostgreSQL’s date_trunc(week) gives it', () => {
    expect(mondayOf('2026-11-30'), 'a Monday').to.equal('2026-11-30');
    expect(mondayOf('2026-11-29'), 'a Sunday').to.equal('2026-11-23');
    expect(mondayOf('2026-01-01'), 'across a new year').to.equal('2025-12-29');
    expect(mondayOf('2024-03-03'), 'across a leap day').to.equal('2024-02-26');
  });

  it('when any day is named, then its Monday is at most six days before it and a Monday', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const day = date.toISOString().slice(0, 10);
        const monday = new Date(`${mondayOf(day)}T00:00:00Z`);
        const gap = (new Date(`${day}T00:00:00Z`).getTime() - monday.getTime()) / 86_400_000;
        expect(monday.getUTCDay()).to.equal(1);
        expect(gap).to.be.within(0, 6);
      }),
    );
  });
});
