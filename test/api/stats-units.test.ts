import { expect } from 'chai';
import { caseMix } from '../../models/insights/stats/case-mix.js';
import { rebuildStatistics, sealStatistics } from '../../models/insights/stats/rollup.js';
import { splitPeriod, unitStatistics } from '../../models/insights/stats/unit-stats.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { eventually } from '../support/deadline-cases.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

// 蒙阴县 and 临沭县 townships: no other test file writes events there while this one runs.
const MENGYIN = '371328';
const [A, B, C] = ['371328101', '371328102', '371328103']; // 常路镇, 岱崮镇, 坦埠镇
const LINSHU = '371329';
const D = '371329101'; // 蛟龙镇

async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
  if (res.status !== 200) throw new Error(`${String(body.action)} failed: ${res.status} ${res.text}`);
  return res.body;
}

async function citizen(c: Record<string, any>, what: 'rating' | 'escalations', body: Record<string, unknown>): Promise<void> {
  const res = await request('POST', `/api/public/cases/${c.caseNo}/${what}`, { ip: freshIp(), body: { code: c.queryCode, ...body } });
  if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${res.text}`);
}

const streetLight = (address: string): Record<string, unknown> => ({ title: '路灯不亮', address });

/** A street-light case taken today from a letter received 25 days ago: its reply limit has already passed. */
const lateLetter = (address: string): Record<string, unknown> => ({ ...streetLight(address), channel: 'letter', receivedAt: new Date(Date.now() - 25 * 86_400_000).toISOString() });

/** Waits until the deadline worker has given the case its red card (超时). */
async function replyOverdue(caseId: string, by: Staff): Promise<void> {
  await eventually(async () => {
    const res = await request('GET', `/api/cases/${caseId}`, { token: by.token });
    return res.body.events?.some((e: { action: string }) => e.action === 'deadline_overdue') ? true : undefined;
  }, 15_000, 'the red card of a case received 25 days ago');
}

describe('unit statistics and rankings (GET /api/stats/units, /api/stats/rankings)', () => {
  let started: string;
  let supervisor: Staff;
  let admin: Staff;
  const handlers = new Map<string, Staff>();
  const handler = (unit: string): Staff => {
    const staff = handlers.get(unit);
    if (!staff) throw new Error(`no handler of ${unit}`);
    return staff;
  };
  const window = (): string => `from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
  const stats = (query: string, by: Staff = supervisor) => request('GET', `/api/stats/units?${window()}&${query}`, { token: by.token });
  const item = (body: { items: { unitCode: string }[] }, code: string): Record<string, any> => {
    const found = body.items.find((i) => i.unitCode === code);
    if (!found) throw new Error(`no item for ${code}`);
    return found;
  };

  before(async function () {
    this.timeout(60_000);
    started = new Date(Date.now() - 1000).toISOString();
    supervisor = await createStaff('supervisor');
    admin = await createStaff('admin');
    for (const unit of [A, B, C, MENGYIN, D]) handlers.set(unit, await createStaff('handler', unit));
    const [hA, hB, hC, hCounty, hD] = [handler(A), handler(B), handler(C), handler(MENGYIN), handler(D)];
    const operator = await createStaff('operator');

    // 1. A accepts and replies; the citizen is satisfied.
    const c1 = await buildCase(streetLight('临沂市蒙阴县常路镇东村'), operator);
    expect(c1.assignedUnit.code).to.equal(A);
    await act(hA, c1.id, { action: 'accept' });
    await act(hA, c1.id, { action: 'reply', reply: '已修复' });
    await citizen(c1, 'rating', { satisfaction: 'satisfied' });
    // 2. A answers, the citizen is dissatisfied (rate + reopen to A), A answers again: basically satisfied.
    const c2 = await buildCase(streetLight('临沂市蒙阴县常路镇西村'), operator);
    await act(hA, c2.id, { action: 'accept' });
    await act(hA, c2.id, { action: 'reply', reply: '已处理' });
    await citizen(c2, 'rating', { satisfaction: 'dissatisfied' });
    await act(hA, c2.id, { action: 'accept' });
    await act(hA, c2.id, { action: 'reply', reply: '已再次处理' });
    await citizen(c2, 'rating', { satisfaction: 'basically_satisfied' });
    // 3. The case changes unit: A returns it, the centre sends it to B, which gets an extension,
    //    replies, and the centre closes it after a satisfied return visit.
    const c3 = await buildCase(streetLight('临沂市蒙阴县常路镇南村'), operator);
    await act(hA, c3.id, { action: 'return', reason: '不属于本镇辖区' });
    await act(supervisor, c3.id, { action: 'dispatch', unitCode: B });
    await act(hB, c3.id, { action: 'accept' });
    await act(hB, c3.id, { action: 'request_extension', days: 3, reason: '需要更换线路' });
    await act(supervisor, c3.id, { action: 'approve_extension' });
    await act(hB, c3.id, { action: 'reply', reply: '已更换线路' });
    await act(supervisor, c3.id, { action: 'close', satisfaction: 'satisfied' });
    // 4. At B: chased (催办), accepted, then its reply limit passes: still open and overdue now.
    const c4 = await buildCase(lateLetter('临沂市蒙阴县岱崮镇北村'), operator);
    expect(c4.assignedUnit.code).to.equal(B);
    await citizen(c4, 'escalations', { reason: '一直没人来修' });
    await act(hB, c4.id, { action: 'accept' });
    await replyOverdue(c4.id, hB);
    // 5. No rule places it; the centre sends it to the county, which forwards it (下派) to C.
    const c5 = await buildCase({ type: 'consultation', title: '一般咨询', content: '想了解一下相关事项的流程', address: undefined }, operator);
    expect(c5.assignedUnit).to.equal(null);
    await act(supervisor, c5.id, { action: 'dispatch', unitCode: MENGYIN });
    await act(hCounty, c5.id, { action: 'accept' });
    await act(hCounty, c5.id, { action: 'forward', unitCode: C });
    await act(hC, c5.id, { action: 'accept' });
    await act(hC, c5.id, { action: 'reply', reply: '已电话答复' });
    // 6. In 临沭县, D answers after its red card (late), and the citizen is satisfied.
    const c6 = await buildCase(lateLetter('临沂市临沭县蛟龙镇前村'), operator);
    expect(c6.assignedUnit.code).to.equal(D);
    await act(hD, c6.id, { action: 'accept' });
    await replyOverdue(c6.id, hD);
    await act(hD, c6.id, { action: 'reply', reply: '已修复' });
    await citizen(c6, 'rating', { satisfaction: 'satisfied' });
  });

  it('when the county is asked for, then every figure and rate of each township and of the county matches the history, a case that changed unit counting for both', async () => {
    const res = await stats(`parent=${MENGYIN}`);

    expect(res.status).to.equal(200);
    expect(res.body.items[0]).to.include({ unitCode: MENGYIN, level: 'parent' });
    expect(res.body.items.slice(1).every((i: { level: string }) => i.level === 'child')).to.equal(true);
    const zero = { received: 0, dispatched: 0, acceptedOnTime: 0, replied: 0, repliedOnTime: 0, overdue: 0, overdueNow: 0, returned: 0, extended: 0, reopened: 0, escalated: 0, rated: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0 };
    expect(item(res.body, A)).to.include({
      ...zero, received: 3, dispatched: 3, reopened: 1, acceptedOnTime: 3, replied: 3, repliedOnTime: 3, returned: 1, rated: 3, satisfied: 1, basicallySatisfied: 1, dissatisfied: 1,
      responseRate: 3 / 4, resolutionRate: 3 / 3, satisfactionRate: 2 / 3,
    });
    expect(item(res.body, B)).to.include({
      ...zero, received: 2, dispatched: 2, acceptedOnTime: 2, replied: 1, repliedOnTime: 1, overdue: 1, overdueNow: 1, extended: 1, escalated: 1, rated: 1, satisfied: 1,
      // Due: its reply, and the red card of case 4, still unanswered.
      responseRate: 2 / 2, resolutionRate: 1 / 2, satisfactionRate: 1 / 1,
    });
    expect(item(res.body, C)).to.include({ ...zero, received: 1, dispatched: 1, acceptedOnTime: 1, replied: 1, repliedOnTime: 1, responseRate: 1, resolutionRate: 1, satisfactionRate: null });
    // The county's own dispatch and acceptance of case 5 count in its total; case 5 is received once.
    expect(item(res.body, MENGYIN)).to.include({
      ...zero, received: 5, dispatched: 7, reopened: 1, acceptedOnTime: 7, replied: 5, repliedOnTime: 5, overdue: 1, overdueNow: 1, returned: 1, extended: 1, escalated: 1,
      rated: 4, satisfied: 2, basicallySatisfied: 1, dissatisfied: 1, responseRate: 7 / 8, resolutionRate: 5 / 6, satisfactionRate: 3 / 4,
    });
    expect(item(res.body, '371328104')).to.include({ ...zero, responseRate: null, resolutionRate: null, satisfactionRate: null });
  });

  it('when a first dispatch was returned, then it counts against the first-dispatch accuracy of the unit it went to, and the routing\'s dispatches make the auto-dispatch rate', async () => {
    const res = await stats(`parent=${MENGYIN}`);

    // Cases 1-3 were routed to A at intake; A returned case 3, whose dispatch to B is no first one.
    expect(item(res.body, A)).to.include({ firstDispatched: 3, firstDispatchKept: 2, autoDispatched: 3, firstDispatchAccuracy: 2 / 3, autoDispatchRate: 1 });
    expect(item(res.body, B)).to.include({ firstDispatched: 1, firstDispatchKept: 1, autoDispatched: 1, firstDispatchAccuracy: 1, autoDispatchRate: 1 });
    // Case 5 reached C by the county's forward (下派), which is no dispatch by the centre.
    expect(item(res.body, C)).to.include({ firstDispatched: 0, firstDispatchKept: 0, autoDispatched: 0, firstDispatchAccuracy: null, autoDispatchRate: null });
    // The county's own first dispatch (case 5, by the centre's hand) is in its total.
    expect(item(res.body, MENGYIN)).to.include({ firstDispatched: 5, firstDispatchKept: 4, autoDispatched: 4, firstDispatchAccuracy: 4 / 5, autoDispatchRate: 4 / 5 });
  });

  it('when the city is asked for, then the county is one rolled-up item among the counties and city departments', async () => {
    const res = await stats('');

    expect(res.body.items[0]).to.include({ unitCode: '3713', level: 'parent' });
    expect(item(res.body, MENGYIN)).to.include({ received: 5, dispatched: 7, replied: 5, overdue: 1, rated: 4 });
    expect(item(res.body, LINSHU)).to.include({ received: 1, replied: 1, repliedOnTime: 0, overdue: 1, resolutionRate: 0, responseRate: 1, satisfactionRate: 1 });
    expect(res.body.items.some((i: { unitCode: string }) => i.unitCode === A)).to.equal(false);
  });

  it('when CSV is asked for, then it is UTF-8 with a BOM, a header row and one row per item', async () => {
    const json = await stats(`parent=${MENGYIN}`);
    // Raw bytes: fetch's text() would drop the byte order mark this checks.
    const csv = await fetch(`${harness().baseUrl}/api/stats/units?${window()}&parent=${MENGYIN}&format=csv`, { headers: { authorization: `Bearer ${supervisor.token}` } });
    const bytes = new Uint8Array(await csv.arrayBuffer());

    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.match(/^text\/csv; charset=utf-8/);
    expect([...bytes.slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n');
    expect(lines[0]?.split(',').slice(0, 4)).to.deep.equal(['unitCode', 'name', 'level', 'received']);
    expect(lines).to.have.length(json.body.items.length + 1);
    expect(lines.find((l) => l.startsWith(`${A},`))).to.equal(`${A},常路镇,child,3,3,3,3,3,0,0,1,0,1,0,3,1,1,1,0,4,3,0.7500,1.0000,0.6667,0,0,0,0,0,0,0,,3,2,3,0.6667,1.0000`);
  });

  it('when a handler asks, then it sees its own subtree by default and anything outside it is refused with 403', async () => {
    const own = await stats('', handler(A));
    const county = await stats(`parent=${A}`, handler(MENGYIN));

    expect(own.status).to.equal(200);
    expect(own.body.items.map((i: { unitCode: string }) => i.unitCode)).to.deep.equal([A]);
    expect(own.body.items[0]).to.include({ received: 3, replied: 3 });
    expect(county.status).to.equal(200);
    expect((await stats(`parent=${MENGYIN}`, handler(A))).status).to.equal(403);
    expect((await stats(`parent=${B}`, handler(A))).status).to.equal(403);
    expect((await stats(`parent=${LINSHU}`, handler(MENGYIN))).status).to.equal(403);
    expect((await stats('', await createStaff('operator'))).status).to.equal(403);
    expect((await stats('parent=9999')).status).to.equal(404);
  });

  it('when the period is empty or malformed, then it is refused with 400', async () => {
    expect((await request('GET', '/api/stats/units?from=2026-05-02&to=2026-05-01', { token: supervisor.token })).status).to.equal(400);
    expect((await request('GET', '/api/stats/units?from=yesterday', { token: supervisor.token })).status).to.equal(400);
  });

  describe('rankings (县区排名) and their weights', () => {
    const rankings = () => request('GET', `/api/stats/rankings?${window()}&group=counties`, { token: supervisor.token });
    const putWeights = (body: Record<string, unknown>, by: Staff = admin) => request('PUT', '/api/stats/ranking-weights', { token: by.token, body });
    after(async () => {
      await putWeights({ response: 0.3, resolution: 0.4, satisfaction: 0.3, overduePenalty: 0 });
    });

    it('when counties are ranked, then the scores follow the weights, the order follows the scores, and units without data come last', async () => {
      await putWeights({ response: 0.3, resolution: 0.4, satisfaction: 0.3, overduePenalty: 0 });
      const first = (await rankings()).body;
      const score = (body: { items: { unitCode: string; score: number | null }[] }, code: string) => body.items.find((i) => i.unitCode === code)?.score;
      const position = (body: { items: { unitCode: string }[] }, code: string) => body.items.findIndex((i) => i.unitCode === code);

      expect(first.items).to.have.length(18);
      expect(score(first, MENGYIN)).to.be.closeTo(0.3 * (7 / 8) + 0.4 * (5 / 6) + 0.3 * (3 / 4), 1e-6);
      expect(score(first, LINSHU)).to.be.closeTo(0.3 * 1 + 0.4 * 0 + 0.3 * 1, 1e-6);
      expect(position(first, MENGYIN)).to.be.below(position(first, LINSHU));
      const scores = first.items.map((i: { score: number | null }) => i.score);
      const unscored = scores.indexOf(null);
      expect(scores.slice(unscored === -1 ? scores.length : unscored).every((s: number | null) => s === null)).to.equal(true);
      expect(first.items.filter((i: { rank: number | null }) => i.rank !== null).map((i: { rank: number }) => i.rank)).to.deep.equal(
        Array.from({ length: unscored === -1 ? scores.length : unscored }, (_, i) => i + 1),
      );

      await putWeights({ response: 0.5, resolution: 0, satisfaction: 0.5 });
      const second = (await rankings()).body;
      expect(score(second, MENGYIN)).to.be.closeTo(0.5 * (7 / 8) + 0.5 * (3 / 4), 1e-6);
      expect(score(second, LINSHU)).to.be.closeTo(1, 1e-6);
      expect(position(second, LINSHU)).to.be.below(position(second, MENGYIN));

      await putWeights({ response: 0.5, resolution: 0, satisfaction: 0.5, overduePenalty: 0.5 });
      const third = (await rankings()).body;
      expect(score(third, MENGYIN)).to.be.closeTo(0.8125 - 0.5 * (1 / 8), 1e-6);
      expect(score(third, LINSHU)).to.be.closeTo(1 - 0.5 * 1, 1e-6);
      expect(position(third, MENGYIN)).to.be.below(position(third, LINSHU));
    });

    it('when an admin changes the weights, then the change is recorded with who and when; invalid weights get 400 and other roles 403', async () => {
      const res = await putWeights({ response: 0.2, resolution: 0.5, satisfaction: 0.3, overduePenalty: 0.1 });
      const read = await request('GET', '/api/stats/ranking-weights', { token: supervisor.token });

      expect(res.status).to.equal(200);
      expect(read.body.current).to.include({ response: 0.2, resolution: 0.5, satisfaction: 0.3, overduePenalty: 0.1 });
      expect(read.body.current.updatedBy).to.deep.equal({ id: admin.id, username: admin.username });
      expect(Date.now() - new Date(read.body.current.updatedAt).getTime()).to.be.below(60_000);
      expect(read.body.history[0].version).to.be.below(read.body.current.version);
      const bad = await putWeights({ response: 0.5, resolution: 0.4, satisfaction: 0.3 });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details[0].message).to.match(/sum to 1/);
      expect((await putWeights({ response: 1.5, resolution: -0.5, satisfaction: 0 })).status).to.equal(400);
      expect((await putWeights({ response: 0.3, resolution: 0.4, satisfaction: 0.3 }, supervisor)).status).to.equal(403);
      expect((await request('GET', '/api/stats/rankings', { token: handler(A).token })).status).to.equal(403);
    });
  });
});

