import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const FEI_COUNTY = '371325';
const TANYI = '371325105';
const LANSHAN = '371302';

async function act(by: Staff, caseId: string, body: Record<string, unknown>) {
  return request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
}

async function countEvents(caseId: string): Promise<number> {
  const { rows } = await harness().pool.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [caseId]);
  return rows[0].n as number;
}

describe('case actions: dispatch, accept, forward, return', () => {
  let operator: Staff;
  let supervisor: Staff;
  let countyHandler: Staff;
  let townshipHandler: Staff;
  let otherCountyHandler: Staff;

  before(async () => {
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
    countyHandler = await createStaff('handler', FEI_COUNTY);
    townshipHandler = await createStaff('handler', TANYI);
    otherCountyHandler = await createStaff('handler', LANSHAN);
  });

  it('when an operator dispatches a case, then it is dispatched to that unit with a public event and an outbox row', async () => {
    const c = await buildCase({ type: 'consultation', content: '咨询一下办事流程相关问题' });
    const res = await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY, note: '请核实' });
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('dispatched');
    expect(res.body.assignedUnit).to.deep.equal({ code: FEI_COUNTY, name: '费县' });
    const dispatchEvent = lastChange(res.body.events);
    expect(dispatchEvent).to.include({ action: 'dispatch', fromStatus: c.status, toStatus: 'dispatched', unitCode: FEI_COUNTY, public: true });
    const { rows } = await harness().pool.query(`SELECT topic FROM outbox WHERE event_id = $1`, [dispatchEvent.id]);
    expect(rows.map((r) => r.topic)).to.deep.equal(['case.dispatch']);
  });

  it('when the assigned unit accepts, then the case is in progress; a second accept is a 409 that changes nothing', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY });
    const accepted = await act(countyHandler, c.id, { action: 'accept' });
    expect(accepted.status).to.equal(200);
    expect(accepted.body.status).to.equal('in_progress');
    const before = await countEvents(c.id);
    const again = await act(countyHandler, c.id, { action: 'accept' });
    expect(again.status).to.equal(409);
    expect(again.body.error.code).to.equal('invalid_state');
    expect(await countEvents(c.id)).to.equal(before);
  });

  it('when a handler of another unit acts on the case, then it is 404 and reveals nothing', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY });
    const res = await act(otherCountyHandler, c.id, { action: 'accept' });
    expect(res.status).to.equal(404);
  });

  it('when the county forwards down to its township, then the township must accept and the county still sees the case', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY });
    const forwarded = await act(countyHandler, c.id, { action: 'forward', unitCode: TANYI, note: '请探沂镇办理' });
    expect(forwarded.status).to.equal(200);
    expect(forwarded.body).to.deep.include({ status: 'dispatched', assignedUnit: { code: TANYI, name: '探沂镇' } });
    expect((await request('GET', `/api/cases/${c.id}`, { token: countyHandler.token })).status).to.equal(200);
    expect((await act(countyHandler, c.id, { action: 'accept' })).status).to.equal(403);
    expect((await act(townshipHandler, c.id, { action: 'accept' })).body.status).to.equal('in_progress');
  });

  it('when a unit forwards to a unit that is not below it, then it is 400 and nothing changes', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY });
    const res = await act(countyHandler, c.id, { action: 'forward', unitCode: LANSHAN });
    expect(res.status).to.equal(400);
    const after = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
    expect(after.body.assignedUnit.code).to.equal(FEI_COUNTY);
  });

  it('when the handler returns a case (退单), then it goes back to the centre queue, flagged, with an internal reason', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: TANYI });
    const res = await act(townshipHandler, c.id, { action: 'return', reason: '该事项属于县住建局职责' });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ status: 'returned', assignedUnit: null });
    expect(lastChange(res.body.events)).to.include({ action: 'return', public: false, note: '该事项属于县住建局职责' });
    expect((await request('GET', `/api/cases/${c.id}`, { token: townshipHandler.token })).status).to.equal(404);
    const queue = await request('GET', '/api/cases?status=returned&unassigned=true&limit=200', { token: supervisor.token });
    expect(queue.body.items.map((i: { id: string }) => i.id)).to.include(c.id);
    const redispatched = await act(supervisor, c.id, { action: 'dispatch', unitCode: `${FEI_COUNTY}-zhujian` });
    expect(redispatched.body).to.deep.include({ status: 'dispatched', assignedUnit: { code: `${FEI_COUNTY}-zhujian`, name: '费县住建委' } });
  });

  it('when two handlers of the unit accept at the same moment, then exactly one wins and the other gets 409', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: TANYI });
    const second = await createStaff('handler', TANYI);
    const results = await Promise.all([act(townshipHandler, c.id, { action: 'accept' }), act(second, c.id, { action: 'accept' })]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const { rows } = await harness().pool.query(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND action = 'accept'`, [c.id]);
    expect(rows[0].n).to.equal(1);
  });

  it('when accept and return race, then the return stands either way and each is recorded at most once', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: TANYI });
    const second = await createStaff('handler', TANYI);
    const [accept, ret] = await Promise.all([act(townshipHandler, c.id, { action: 'accept' }), act(second, c.id, { action: 'return', reason: '不属于本单位' })]);
    // Accept first: both succeed in turn. Return first: the case has left the unit, so the late accept finds nothing.
    expect(ret.status).to.equal(200);
    expect([200, 404]).to.include(accept.status);
    const after = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
    expect(after.body.status).to.equal('returned');
    const actions = after.body.events.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => a === 'return')).to.have.length(1);
    expect(actions.filter((a: string) => a === 'accept')).to.have.length(accept.status === 200 ? 1 : 0);
  });

  it('when dispatching with co-handling units, then those units see the case too', async () => {
    const c = await buildCase();
    const res = await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY, coUnits: [LANSHAN] });
    expect(res.body.coUnits).to.deep.equal([LANSHAN]);
    expect((await request('GET', `/api/cases/${c.id}`, { token: otherCountyHandler.token })).status).to.equal(200);
    expect((await act(otherCountyHandler, c.id, { action: 'accept' })).status).to.equal(403);
  });

  it('when expectedVersion is stale, then the action is refused with 409', async () => {
    const c = await buildCase();
    const res = await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY, expectedVersion: 99 });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('conflict');
  });

  it('when the body is wrong for the action, then 400 names the field', async () => {
    const c = await buildCase();
    const missing = await act(operator, c.id, { action: 'dispatch' });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.details[0].path).to.equal('body.unitCode');
    const unknown = await act(operator, c.id, { action: 'teleport' });
    expect(unknown.status).to.equal(400);
    const stray = await act(operator, c.id, { action: 'accept', status: 'closed' });
    expect(stray.status).to.equal(400);
    const unit = await act(operator, c.id, { action: 'dispatch', unitCode: '999999' });
    expect(unit.status).to.equal(400);
  });

  it('when an operator tries a handler-only action, then 403', async () => {
    const c = await buildCase();
    await act(operator, c.id, { action: 'dispatch', unitCode: FEI_COUNTY });
    expect((await act(operator, c.id, { action: 'accept' })).status).to.equal(403);
    expect((await act(countyHandler, c.id, { action: 'dispatch', unitCode: LANSHAN })).status).to.equal(403);
  });
});
