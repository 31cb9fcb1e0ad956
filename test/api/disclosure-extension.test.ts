import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { createDisclosureHead, createStaff, intakeBody, STAFF_PASSWORD, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
const FEI_OFFICE = '371325-disclosure';
const CITY_OFFICE = '3713-disclosure';
const REASON = '需调取多个部门的档案材料';

describe('disclosure extensions: the head of the disclosure office approves (《政府信息公开条例》 art. 33)', function () {
  this.timeout(60_000);
  let operator: Staff;
  let supervisor: Staff;
  let admin: Staff;

  before(async () => {
    [operator, supervisor, admin] = await Promise.all([createStaff('operator'), createStaff('supervisor'), createStaff('admin')]);
  });

  /** A disclosure request held by Fei county's disclosure office, with an extension of 20 working days asked for. */
  async function extensionAsked(): Promise<{ c: Record<string, any>; office: Staff }> {
    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'online', type: 'disclosure', content: '申请公开某道路改造工程的验收报告', address: '临沂市费县' }) });
    expect(res.status, res.text).to.equal(201);
    expect(res.body.assignedUnit.code).to.equal(FEI_OFFICE);
    const office = await createStaff('handler', FEI_OFFICE);
    expect((await act(office, res.body.id, { action: 'accept' })).status).to.equal(200);
    const asked = await act(office, res.body.id, { action: 'request_extension', days: 20, reason: REASON });
    expect(asked.status, asked.text).to.equal(200);
    return { c: res.body, office };
  }

  it('when the head of the office holding the request approves, then the reply is extended, the event says so, and the applicant is told the reason and the new date', async () => {
    const { c } = await extensionAsked();
    const head = await createDisclosureHead(FEI_OFFICE);
    const seen = await request('GET', `/api/cases/${c.id}`, { token: head.token });
    expect(seen.body.allowedActions).to.include.members(['approve_extension', 'reject_extension']);
    const approved = await act(head, c.id, { action: 'approve_extension' });
    expect(approved.status, approved.text).to.equal(200);
    const event = lastChange(approved.body.events);
    expect(event).to.deep.include({ action: 'approve_extension', public: true, actor: { id: head.id, role: 'handler', unitCode: FEI_OFFICE } });
    expect(event.data).to.include({ approvedAs: 'disclosure_head', days: 20, replyBy: approved.body.deadlines.replyBy });
    const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    expect(view.body.deadlines.replyBy).to.equal(approved.body.deadlines.replyBy);
    const told = view.body.events.find((e: { action: string }) => e.action === 'approve_extension');
    const [, y, m, d] = /^(\d{4})-(\d{2})-(\d{2})/.exec(new Date(new Date(approved.body.deadlines.replyBy).getTime() + 8 * 3_600_000 - 1).toISOString()) ?? [];
    expect(told.note).to.equal(`因${REASON}，答复期限延长至${y}年${Number(m)}月${Number(d)}日`);
  });

  it('when the centre, a handler of the office who is not its head, or the head of another office decides, then 403 and no extension', async () => {
    const { c, office } = await extensionAsked();
    const otherHead = await createDisclosureHead(CITY_OFFICE);
    for (const by of [supervisor, office]) {
      const refused = await act(by, c.id, { action: 'approve_extension' });
      expect(refused.status, refused.text).to.equal(403);
      expect(refused.body.error.message).to.include('政府信息公开工作机构负责人').and.include('head of the disclosure office');
      expect((await act(by, c.id, { action: 'reject_extension', reason: '理由不足' })).status).to.equal(403);
    }
    // The city office's head does not see the county's request at all.
    expect((await act(otherHead, c.id, { action: 'approve_extension' })).status).to.equal(404);
    const after = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
    expect(after.body.deadlines).to.include({ replyBy: c.deadlines.replyBy });
    expect(after.body.deadlines.pendingExtension).to.include({ days: 20 });
    expect(after.body.allowedActions).not.to.include('approve_extension');
    const officeView = await request('GET', `/api/cases/${c.id}`, { token: office.token });
    expect(officeView.body.allowedActions).not.to.include('approve_extension');
  });

  it('when the head is designated but the designation is revoked, then the old token is refused and a fresh one cannot approve', async () => {
    const { c } = await extensionAsked();
    const head = await createDisclosureHead(FEI_OFFICE);
    const revoked = await request('PATCH', `/api/users/${head.id}`, { token: admin.token, body: { disclosureHead: false } });
    expect(revoked.status, revoked.text).to.equal(200);
    expect((await act(head, c.id, { action: 'approve_extension' })).status).to.equal(401);
    const login = await request('POST', '/api/auth/login', { ip: freshIp(), body: { username: head.username, password: STAFF_PASSWORD } });
    expect(login.status, login.text).to.equal(200);
    expect(login.body.user).to.include({ disclosureHead: false });
    const fresh = await act({ ...head, token: login.body.accessToken }, c.id, { action: 'approve_extension' });
    expect(fresh.status).to.equal(403);
  });

  it('when a complaint is extended, then the centre still approves it and the unit itself cannot', async () => {
    const complaint = (await request('POST', '/api/cases', { token: operator.token, body: intakeBody() })).body;
    const township = await createStaff('handler', complaint.assignedUnit.code);
    await act(township, complaint.id, { action: 'accept' });
    await act(township, complaint.id, { action: 'request_extension', days: 2, reason: '需要现场勘查' });
    expect((await act(township, complaint.id, { action: 'approve_extension' })).status).to.equal(403);
    const approved = await act(supervisor, complaint.id, { action: 'approve_extension' });
    expect(approved.status, approved.text).to.equal(200);
    expect(lastChange(approved.body.events).data).to.include({ approvedAs: 'centre' });
  });

  it('when an admin designates the head through the users API, then the account shows it and the audit trail names the designation; other accounts are refused with 400', async () => {
    const handler = await createStaff('handler', FEI_OFFICE);
    const designated = await request('PATCH', `/api/users/${handler.id}`, { token: admin.token, body: { disclosureHead: true } });
    expect(designated.status, designated.text).to.equal(200);
    expect(designated.body).to.include({ disclosureHead: true, unitCode: FEI_OFFICE });
    const { rows } = await harness().pool.query(`SELECT action, before, after FROM audit_log WHERE subject_type = 'user' AND subject_id = $1 ORDER BY id`, [handler.id]);
    expect(rows.at(-1)).to.deep.include({ action: 'designate_disclosure_head' });
    expect(rows.at(-1)?.before).to.include({ disclosureHead: false });
    expect(rows.at(-1)?.after).to.include({ disclosureHead: true });

    const township = await createStaff('handler', '371325105');
    const notAnOffice = await request('PATCH', `/api/users/${township.id}`, { token: admin.token, body: { disclosureHead: true } });
    expect(notAnOffice.status).to.equal(400);
    expect(notAnOffice.body.error.details[0].path).to.equal('body.disclosureHead');
    expect((await request('PATCH', `/api/users/${supervisor.id}`, { token: admin.token, body: { disclosureHead: true } })).status).to.equal(400);
    expect((await request('PATCH', `/api/users/${handler.id}`, { token: admin.token, body: { disclosureHead: 'yes' } })).status).to.equal(400);
    expect((await request('PATCH', `/api/users/${handler.id}`, { token: township.token, body: { disclosureHead: false } })).status).to.equal(403);

    // Moved to another unit, the account is no longer the office's head.
    const moved = await request('PATCH', `/api/users/${handler.id}`, { token: admin.token, body: { unitCode: '371325105' } });
    expect(moved.body).to.include({ disclosureHead: false });
  });
});
