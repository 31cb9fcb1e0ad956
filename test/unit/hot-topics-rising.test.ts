import { expect } from 'chai';
import fc from 'fast-check';
import { previousPeriod, rangePeriod, shanghaiDate, shanghaiDayNumber, shanghaiDayStartOf, splitPeriod, type Period } from '../../models/insights/hot-topics/periods.js';
import { growth, GROWTH_SMOOTHING, isPastThreshold, rankRising, type TermCounts } from '../../models/insights/hot-topics/rising.js';

const counts = (term: string, current: number, previous: number): TermCounts => ({ termId: term.length * 1000 + current, kind: 'word', term, current, previous });

describe('hot-topic growth and periods', () => {
  it('when growth is computed, then it is (current + 5) / (previous + 5)', () => {
    expect(GROWTH_SMOOTHING).to.equal(5);
    expect(growth(80, 40)).to.equal(85 / 45);
    expect(growth(3, 1)).to.equal(8 / 6);
    expect(growth(0, 0)).to.equal(1);
  });

  it('when a term goes 1 -> 3 and another 40 -> 80, then the surge ranks first', () => {
    const ranked = rankRising([counts('小', 3, 1), counts('大', 80, 40)], { limit: 10, minCount: 1 });

    expect(ranked.map((r) => r.term)).to.deep.equal(['大', '小']);
  });

  it('when terms are ranked, then those below minCount are left out, and ties go by count, then term', () => {
    const ranked = rankRising([counts('b', 10, 5), counts('a', 10, 5), counts('c', 20, 15), counts('d', 2, 0)], { limit: 10, minCount: 3 });

    // b and a: 15/10 = 1.5; c: 25/20 = 1.25; d has 2 < 3 cases.
    expect(ranked.map((r) => r.term)).to.deep.equal(['a', 'b', 'c']);
    expect(ranked[0]).to.include({ growth: 1.5, change: 5 });
  });

  it('when ranked, then the list is cut at the limit', () => {
    const rows = Array.from({ length: 30 }, (_, i) => counts(`t${i}`, 10 + i, 10));

    expect(rankRising(rows, { limit: 5, minCount: 1 }).map((r) => r.term)).to.deep.equal(['t29', 't28', 't27', 't26', 't25']);
  });

  it('when ranked in one pass, then the result is the head of the fully sorted list (property)', () => {
    const rowArb = fc.record({ term: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), current: fc.nat(30), previous: fc.nat(30) });
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 5 }), (rows, limit, minCount) => {
        const all = rows.map((r, i) => counts(`${r.term}${i}`, r.current, r.previous));
        const sorted = all
          .filter((r) => r.current >= minCount)
          .map((r) => ({ term: r.term, growth: growth(r.current, r.previous), current: r.current }))
          .sort((a, b) => b.growth - a.growth || b.current - a.current || (a.term < b.term ? -1 : 1));
        expect(rankRising(all, { limit, minCount }).map((r) => r.term)).to.deep.equal(sorted.slice(0, limit).map((r) => r.term));
      }),
    );
  });

  it('when counts are held against a threshold, then both the count and the growth must reach it', () => {
    const threshold = { growth: 3, minCount: 10 };

    expect(isPastThreshold({ current: 10, previous: 0 }, threshold)).to.equal(true); // 15 / 5 = 3
    expect(isPastThreshold({ current: 9, previous: 0 }, threshold)).to.equal(false);
    expect(isPastThreshold({ current: 40, previous: 10 }, threshold)).to.equal(true); // 45 / 15 = 3
    expect(isPastThreshold({ current: 39, previous: 10 }, threshold)).to.equal(false);
  });

  it('when a count rises and the previous stays, then growth never falls (property)', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(100), (current, previous, more) => {
        expect(growth(current + more, previous)).to.be.at.least(growth(current, previous));
        expect(growth(current, previous + more)).to.be.at.most(growth(current, previous));
      }),
    );
  });

  it('when the previous period is asked for, then it is of equal length and ends where the period starts', () => {
    const period = { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-17T00:00:00Z') };

    expect(previousPeriod(period)).to.deep.equal({ from: new Date('2026-03-03T00:00:00Z'), to: period.from });
  });

  const at = (local: string): Date => new Date(`${local}+08:00`);

  it('when a period is split, then whole months, whole days around them and the partial days at the ends are apart', () => {
    const split = splitPeriod({ from: at('2026-01-20T05:30:00'), to: at('2026-04-03T18:00:00') });

    expect(split.months).to.deep.equal({ from: '2026-02-01', to: '2026-04-01' });
    expect(split.days).to.deep.equal([
      { from: '2026-01-21', to: '2026-02-01' },
      { from: '2026-04-01', to: '2026-04-03' },
    ]);
    expect(split.edges).to.deep.equal([
      { from: at('2026-01-20T05:30:00'), to: at('2026-01-21T00:00:00') },
      { from: at('2026-04-03T00:00:00'), to: at('2026-04-03T18:00:00') },
    ]);
    expect(split.wholeDays).to.deep.equal({ from: '2026-01-21', to: '2026-04-03' });
  });

  it('when a period holds no whole month, then whole days; within one day, one edge; midnight to midnight, no edge', () => {
    expect(splitPeriod({ from: at('2026-03-10T05:30:00'), to: at('2026-03-13T18:00:00') })).to.deep.include({ months: null, days: [{ from: '2026-03-11', to: '2026-03-13' }] });
    const within = { from: at('2026-03-10T08:00:00'), to: at('2026-03-10T20:00:00') };
    expect(splitPeriod(within)).to.deep.equal({ months: null, days: [], edges: [within], wholeDays: null });
    expect(splitPeriod({ from: at('2026-01-01T00:00:00'), to: at('2027-01-01T00:00:00') })).to.deep.equal({
      months: { from: '2026-01-01', to: '2027-01-01' },
      days: [],
      edges: [],
      wholeDays: { from: '2026-01-01', to: '2027-01-01' },
    });
  });

  it('when any period is split, then months, days and edges cover it exactly, in order, without overlap (property)', () => {
    const DAY = 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }), fc.integer({ min: 1, max: 400 * DAY }), (start, length) => {
        const period = { from: new Date(start), to: new Date(start + length) };
        const split = splitPeriod(period);
        const parts: Period[] = [...(split.months ? [rangePeriod(split.months)] : []), ...split.days.map(rangePeriod), ...split.edges].sort((a, b) => a.from.getTime() - b.from.getTime());
        expect(parts[0]?.from).to.deep.equal(period.from);
        expect(parts.at(-1)?.to).to.deep.equal(period.to);
        parts.forEach((p, i) => {
          expect(p.from.getTime()).to.be.lessThan(p.to.getTime());
          if (i > 0) expect(p.from).to.deep.equal(parts[i - 1]?.to);
        });
        if (split.months) expect(split.months.from.endsWith('-01') && split.months.to.endsWith('-01')).to.equal(true);
      }),
    );
  });

  it('when days are numbered in Asia/Shanghai, then 16:00 UTC starts the next day, and a day number starts at its midnight (property)', () => {
    expect(shanghaiDayNumber(Date.parse('2026-11-29T15:59:59.999Z'))).to.equal(shanghaiDayNumber(Date.parse('2026-11-29T00:00:00+08:00')));
    expect(shanghaiDayNumber(Date.parse('2026-11-29T16:00:00Z'))).to.equal(shanghaiDayNumber(Date.parse('2026-11-29T00:00:00+08:00')) + 1);
    expect(shanghaiDayStartOf(shanghaiDayNumber(Date.parse('2026-11-30T12:00:00+08:00'))).toISOString()).to.equal('2026-11-29T16:00:00.000Z');
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2100-01-01') }), (ms) => {
        const start = shanghaiDayStartOf(shanghaiDayNumber(ms));
        expect(start.getTime()).to.be.at.most(ms);
        expect(ms - start.getTime()).to.be.below(86_400_000);
        expect(shanghaiDate(start)).to.equal(shanghaiDate(new Date(ms)));
      }),
    );
  });
});
