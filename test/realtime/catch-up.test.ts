import { expect } from 'chai';
import type { PublicCaseEvent, StaffCaseEvent } from '../../realtime/events.js';
import { buildCase, createStaff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { act, closeAllSockets, collect, connect, eventIds, track, waitFor, waitForPublished } from './sockets.js';

const TANYI = '371325105';
const LANSHAN = '371302';

describe('catching up after a disconnect', () => {
  afterEach(closeAllSockets);

  it('when a citizen was offline for two actions, then GET /api/public/cases/{caseNo}/events?after= returns exactly the public events missed', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    await waitForPublished(record.id);
    const citizen = await connect();
    const updates = collect(citizen, 'case:update') as PublicCaseEvent[];
    const ack = await track(citizen, { caseNo: record.caseNo, code: record.queryCode });
    await act(record.id, handler.token, { action: 'accept' });
    await waitFor(() => updates.length === 1, 5_000, 'the accept update');
    const lastSeen = Number(updates[0]?.event.id);

    citizen.disconnect();
    await act(record.id, handler.token, { action: 'request_extension', days: 5, reason: '需要协调多个部门' });
    await act(record.id, handler.token, { action: 'reply', reply: '已协调供电所修复' });
    const res = await request('GET', `/api/public/cases/${record.caseNo}/events?code=${record.queryCode}&after=${lastSeen}`, { ip: freshIp() });

    expect(ack.ok).to.equal(true);
    expect(res.status, res.text).to.equal(200);
    // The extension request is internal: only the reply was public.
    expect(res.body.events.map((e: { action: string }) => e.action)).to.deep.equal(['reply']);
    expect(res.body.events.map((e: { id: number }) => e.id)).to.deep.equal((await eventIds(record.id, true)).filter((id) => id > lastSeen));
    expect(res.body).to.include({ caseNo: record.caseNo, status: 'replied', statusLabel: '已答复' });
    expect(res.text).to.not.include('需要协调多个部门');
  });

  it('when the code is wrong, then the catch-up answers 404 exactly like an unknown case', async () => {
    const record = await buildCase();
    const wrongCode = String((Number(record.queryCode) + 1) % 1_000_000).padStart(6, '0');

    const wrong = await request('GET', `/api/public/cases/${record.caseNo}/events?code=${wrongCode}&after=0`, { ip: freshIp() });
    const unknown = await request('GET', `/api/public/cases/209901019999999/events?code=${record.queryCode}&after=0`, { ip: freshIp() });

    expect(wrong.status).to.equal(404);
    expect(wrong.body).to.deep.equal(unknown.body);
  });

  it('when one address calls the public catch-up more than 30 times a minute, then it gets 429', async () => {
    const record = await buildCase();
    const ip = freshIp();

    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await request('GET', `/api/public/cases/${record.caseNo}/events?code=${record.queryCode}`, { ip })).status);

    expect(statuses.slice(0, 30)).to.deep.equal(Array(30).fill(200));
    expect(statuses[30]).to.equal(429);
  });

  it('when a handler catches up with GET /api/cases/{id}/events?after=, then it gets every event after that id, internal ones too; another unit gets 404', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    const stranger = await createStaff('handler', LANSHAN);
    await act(record.id, handler.token, { action: 'accept' });
    const [, dispatchId] = await eventIds(record.id, false);
    await act(record.id, handler.token, { action: 'request_extension', days: 5, reason: '需要协调多个部门' });

    const mine = await request('GET', `/api/cases/${record.id}/events?after=${dispatchId}`, { token: handler.token });
    const theirs = await request('GET', `/api/cases/${record.id}/events?after=${dispatchId}`, { token: stranger.token });

    expect(mine.status, mine.text).to.equal(200);
    expect(mine.body.events.map((e: { action: string }) => e.action)).to.deep.equal(['accept', 'request_extension']);
    expect(mine.body.events[1]).to.include({ note: '需要协调多个部门', public: false });
    expect(theirs.status).to.equal(404);
  });

  it('when a socket drops for a moment and an event is published meanwhile, then it is recovered with its rooms and the event is replayed', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    await waitForPublished(record.id);
    const citizen = await connect({ reconnection: true });
    const updates = collect(citizen, 'case:update') as PublicCaseEvent[];
    await track(citizen, { caseNo: record.caseNo, code: record.queryCode });
    const staff = await connect({ token: handler.token, reconnection: true });
    const staffUpdates = collect(staff, 'case:update') as StaffCaseEvent[];

    // A network drop, as opposed to a deliberate disconnect, which discards the session.
    citizen.io.engine.close();
    staff.io.engine.close();
    await act(record.id, handler.token, { action: 'accept' });
    await waitForPublished(record.id);
    await waitFor(() => citizen.connected && staff.connected, 10_000, 'both sockets to reconnect');
    await waitFor(() => updates.length === 1 && staffUpdates.length === 1, 5_000, 'the replayed accept');

    expect(citizen.recovered).to.equal(true);
    expect(staff.recovered).to.equal(true);
    expect(updates.map((u) => u.event.action)).to.deep.equal(['accept']);
    expect(staffUpdates.map((u) => u.event.action)).to.deep.equal(['accept']);
  });
});
