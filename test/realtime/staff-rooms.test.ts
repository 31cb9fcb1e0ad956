import { expect } from 'chai';
import { signAccessToken } from '../../api/auth/token.js';
import type { PublicCaseEvent, StaffCaseEvent } from '../../realtime/events.js';
import { buildCase, createStaff } from '../support/factories.js';
import { act, closeAllSockets, collect, connect, markCase, track, waitFor, waitForMark, waitForPublished } from './sockets.js';

const TANYI = '371325105'; // 探沂镇, where the default rules send buildCase()'s case
const FEI_COUNTY = '371325'; // 费县, above it
const LANSHAN = '371302'; // 兰山区, another county

describe('staff sockets: authentication and unit rooms', () => {
  afterEach(closeAllSockets);

  it('when a socket presents a forged token, then the connection is refused as unauthenticated', async () => {
    const staff = await createStaff('supervisor');
    const forged = signAccessToken({ id: staff.id, username: staff.username, role: 'supervisor', unitCode: null }, 'not-the-server-secret-not-the-server-secret');

    const error = await connect({ token: forged }).then(() => null, (e: Error & { data?: unknown }) => e);

    expect(error?.message).to.equal('unauthenticated');
    expect(error?.data).to.deep.equal({ code: 'unauthenticated', message: 'Invalid or expired access token' });
  });

  it('when a socket presents a token that is not a string, then it is refused too', async () => {
    const error = await connect({ token: { role: 'admin' } }).then(() => null, (e: Error) => e);

    expect(error?.message).to.equal('unauthenticated');
  });

  it('when a socket connects without a token, then it is a citizen socket and hears nothing of the units', async () => {
    const citizen = await connect();
    const updates = collect(citizen, 'case:update');
    const assigned = collect(citizen, 'case:assigned');

    const record = await buildCase();
    await waitForPublished(record.id);
    // The marker: tracking joins the case's room only now, so its registration and dispatch, published before, could have come through a unit room alone.
    expect((await track(citizen, { caseNo: record.caseNo, code: record.queryCode })).ok).to.equal(true);
    const mark = await markCase(record.id);
    await waitForMark(updates as PublicCaseEvent[], mark);

    expect((updates as PublicCaseEvent[]).map((u) => u.event.action)).to.deep.equal(['supervise']);
    expect(updates[0]).to.not.have.property('caseId');
    expect(assigned).to.deep.equal([]);
  });

  it("when a case is dispatched to a handler's unit, then the handler gets case:assigned and case:update in the staff form", async () => {
    const handler = await createStaff('handler', TANYI);
    const socket = await connect({ token: handler.token });
    const updates = collect(socket, 'case:update') as StaffCaseEvent[];
    const assigned = collect(socket, 'case:assigned') as StaffCaseEvent[];

    const record = await buildCase();
    await waitFor(() => assigned.some((a) => a.caseId === record.id), 5_000, 'case:assigned');

    const dispatch = assigned.find((a) => a.caseId === record.id);
    expect(dispatch).to.deep.include({ caseId: record.id, caseNo: record.caseNo, status: 'dispatched', statusLabel: '已派单' });
    expect(dispatch?.assignedUnit?.code).to.equal(TANYI);
    expect(dispatch?.event).to.include({ action: 'dispatch', toStatus: 'dispatched', unitCode: TANYI });
    await waitFor(() => updates.some((u) => u.caseId === record.id), 5_000, 'the dispatch update');
    await waitForPublished(record.id);
    // The registration happened while the case belonged to no unit: only the centre heard it.
    expect(updates.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['dispatch']);
  });

  it('when a case of a township is acted on, then a handler of the county above hears it and one of another county never does', async () => {
    const county = await connect({ token: (await createStaff('handler', FEI_COUNTY)).token });
    const stranger = await connect({ token: (await createStaff('handler', LANSHAN)).token });
    const township = await createStaff('handler', TANYI);
    const countyUpdates = collect(county, 'case:update') as StaffCaseEvent[];
    const strangerUpdates = collect(stranger, 'case:update') as StaffCaseEvent[];
    const strangerAssigned = collect(stranger, 'case:assigned') as StaffCaseEvent[];

    const record = await buildCase();
    await act(record.id, township.token, { action: 'accept' });
    await waitForPublished(record.id);
    // The marker: a case that the rules send to the county's township and the centre then sends to the other county; each county hears it.
    const marker = await buildCase();
    await act(marker.id, (await createStaff('operator')).token, { action: 'dispatch', unitCode: LANSHAN });
    await waitFor(() => strangerAssigned.some((a) => a.caseId === marker.id), 10_000, 'the marker case at the other county');
    await waitFor(() => countyUpdates.some((u) => u.caseId === marker.id), 10_000, 'the marker case at the county');

    expect(countyUpdates.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['dispatch', 'accept']);
    expect(strangerUpdates.filter((u) => u.caseId === record.id)).to.deep.equal([]);
    expect(strangerAssigned.map((a) => a.caseId)).to.deep.equal([marker.id]);
  });

  it('when a case is dispatched with a co-handling unit, then that unit hears the assignment and what follows', async () => {
    const coHandler = await connect({ token: (await createStaff('handler', LANSHAN)).token });
    const assigned = collect(coHandler, 'case:assigned') as StaffCaseEvent[];
    const updates = collect(coHandler, 'case:update') as StaffCaseEvent[];
    const operator = await createStaff('operator');
    const township = await createStaff('handler', TANYI);

    const record = await buildCase();
    await waitForPublished(record.id);
    await act(record.id, operator.token, { action: 'dispatch', unitCode: TANYI, coUnits: [LANSHAN] });
    await act(record.id, township.token, { action: 'accept' });
    await waitFor(() => updates.filter((u) => u.caseId === record.id).length === 2, 5_000, 'two updates at the co-handling unit');

    expect(assigned.filter((a) => a.caseId === record.id).map((a) => [a.assignedUnit?.code, (a.event.data as { coUnits?: string[] }).coUnits])).to.deep.equal([[TANYI, [LANSHAN]]]);
    expect(updates.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['dispatch', 'accept']);
  });

  it('when the registration of a case that no rule routes is published, then only the centre hears it, not any unit', async () => {
    const supervisor = await connect({ token: (await createStaff('supervisor')).token });
    const operator = await connect({ token: (await createStaff('operator')).token });
    const handler = await connect({ token: (await createStaff('handler', TANYI)).token });
    const supervised = collect(supervisor, 'case:update') as StaffCaseEvent[];
    const operated = collect(operator, 'case:update') as StaffCaseEvent[];
    const handled = collect(handler, 'case:update') as StaffCaseEvent[];
    const centre = await createStaff('operator');

    // No keyword and no address: the rules leave it with the centre.
    const record = await buildCase({ title: '反映一个情况', content: '希望有关部门核实处理一下这个情况', address: undefined });
    // The marker: the centre dispatches the case to the handler's unit afterwards, which its room hears after anything of the registration.
    await act(record.id, centre.token, { action: 'dispatch', unitCode: TANYI });
    await waitFor(() => [supervised, operated, handled].every((heard) => heard.some((u) => u.caseId === record.id && u.event.action === 'dispatch')), 5_000, 'the dispatch');

    expect(record.status).to.equal('registered');
    expect(supervised.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['register', 'dispatch']);
    expect(operated.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['register', 'dispatch']);
    expect(handled.filter((u) => u.caseId === record.id).map((u) => u.event.action)).to.deep.equal(['dispatch']);
  });

  it('when cases go to different units, then a supervisor hears every one of them through the centre room', async () => {
    const supervisor = await connect({ token: (await createStaff('supervisor')).token });
    const updates = collect(supervisor, 'case:update') as StaffCaseEvent[];
    const centre = await createStaff('operator');

    const first = await buildCase();
    const second = await buildCase();
    await act(second.id, centre.token, { action: 'dispatch', unitCode: LANSHAN });
    await waitFor(() => updates.filter((u) => u.caseId === second.id).length === 3 && updates.some((u) => u.caseId === first.id && u.event.action === 'dispatch'), 5_000, 'both cases');

    const secondUnits = updates.filter((u) => u.caseId === second.id).map((u) => u.assignedUnit?.code ?? null);
    expect(secondUnits).to.deep.equal([null, TANYI, LANSHAN]);
  });
});