describe('first-dispatch accuracy (GET /api/stats/units)', () => {
  // 莒南县 townships: no other test file writes events there.
  const JUNAN = '371327';
  const [FANGQIAN, BANQUAN] = ['371327103', '371327106']; // 坊前镇, 板泉镇

  it('when the centre corrects a dispatch or a unit returns one, then only the first undoing counts, for the unit of the first dispatch', async () => {
    const started = new Date(Date.now() - 1000).toISOString();
    const supervisor = await createStaff('supervisor');
    const operator = await createStaff('operator');
    const banquan = await createStaff('handler', BANQUAN);
    // P: routed to 坊前镇, then corrected by the centre to 板泉镇 without a return.
    const p = await buildCase(streetLight('临沂市莒南县坊前镇前街村'), operator);
    expect(p.assignedUnit.code).to.equal(FANGQIAN);
    await act(supervisor, p.id, { action: 'dispatch', unitCode: BANQUAN });
    // Q: routed to 板泉镇 and kept.
    const q = await buildCase(streetLight('临沂市莒南县板泉镇后村'), operator);
    expect(q.assignedUnit.code).to.equal(BANQUAN);
    // R: left to the centre, dispatched by hand to 板泉镇, returned, and dispatched there again.
    const r = await buildCase({ type: 'consultation', title: '一般咨询', content: '想了解一下相关事项的流程', address: undefined }, operator);
    expect(r.assignedUnit).to.equal(null);
    await act(supervisor, r.id, { action: 'dispatch', unitCode: BANQUAN });
    await act(banquan, r.id, { action: 'return', reason: '请核实地址' });
    await act(supervisor, r.id, { action: 'dispatch', unitCode: BANQUAN });

    const window = `from=${encodeURIComponent(started)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const res = await request('GET', `/api/stats/units?${window}&parent=${JUNAN}`, { token: supervisor.token });

    expect(res.status).to.equal(200);
    const item = (code: string): Record<string, unknown> => res.body.items.find((i: { unitCode: string }) => i.unitCode === code) ?? {};
    expect(item(FANGQIAN)).to.include({ firstDispatched: 1, firstDispatchKept: 0, autoDispatched: 1, firstDispatchAccuracy: 0, autoDispatchRate: 1 });
    expect(item(BANQUAN)).to.include({ firstDispatched: 2, firstDispatchKept: 1, autoDispatched: 1, firstDispatchAccuracy: 0.5, autoDispatchRate: 0.5 });
    expect(item(JUNAN)).to.include({ firstDispatched: 3, firstDispatchKept: 1, autoDispatched: 2, firstDispatchAccuracy: 1 / 3, autoDispatchRate: 2 / 3 });
  });
});

describe('unit statistics read from the daily rollups', () => {
  // 沂南县 townships; this history is three days old, so no other test's events fall among it.
  const YINAN = '371321';
  const [AN, SUN, SHUANG, QING, ZHANGZHUANG] = ['371321101', '371321102', '371321103', '371321104', '371321105']; // 岸堤镇, 孙祖镇, 双堠镇, 青驼镇, 张庄镇
  const HOUR = 3_600_000;
  // Midnight in Asia/Shanghai (UTC+8) three days ago.
  const day0 = Math.floor((Date.now() + 8 * HOUR) / (24 * HOUR)) * 24 * HOUR - 8 * HOUR - 72 * HOUR;
  const at = (hours: number): Date => new Date(day0 + hours * HOUR);
  // The last window ends where the history does: today other tests dispatch to these townships too.
  const windows: [Date, Date][] = [[at(0), new Date(Date.now() + 60_000)], [at(11.5), at(72)], [at(24), at(60)], [at(24), at(61)], [at(0), at(72)]];
  const byCode = (items: { unitCode: string }[], code: string): Record<string, any> => items.find((i) => i.unitCode === code) ?? {};
  let zCase: string | undefined;

  before(async () => {
    // Arrangement: two closed cases and their timelines written straight into the tables, as the
    // API would have written them three days ago (the API can only write the present).
    const pool = harness().pool;
    const { rows } = await pool.query<{ id: string; unit: string }>(
      `INSERT INTO cases (case_no, query_code, channel, type, content, status, assigned_unit_code, received_at, created_at)
       SELECT 'SR' || nextval('case_no_seq'), '123456', 'hotline', 'complaint', '统计汇总测试', 'closed', u, $1, $1 FROM unnest($2::text[]) AS u RETURNING id, assigned_unit_code AS unit`,
      [at(10), [AN, SHUANG, QING, ZHANGZHUANG]],
    );
    const [x, y, z, w] = [AN, SHUANG, QING, ZHANGZHUANG].map((unit) => rows.find((r) => r.unit === unit)?.id);
    zCase = z;
    // X: to the county, forwarded (下派) to 岸堤镇, answered, reopened by a dissatisfied citizen, answered again.
    // Y: to 孙祖镇, returned, re-dispatched 27.5 hours after its first arrival to 双堠镇, red card, late reply, closed.
    // Z: to 青驼镇, red card on the second day, answered on the third (after a first seal at the end of the second).
    // W: to 张庄镇 on the first day, returned on the third: after the first seal, before the second.
    const events: [string | undefined, number, string, string, string | null, string | null, Record<string, unknown>][] = [
      [x, 10, 'dispatch', 'dispatched', YINAN, null, { first: true }], [x, 11, 'accept', 'in_progress', YINAN, YINAN, { onTime: true }],
      [x, 12, 'forward', 'dispatched', AN, YINAN, { fromUnit: YINAN }], [x, 13, 'accept', 'in_progress', AN, AN, { onTime: true }],
      [x, 33, 'reply', 'replied', AN, AN, { onTime: true }], [x, 34, 'rate', 'replied', AN, null, { rating: { satisfaction: 'dissatisfied' } }],
      [x, 34, 'reopen', 'dispatched', AN, null, {}], [x, 57, 'accept', 'in_progress', AN, AN, { onTime: true }], [x, 63, 'reply', 'replied', AN, AN, { onTime: true }],
      [y, 10.5, 'dispatch', 'dispatched', SUN, null, { first: true }],
      [y, 32, 'return', 'returned', null, SUN, { returnedBy: SUN, firstDispatchAt: at(10.5).toISOString(), firstDispatchUnit: SUN }],
      [y, 38, 'dispatch', 'dispatched', SHUANG, null, {}], [y, 39, 'accept', 'in_progress', SHUANG, SHUANG, { onTime: true }],
      [y, 58, 'deadline_overdue', 'in_progress', SHUANG, null, { kind: 'reply' }], [y, 68, 'reply', 'replied', SHUANG, SHUANG, { onTime: false }],
      [y, 70, 'close', 'closed', SHUANG, null, { rating: { satisfaction: 'satisfied' } }],
      [z, 30, 'dispatch', 'dispatched', QING, null, { first: true }], [z, 31, 'accept', 'in_progress', QING, QING, { onTime: true }],
      [z, 40, 'deadline_overdue', 'in_progress', QING, null, { kind: 'reply' }], [z, 60, 'reply', 'replied', QING, QING, { onTime: false }],
      [w, 11, 'dispatch', 'dispatched', ZHANGZHUANG, null, { first: true }],
      [w, 61, 'return', 'returned', null, ZHANGZHUANG, { returnedBy: ZHANGZHUANG, firstDispatchAt: at(11).toISOString(), firstDispatchUnit: ZHANGZHUANG }],
    ];
    for (const [caseId, hours, action, status, unit, actorUnit, data] of events) {
      await pool.query(
        `INSERT INTO case_events (case_id, action, to_status, actor_role, actor_unit, unit_code, data, created_at) VALUES ($1, $2, $3, 'system', $4, $5, $6, $7)`,
        [caseId, action, status, actorUnit, unit, data, at(hours)],
      );
    }
  });

  it('when past days are sealed into rollups, then every window gives the same figures as counting the events, including cases received across its start', async () => {
    const figures = (sealedUntil: Date) => Promise.all(windows.map(([from, to]) => unitStatistics(harness().pool, YINAN, from, to, sealedUntil)));
    const live = await figures(new Date(0));
    // Sealed in two steps, so that a red card sealed before its answer gets the answer at the next seal.
    const firstSeal = await rebuildStatistics(harness().pool, at(48));
    expect(await figures(firstSeal)).to.deep.equal(live);
    const sealed = await sealStatistics(harness().pool);
    const rolled = await figures(sealed);

    windows.forEach(([from, to]) => expect(splitPeriod(from, to, sealed).rollup, `${from.toISOString()}..${to.toISOString()} uses the rollups`).to.not.equal(null));
    expect(rolled).to.deep.equal(live);
    const [, w2, w3, w4] = rolled as [unknown, { unitCode: string }[], { unitCode: string }[], { unitCode: string }[]];
    // From 11:30 on the first day: X's forward and Y's re-dispatch follow arrivals before the window, X's reopen one inside it; Z arrives inside.
    expect(byCode(w2, YINAN)).to.include({ received: 3, dispatched: 3, reopened: 1 });
    expect(byCode(w2, AN)).to.include({ received: 1, dispatched: 1, reopened: 1, acceptedOnTime: 2, replied: 2, repliedOnTime: 2, dissatisfied: 1 });
    expect(byCode(w2, SUN)).to.include({ received: 0, dispatched: 0, returned: 1 });
    expect(byCode(w2, SHUANG)).to.include({ received: 1, dispatched: 1, overdue: 1, replied: 1, repliedOnTime: 0, resolutionDue: 1, satisfied: 1, resolutionRate: 0 });
    // The second and third days: X's reopen, Y's re-dispatch and Z's dispatch, each the case's first arrival in the window.
    expect(byCode(w3, YINAN)).to.include({ received: 3, dispatched: 2, reopened: 1, returned: 1 });
    expect(byCode(w3, AN)).to.include({ received: 1, dispatched: 0, reopened: 1, replied: 1, acceptedOnTime: 1 });
    expect(byCode(w3, SHUANG)).to.include({ received: 1, overdue: 1, replied: 0, resolutionDue: 1, resolutionRate: 0 });
    // Z's red card is open at the end of the third window and answered (late) within the fourth.
    expect(byCode(w3, QING)).to.include({ overdue: 1, replied: 0, resolutionDue: 1 });
    expect(byCode(w4, QING)).to.include({ overdue: 1, replied: 1, repliedOnTime: 0, resolutionDue: 1 });
    // First dispatches: X, Y, Z and W from the start; Y's was returned the next day, W's two days later
    // (read from the timeline after the first seal, from the rollup after the second). From 11:30 only Z's.
    const w1 = rolled[4] ?? [];
    expect(byCode(w1, YINAN)).to.include({ firstDispatched: 4, firstDispatchKept: 2, autoDispatched: 4 });
    expect(byCode(w1, SUN)).to.include({ firstDispatched: 1, firstDispatchKept: 0, firstDispatchAccuracy: 0 });
    expect(byCode(w1, ZHANGZHUANG)).to.include({ firstDispatched: 1, firstDispatchKept: 0 });
    expect(byCode((await figures(firstSeal))[4] ?? [], ZHANGZHUANG), 'undone after the first seal').to.include({ firstDispatched: 1, firstDispatchKept: 0 });
    expect(byCode(w2, YINAN)).to.include({ firstDispatched: 1, firstDispatchKept: 1, firstDispatchAccuracy: 1 });
  });

  it('when the city-wide case mix reads the sealed days from its rollup, then every window equals counting the cases, a case registered today with a receipt time in a sealed day included', async () => {
    const pool = harness().pool;
    const sealed = await sealStatistics(pool);
    const late = await buildCase({ address: '临沂市沂南县青驼镇', dispatchTo: QING, receivedAt: at(20).toISOString(), channel: 'letter' });
    expect(late.receivedAt).to.equal(at(20).toISOString());
    const mixes = (sealedUntil: Date) => Promise.all(windows.map(([from, to]) => caseMix(pool, { from, to }, sealedUntil)));

    const rolled = await mixes(sealed);
    expect(rolled).to.deep.equal(await mixes(new Date(0)));
    const whole = rolled[4];
    expect(whole?.divisions.find((d) => d.code === QING)?.received, 'the late case, in its receipt day').to.be.at.least(1);
    const { rows } = await pool.query<{ received: number }>(`SELECT coalesce(sum(received), 0)::int AS received FROM stat_case_mix_days WHERE day >= $1::date AND day < $2::date`, [
      new Date(day0 + 8 * HOUR).toISOString().slice(0, 10),
      new Date(day0 + 80 * HOUR).toISOString().slice(0, 10),
    ]);
    expect(rows[0]?.received, 'the rollup holds the four sealed cases').to.equal(4);
  });

  it('when the rollups are rebuilt after their sums were kept, then the next answers read them again and still equal counting the cases', async () => {
    const pool = harness().pool;
    const sealed = await sealStatistics(pool);
    const mixOf = (sealedUntil: Date) => caseMix(pool, { from: at(0), to: at(72) }, sealedUntil);
    const unitsOf = (sealedUntil: Date) => unitStatistics(pool, YINAN, at(0), at(72), sealedUntil);
    await mixOf(sealed);
    await unitsOf(sealed);

    // An event written into the second day, as an import would (the API can only write the
    // present): it reaches the rollups only through the rebuild.
    const before = byCode(await unitsOf(new Date(0)), QING);
    await pool.query(`INSERT INTO case_events (case_id, action, to_status, actor_role, unit_code, data, created_at) VALUES ($1, 'reopen', 'dispatched', 'system', $2, '{}', $3)`, [zCase, QING, at(30.5)]);
    const rebuilt = await rebuildStatistics(pool);

    const counted = { mix: await mixOf(new Date(0)), units: await unitsOf(new Date(0)) };
    expect(byCode(counted.units, QING).reopened, 'the imported reopen').to.equal(before.reopened + 1);
    expect(await unitsOf(rebuilt)).to.deep.equal(counted.units);
    expect(await mixOf(rebuilt)).to.deep.equal(counted.mix);
  });
});
