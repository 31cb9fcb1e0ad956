import { expect } from 'chai';
import { dispatchBody, simulateBodyOf } from '../../web/console/src/logic/centre.js';
import { csvDocument } from '../../web/console/src/logic/csv.js';
import { canDrill, drillInto, drillUpTo, formatRate, groupByCounty, unitCsvRows, type UnitStat } from '../../web/console/src/logic/dashboard.js';
import { isValidPeriod, periodInstants, presetPeriod, sparkValues, weeklySums } from '../../web/console/src/logic/period.js';
import { visitBody } from '../../web/console/src/logic/visits.js';

// Wednesday 2026-11-11, 07:30 in Linyi (still Tuesday 23:30 in UTC).
const NOW = new Date('2026-11-10T23:30:00Z');

const stat = (overrides: Partial<UnitStat>): UnitStat => ({
  unitCode: '371325',
  name: '费县',
  kind: 'county',
  level: 'child',
  received: 10,
  dispatched: 10,
  acceptedOnTime: 9,
  replied: 8,
  repliedOnTime: 7,
  overdue: 1,
  overdueNow: 2,
  returned: 0,
  extended: 0,
  reopened: 0,
  escalated: 1,
  rated: 4,
  satisfied: 3,
  basicallySatisfied: 0,
  dissatisfied: 1,
  acceptDue: 10,
  resolutionDue: 8,
  responseRate: 0.9,
  resolutionRate: 0.875,
  satisfactionRate: 0.75,
  petitionsRejected: 0,
  disputed: 0,
  disputesUpheld: 0,
  disputesDismissed: 0,
  ratingAppeals: 0,
  ratingsExcluded: 0,
  registered: 0,
  answeredDirectly: 0,
  directAnswerRate: null,
  firstDispatched: 0,
  firstDispatchKept: 0,
  autoDispatched: 0,
  firstDispatchAccuracy: null,
  autoDispatchRate: null,
  ...overrides,
});

