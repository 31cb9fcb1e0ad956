import { expect } from 'chai';
import { createDeadlineQueue, deadlineJobId, type DeadlineQueue } from '../../jobs/deadline.queue.js';
import { harness } from '../support/harness.js';
import { eventually } from '../support/deadline-cases.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

const TANYI = '371325105';
const RENSHE = '371325-renshe';
const FEI = '371325';
const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });

describe('jurisdiction disputes: a contested dispatch, the centre arbitrates and the decision binds', function () {
  this.timeout(60_000);
  let operator: Staff;
  let supervisor: Staff;
  let township: Staff;
  let department: Staff;
  let queue: DeadlineQueue;

  before(async () => {
    [operator, supervisor, township, department] = await Promise.all([
      createStaff('operator'), createStaff('supervisor'), createStaff('handler', TANYI), createStaff('handler', RENSHE),
    ]);
    queue = createDeadlineQueue(harness().redisUrl);
  });
  after(() => queue.close());

  /** A complaint routed to 探沂镇, contested by it in favour of the county's human resources bureau. */
  async function disputed(): Promise<Record<string, any>> {
    const c = await buildCase({}, operator);
    expect(c.assignedUnit.code).to.equal(TANYI);
    const res = await act(township, c.id, { action: 'dispute_dispatch', reason: '拖欠工资属劳动保障监察职责', suggestedUnitCode: RENSHE });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  type Figures = Record<'disputed' | 'disputesUpheld' | 'disputesDismissed', number>;
  const figures = async (unitCode: string): Promise<Figures> => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const res = await request('GET', `/api/stats/units?parent=${FEI}&from=${from}&to=${new Date(Date.now() + 3_600_000).toISOString()}`, { token: supervisor.token });
    expect(res.status, res.text).to.equal(200);
    return res.body.items.find((i: { unitCode: string }) => i.unitCode === unitCode);
  };

  it('when the assigned unit disputes a dispatch, then the case stays with it, the unit named sees it without acting, and the centre has 5 working days with a warning job', async () => {
    const c = await disputed();
    expect(c).to.deep.include({ status: 'dispatched', assignedUnit: { code: TANYI, name: c.assignedUnit.name } });
    expect(c.procedures.dispute).to.include({ unitCode: TANYI, suggestedUnitCode: RENSHE });
    expect(c.deadlines.arbitrateBy).to.be.a('string');
    expect(c.allowedActions.filter((v: string) => ['return', 'forward', 'dispute_dispatch'].includes(v))).to.deep.equal([]);
    const seen = await request('GET', `/api/cases/${c.id}`, { token: department.token });
    expect(seen.status).to.equal(200);
    expect(seen.body.allowedActions).to.deep.equal([]);
    const list = await request('GET', `/api/cases?limit=100`, { token: department.token });
    expect(list.body.items.map((i: { id: string }) => i.id)).to.include(c.id);
    expect((await act(department, c.id, { action: 'accept' })).status).to.equal(403);
    const warning = { caseId: c.id, kind: 'arbitrate' as const, effect: 'warning' as const, version: c.deadlines.version };
    await eventually(async () => ((await queue.getJob(deadlineJobId(warning))) ? true : undefined), 10_000, 'the arbitration warning job');
  });

  it('while a dispute waits for the centre, then the unit cannot return or forward the case', async () => {
    const c = await disputed();
    expect((await act(township, c.id, { action: 'return', reason: '不属于本单位职责' })).status).to.equal(409);
    expect((await act(township, c.id, { action: 'dispute_dispatch', reason: '再次申请' })).status).to.equal(409);
  });

  it('when the centre names the unit suggested, then the case is dispatched there and that unit cannot return it on jurisdiction (409 arbitrated)', async () => {
    const before = await figures(TANYI);
    const c = await disputed();
    const decided = await act(supervisor, c.id, { action: 'arbitrate_dispute', unitCode: RENSHE, reason: '欠薪投诉由人社局劳动监察处理' });
    expect(decided.status, decided.text).to.equal(200);
    expect(decided.body).to.deep.include({ status: 'dispatched', assignedUnit: { code: RENSHE, name: decided.body.assignedUnit.name } });
    expect(decided.body.procedures).to.include({ dispute: null, arbitratedUnit: RENSHE });
    expect(decided.body.deadlines.arbitrateBy).to.equal(null);
    expect(decided.body.events.slice(-2).map((e: { action: string }) => e.action)).to.deep.equal(['arbitrate_dispute', 'dispatch']);
    expect(decided.body.events.at(-2).data).to.include({ unitCode: RENSHE, disputedBy: TANYI, upheld: true, onTime: true });
    await act(department, c.id, { action: 'accept' });
    const refused = await act(department, c.id, { action: 'return', reason: '不属于本单位职责' });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.code).to.equal('arbitrated');
    expect((await act(department, c.id, { action: 'dispute_dispatch', reason: '仍有异议' })).body.error.code).to.equal('arbitrated');
    expect((await request('GET', `/api/cases/${c.id}`, { token: township.token })).status).to.equal(404);
    const after = await figures(TANYI);
    expect(after.disputed - before.disputed).to.equal(1);
    expect(after.disputesUpheld - before.disputesUpheld).to.equal(1);
    expect(after.disputesDismissed - before.disputesDismissed).to.equal(0);
  });

  it('when the centre names the disputing unit itself, then the dispute is dismissed, the case stays, and that unit can no longer return it', async () => {
    const before = await figures(TANYI);
    const c = await disputed();
    await act(township, c.id, { action: 'accept' });
    const decided = await act(supervisor, c.id, { action: 'arbitrate_dispute', unitCode: TANYI, reason: '属地管理，由镇街办理' });
    expect(decided.body).to.include({ status: 'in_progress' });
    expect(decided.body.assignedUnit.code).to.equal(TANYI);
    expect((await request('GET', `/api/cases/${c.id}`, { token: department.token })).status).to.equal(404);
    const refused = await act(township, c.id, { action: 'return', reason: '不属于本单位职责' });
    expect(refused.body.error.code).to.equal('arbitrated');
    const after = await figures(TANYI);
    expect(after.disputesDismissed - before.disputesDismissed).to.equal(1);
  });

  it('when two supervisors arbitrate the same dispute at once, then one decision wins and the other is refused with 409', async () => {
    const c = await disputed();
    const other = await createStaff('supervisor');
    const answers = await Promise.all([
      act(supervisor, c.id, { action: 'arbitrate_dispute', unitCode: RENSHE, reason: '由人社局办理' }),
      act(other, c.id, { action: 'arbitrate_dispute', unitCode: TANYI, reason: '由镇街办理' }),
    ]);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409]);
    const events = (await request('GET', `/api/cases/${c.id}`, { token: supervisor.token })).body.events;
    expect(events.filter((e: { action: string }) => e.action === 'arbitrate_dispute')).to.have.length(1);
  });

  it('when another unit disputes, or a handler or an operator arbitrates, then it is refused', async () => {
    const c = await buildCase({}, operator);
    const outsider = await createStaff('handler', '371302');
    expect((await act(outsider, c.id, { action: 'dispute_dispatch', reason: '不属于本单位' })).status).to.equal(404);
    const contested = await disputed();
    expect((await act(township, contested.id, { action: 'arbitrate_dispute', unitCode: TANYI, reason: '自行决定' })).status).to.equal(403);
    expect((await act(department, contested.id, { action: 'arbitrate_dispute', unitCode: RENSHE, reason: '自行决定' })).status).to.equal(403);
    expect((await act(operator, contested.id, { action: 'arbitrate_dispute', unitCode: RENSHE, reason: '话务员决定' })).status).to.equal(403);
    expect((await act(supervisor, c.id, { action: 'arbitrate_dispute', unitCode: RENSHE, reason: '没有争议' })).status).to.equal(409);
  });
});
