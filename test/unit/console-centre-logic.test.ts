import { expect } from 'chai';
import { dispatchBody, simulateBodyOf } from '../../web/console/src/logic/centre.js';
import { csvDocument } from '../../web/console/src/logic/csv.js';
import { canDrill, drillInto, drillUpTo, formatRate, groupByCounty, groupSizes, rowsOfGroup, unitCsvRows, type UnitStat } from '../../web/console/src/logic/dashboard.js';
import { isValidPeriod, periodInstants, presetPeriod, sparkValues, weeklySums } from '../../web/console/src/logic/period.js';
import { sparkPoints } from '../../web/console/src/logic/sparkline.js';
import { dashboardPaths, openingParent, openingRequests } from '../../web/console/src/logic/dashboard-requests.js';
import { dropPrefetched, prefetch, takePrefetched } from '../../web/console/src/composables/prefetch.js';
import { visitBody } from '../../web/console/src/logic/visits.js';
import { byName, byNumber, nextSort, sortRows } from '../../web/console/src/logic/table-sort.js';

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

  describe('the dashboard’s first questions, asked while its screen loads', () => {
    const now = new Date('2026-11-30T05:00:00Z');
    const supervisor = { role: 'supervisor', unitCode: null };
    const handler = { role: 'handler', unitCode: '371321101' };

    it('when the centre opens 监督, then the city’s units and case mix, the county ranking, the hot topics and the repeats of this month are asked', () => {
      expect(openingRequests(undefined, supervisor, now)).to.deep.equal([
        '/api/stats/units?from=2026-11-01&to=2026-11-30&parent=3713',
        '/api/stats/case-mix?from=2026-11-01&to=2026-11-30&parent=3713',
        '/api/stats/rankings?group=counties&from=2026-11-01&to=2026-11-30',
        '/api/stats/hot-topics?from=2026-10-31T16%3A00%3A00.000Z&to=2026-11-30T16%3A00%3A00.000Z&limit=10&series=true',
        '/api/stats/repeats?from=2026-10-31T16%3A00%3A00.000Z&to=2026-11-30T16%3A00%3A00.000Z&limit=20',
      ]);
    });

    it('when a link opens another preset, then its period is asked; an unknown or custom one falls back to this month, as the screen does', () => {
      expect(openingRequests('year', supervisor, now)[0]).to.equal('/api/stats/units?from=2026-01-01&to=2026-11-30&parent=3713');
      expect(openingRequests('custom', supervisor, now)[0]).to.equal('/api/stats/units?from=2026-11-01&to=2026-11-30&parent=3713');
      expect(openingRequests('decade', supervisor, now)[0]).to.equal('/api/stats/units?from=2026-11-01&to=2026-11-30&parent=3713');
    });

    it('when a handler opens it, then only its own unit’s figures are asked (it sees no ranking, hot topics or repeats)', () => {
      expect(openingParent(handler)).to.deep.equal({ code: '371321101', name: '本单位' });
      expect(openingRequests(undefined, handler, now)).to.deep.equal([
        dashboardPaths.units({ from: '2026-11-01', to: '2026-11-30' }, '371321101'),
        dashboardPaths.caseMix({ from: '2026-11-01', to: '2026-11-30' }, '371321101'),
      ]);
    });

    it('when an answer was asked early, then the screen takes it once by its exact path, and nothing after a logout', async () => {
      let asked = 0;
      const ask = async (): Promise<unknown> => {
        asked += 1;
        return { asked };
      };
      prefetch('/api/stats/units?a', ask);
      prefetch('/api/stats/units?a', ask);
      expect(asked, 'a second early ask of the same path waits on the first').to.equal(1);
      expect(takePrefetched('/api/stats/units?b')).to.equal(undefined);
      expect(await takePrefetched('/api/stats/units?a')).to.deep.equal({ asked: 1 });
      expect(takePrefetched('/api/stats/units?a'), 'taken once').to.equal(undefined);
      prefetch('/api/stats/units?a', ask);
      dropPrefetched();
      expect(takePrefetched('/api/stats/units?a')).to.equal(undefined);
    });

    it('when an early answer fails and nobody takes it, then it is not an unhandled rejection; whoever takes it gets the error', async () => {
      prefetch('/api/stats/fails', () => Promise.reject(new Error('503')));
      const taken = takePrefetched('/api/stats/fails');
      const error = await taken?.then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(Error).with.property('message', '503');
      prefetch('/api/stats/fails', () => Promise.reject(new Error('503')));
      dropPrefetched();
    });
  });

  describe('the unit table’s groups', () => {
    const city = stat({ unitCode: '3713', name: '临沂市', kind: 'city', level: 'parent' });
    const fei = stat({ unitCode: '371325', name: '费县', kind: 'county' });
    const zone = stat({ unitCode: '371371', name: '临沂高新技术产业开发区', kind: 'county' });
    const housing = stat({ unitCode: '3713-zjj', name: '市住建局', kind: 'department' });
    const petitions = stat({ unitCode: '3713-xfj', name: '市信访局', kind: 'petitions_office' });

    it('when the city is shown, then its counties and zones are the divisions, and its departments and offices the other group', () => {
      const items = [city, fei, housing, zone, petitions];
      expect(rowsOfGroup(items, 'divisions').map((r) => r.unitCode)).to.deep.equal(['371325', '371371']);
      expect(rowsOfGroup(items, 'departments').map((r) => r.unitCode)).to.deep.equal(['3713-zjj', '3713-xfj']);
      expect(groupSizes(items)).to.deep.equal({ divisions: 2, departments: 2 });
    });

    it('when a level has children of one group only, then either choice shows them', () => {
      const township = stat({ unitCode: '371325101', name: '费城街道', kind: 'township' });
      expect(rowsOfGroup([fei, township].map((u, k) => ({ ...u, level: k ? 'child' : 'parent' })), 'departments').map((r) => r.unitCode)).to.deep.equal(['371325101']);
    });

    it('when a level has no children (a township, a department), then the table shows the level itself', () => {
      const alone = { ...housing, level: 'parent' as const };
      expect(rowsOfGroup([alone], 'divisions')).to.deep.equal([alone]);
      expect(groupSizes([alone])).to.deep.equal({ divisions: 0, departments: 0 });
    });
  });

  describe('sparkline points', () => {
    it('when counts are drawn, then the first is at the left edge, the last at the right, zero at the bottom and the largest at the top', () => {
      expect(sparkPoints([0, 5, 10], 100, 22, 2)).to.equal('0,20 50,11 100,2');
    });

    it('when every count is zero, then the line lies along the bottom', () => {
      expect(sparkPoints([0, 0], 100, 22, 2)).to.equal('0,20 100,20');
    });

    it('when there is one count, then it is a flat line across; when there is none, nothing is drawn', () => {
      expect(sparkPoints([3], 100, 22, 2)).to.equal('0,2 100,2');
      expect(sparkPoints([], 100, 22, 2)).to.equal('');
    });

    it('when a step falls between pixels, then its coordinates are rounded to a tenth', () => {
      expect(sparkPoints([1, 7, 7, 7], 100, 22, 2)).to.equal('0,17.4 33.3,2 66.7,2 100,2');
    });
  });

  describe('sorting the dashboard’s tables', () => {
    const rows = [
      { name: '费县', received: 5, rate: 0.5 },
      { name: '兰山区', received: 9, rate: null },
      { name: '沂水县', received: 5, rate: 0.9 },
      { name: '河东区', received: 7, rate: 0.1 },
    ];
    const names = (list: readonly { name: string }[]): string[] => list.map((r) => r.name);

    it('when a header is clicked again and again, then its column turns from its first order to the other, then back to the rows’ own order', () => {
      const first = nextSort({ key: null, order: null }, 'received', 'descending');
      expect(first).to.deep.equal({ key: 'received', order: 'descending' });
      const second = nextSort(first, 'received', 'descending');
      expect(second).to.deep.equal({ key: 'received', order: 'ascending' });
      expect(nextSort(second, 'received', 'descending')).to.deep.equal({ key: null, order: null });
      expect(nextSort(second, 'name', 'ascending'), 'another column starts over').to.deep.equal({ key: 'name', order: 'ascending' });
      expect(nextSort({ key: 'name', order: 'ascending' }, 'name', 'ascending')).to.deep.equal({ key: 'name', order: 'descending' });
    });

    it('when figures are sorted either way, then equal rows keep the order they came in', () => {
      const byReceived = byNumber((r: (typeof rows)[number]) => r.received);
      expect(names(sortRows(rows, byReceived, 'descending'))).to.deep.equal(['兰山区', '河东区', '费县', '沂水县']);
      expect(names(sortRows(rows, byReceived, 'ascending'))).to.deep.equal(['费县', '沂水县', '河东区', '兰山区']);
      expect(names(sortRows(rows, byReceived, null)), 'no order is the rows’ own').to.deep.equal(names(rows));
      expect(names(sortRows(rows, undefined, 'ascending')), 'a column with no comparison does not sort').to.deep.equal(names(rows));
    });

    it('when a rate is missing, then it sorts below every figure, even 0', () => {
      const withZero = [...rows, { name: '罗庄区', received: 1, rate: 0 }];
      expect(names(sortRows(withZero, byNumber((r: (typeof withZero)[number]) => r.rate), 'ascending'))).to.deep.equal(['兰山区', '罗庄区', '河东区', '费县', '沂水县']);
    });

    it('when names are sorted, then they follow pinyin', () => {
      expect(names(sortRows(rows, byName((r: (typeof rows)[number]) => r.name), 'ascending'))).to.deep.equal(['费县', '河东区', '兰山区', '沂水县']);
    });

    it('when rows are sorted, then the list given is left as it was', () => {
      const given = names(rows);
      sortRows(rows, byNumber((r: (typeof rows)[number]) => r.received), 'descending');
      expect(names(rows)).to.deep.equal(given);
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