describe('staff console logic of the centre screens (派单中心, 监督, 回访)', () => {
  describe('period presets', () => {
    it('when it is Wednesday morning in Linyi, then 本周 runs from Monday to today by the Linyi calendar, not UTC', () => {
      expect(presetPeriod('week', NOW)).to.deep.equal({ from: '2026-11-09', to: '2026-11-11' });
    });

    it('when the month, quarter and year presets are asked for, then each starts on its first day and ends today', () => {
      expect(presetPeriod('month', NOW)).to.deep.equal({ from: '2026-11-01', to: '2026-11-11' });
      expect(presetPeriod('quarter', NOW)).to.deep.equal({ from: '2026-10-01', to: '2026-11-11' });
      expect(presetPeriod('year', NOW)).to.deep.equal({ from: '2026-01-01', to: '2026-11-11' });
      expect(presetPeriod('quarter', new Date('2026-03-31T15:00:00Z'))).to.deep.equal({ from: '2026-01-01', to: '2026-03-31' });
    });

    it('when today is a Monday or a Sunday, then the week starts that Monday or six days before', () => {
      expect(presetPeriod('week', new Date('2026-11-16T01:00:00Z')).from).to.equal('2026-11-16');
      expect(presetPeriod('week', new Date('2026-11-15T01:00:00Z')).from).to.equal('2026-11-09');
    });

    it('when a custom period is missing an end or runs backwards, then it is not valid', () => {
      expect(isValidPeriod({ from: '2026-01-01', to: '2026-01-31' })).to.equal(true);
      expect(isValidPeriod({ from: '2026-02-01', to: '2026-01-31' })).to.equal(false);
      expect(isValidPeriod({ from: null, to: '2026-01-31' })).to.equal(false);
      expect(isValidPeriod({ from: '2026-1-1', to: '2026-01-31' })).to.equal(false);
    });

    it('when a period is turned into instants, then it runs from 00:00 of its first day to 24:00 of its last in Linyi, cut to the newest days if asked', () => {
      expect(periodInstants({ from: '2026-01-01', to: '2026-01-31' })).to.deep.equal({ from: '2025-12-31T16:00:00.000Z', to: '2026-01-31T16:00:00.000Z' });
      expect(periodInstants({ from: '2026-01-01', to: '2026-12-31' }, 92).from).to.equal('2026-09-30T16:00:00.000Z');
    });

    it('when a sparkline covers more than a month, then its days are summed by week; a month or less stays daily', () => {
      expect(weeklySums([1, 1, 1, 1, 1, 1, 1, 2, 2])).to.deep.equal([7, 4]);
      expect(sparkValues([1, 2, 3])).to.deep.equal([1, 2, 3]);
      expect(sparkValues(new Array<number>(366).fill(1))).to.have.length(53);
    });
  });

  describe('CSV export of the dashboard', () => {
    it('when a unit name opens with = + - @, a tab or a carriage return, then the cell is neutralised as in the server exports', () => {
      const doc = csvDocument(['单位', '受理量'], [['=HYPERLINK("x")', 3], ['+1', 0], ['-2', 1], ['@SUM', 2], ['\tx', 1], ['\rx', 1]]);
      const lines = doc.slice(1).split('\r\n');
      expect(doc.startsWith('\uFEFF')).to.equal(true);
      expect(lines.slice(1, 7)).to.deep.equal([`"'=HYPERLINK(""x"")",3`, "'+1,0", "'-2,1", "'@SUM,2", "'\tx,1", `"'\rx",1`]);
      expect(lines.at(-1)).to.equal('');
    });

    it('when the unit table is exported, then rates are fractions with 4 decimals and empty when there is nothing to divide', () => {
      const { header, rows } = unitCsvRows([stat({ responseRate: 2 / 3, satisfactionRate: null })]);
      expect(header.slice(0, 6)).to.deep.equal(['单位编码', '单位', '受理量', '响应率', '办结率', '满意率']);
      expect(rows[0]?.slice(0, 6)).to.deep.equal(['371325', '费县', 10, 0.6667, 0.875, '']);
    });

    it('when the unit table is exported, then the first-dispatch accuracy and the auto-dispatch rate close each row', () => {
      const { header, rows } = unitCsvRows([stat({ firstDispatchAccuracy: 5 / 6, autoDispatchRate: null })]);
      expect(header.slice(-2)).to.deep.equal(['首次派单准确率', '自动派单率']);
      expect(rows[0]?.slice(-2)).to.deep.equal([0.8333, '']);
    });
  });

  describe('roll-up and drill-down', () => {
    it('when a rate is shown, then it is a percentage with one decimal, a dash when null', () => {
      expect(formatRate(0.8756)).to.equal('87.6%');
      expect(formatRate(null)).to.equal('—');
      expect(formatRate(1)).to.equal('100.0%');
    });

    it('when a county row is opened, then the trail goes city → county → township and back up; townships and departments do not open', () => {
      expect(canDrill(stat({ kind: 'county' }))).to.equal(true);
      expect(canDrill(stat({ kind: 'township' }))).to.equal(false);
      expect(canDrill(stat({ kind: 'department' }))).to.equal(false);
      expect(canDrill(stat({ kind: 'county', level: 'parent' }))).to.equal(false);
      const city = { code: '3713', name: '临沂市' };
      const trail = drillInto([city], { code: '371325', name: '费县' });
      expect(trail.map((s) => s.code)).to.deep.equal(['3713', '371325']);
      expect(drillInto(trail, { code: '371325', name: '费县' })).to.deep.equal(trail);
      expect(drillUpTo(trail, 0)).to.deep.equal([city]);
      expect(drillUpTo([city], -1)).to.deep.equal([city]);
    });

    it('when divisions are grouped for the treemap, then townships sit under their county, a county-only case is named as such, and counties come largest first', () => {
      const grouped = groupByCounty([
        { code: '371325105', name: '探沂镇', countyCode: '371325', countyName: '费县', received: 5 },
        { code: '371325', name: '费县', countyCode: '371325', countyName: '费县', received: 2 },
        { code: '371321001', name: '界湖街道', countyCode: '371321', countyName: '沂南县', received: 9 },
        { code: '', name: null, countyCode: null, countyName: null, received: 1 },
      ]);
      expect(grouped.map((c) => [c.name, c.received])).to.deep.equal([['沂南县', 9], ['费县', 7], ['未识别地区', 1]]);
      expect(grouped[1]?.townships.map((t) => t.name)).to.deep.equal(['探沂镇', '费县（未细分到乡镇）']);
    });
  });

  describe('dispatch and return visit bodies', () => {
    it('when a stored case is previewed, then the dry run gets its routable fields and none of its nulls', () => {
      const body = simulateBodyOf({ channel: 'hotline', type: 'complaint', category: null, title: '路灯', content: '路灯不亮', address: null, divisionCode: '371325105', urgency: 'normal' });
      expect(body).to.deep.equal({ channel: 'hotline', type: 'complaint', content: '路灯不亮', urgency: 'normal', title: '路灯', divisionCode: '371325105' });
    });

    it('when co-handling units repeat or include the unit itself, then they are sent once and without it', () => {
      expect(dispatchBody('A', ['B', 'A', 'B', 'C'], '  ', 3)).to.deep.equal({ action: 'dispatch', unitCode: 'A', coUnits: ['B', 'C'], expectedVersion: 3 });
      expect(dispatchBody('A', [], '请尽快处理')).to.deep.equal({ action: 'dispatch', unitCode: 'A', note: '请尽快处理' });
    });

    it('when a return visit is recorded, then it is one close action with the satisfaction', () => {
      expect(visitBody('basically_satisfied', ' 已修好 ', 4)).to.deep.equal({ action: 'close', satisfaction: 'basically_satisfied', comment: '已修好', expectedVersion: 4 });
      expect(visitBody('satisfied', '')).to.deep.equal({ action: 'close', satisfaction: 'satisfied' });
    });
  });
});
