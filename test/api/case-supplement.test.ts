import { expect } from 'chai';
import type { StaffCaseEvent } from '../../realtime/events.js';
import { closeAllSockets, collect, connect, waitFor, waitForPublished } from '../realtime/sockets.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const TANYI = '371325105';

const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });

describe("追加诉求: the desk adds a caller's new call to the caller's open case instead of a duplicate", function () {
  this.timeout(30_000);
  let operator: Staff;
  let handler: Staff;

  before(async () => {
    [operator, handler] = await Promise.all([createStaff('operator'), createStaff('handler', TANYI)]);
  });
  afterEach(closeAllSockets);

  it('when an operator adds a call to an open case, then its timeline carries the new content as 追加诉求, the status stays, the version moves and no case is created', async () => {
    const c = await buildCase({}, operator);
    const before = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
    const { body: mine } = await request('GET', '/api/desk/my-cases', { token: operator.token });

    const res = await act(operator, c.id, { action: 'supplement', content: '来电人再次来电：路灯今晚仍然不亮，希望尽快处理', channel: 'hotline', expectedVersion: before.body.version });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.status).to.equal('dispatched');
    expect(res.body.version).to.equal(before.body.version + 1);
    const last = lastChange(res.body.events);
    expect(last).to.include({ action: 'supplement', note: '来电人再次来电：路灯今晚仍然不亮，希望尽快处理', public: false });
    expect(last.data).to.deep.equal({ channel: 'hotline' });
    const { body: mineAfter } = await request('GET', '/api/desk/my-cases', { token: operator.token });
    expect(mineAfter.items).to.have.length(mine.items.length);
  });

  it("when a call is added, then the unit holding the case is told over its socket, and the citizen's public timeline does not show the words", async () => {
    const c = await buildCase({}, operator);
    await waitForPublished(c.id);
    const unitSocket = await connect({ token: handler.token });
    const updates = collect(unitSocket, 'case:update') as StaffCaseEvent[];

    const res = await act(operator, c.id, { action: 'supplement', content: '补充：隔壁路灯也坏了，电话13812341234' });

    expect(res.status, res.text).to.equal(200);
    await waitFor(() => updates.some((u) => u.caseId === c.id && u.event.action === 'supplement'), 5_000, 'the unit to hear of the added call');
    const added = updates.find((u) => u.event.action === 'supplement');
    expect(added?.event.note).to.equal('补充：隔壁路灯也坏了，电话13812341234');
    const pub = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`);
    expect(JSON.stringify(pub.body)).to.not.include('隔壁路灯');
  });

  it('when a unit handler, or anyone on a replied case, tries to add a call, then 403 / 409 and nothing is written', async () => {
    const c = await buildCase({}, operator);
    const byHandler = await act(handler, c.id, { action: 'supplement', content: '补充内容' });
    expect(byHandler.status).to.equal(403);
    expect((await act(handler, c.id, { action: 'accept' })).status).to.equal(200);
    expect((await act(handler, c.id, { action: 'reply', reply: '已修复' })).status).to.equal(200);

    const onReplied = await act(operator, c.id, { action: 'supplement', content: '补充内容' });

    expect(onReplied.status).to.equal(409);
    expect(onReplied.body.error.code).to.equal('invalid_state');
    const after = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
    expect(after.body.events.map((e: { action: string }) => e.action)).to.not.include('supplement');
  });

  it('when the content is missing or the channel unknown, then 400 names the field; an open case offers 追加诉求 to the centre only', async () => {
    const c = await buildCase({}, operator);

    const empty = await act(operator, c.id, { action: 'supplement', content: ' ' });
    const channel = await act(operator, c.id, { action: 'supplement', content: '补充内容', channel: 'mailbox' });
    const asOperator = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
    const asHandler = await request('GET', `/api/cases/${c.id}`, { token: handler.token });

    expect(empty.status).to.equal(400);
    expect(empty.body.error.details.map((d: { path: string }) => d.path)).to.include('body.content');
    expect(channel.status).to.equal(400);
    expect(channel.body.error.details.map((d: { path: string }) => d.path)).to.include('body.channel');
    expect(asOperator.body.allowedActions).to.include('supplement');
    expect(asHandler.body.allowedActions).to.not.include('supplement');
  });
});
