import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { buildCase, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const TANYI = '371325105';

async function act(by: Staff, caseId: string, body: Record<string, unknown>) {
  return request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
}

describe('special procedures: merge, disclosure answers, petitions, audit', () => {
  let operator: Staff;
  let supervisor: Staff;
  let handler: Staff;

  before(async () => {
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
    handler = await createStaff('handler', TANYI);
  });

  describe('merge', () => {
    it('when a duplicate is merged into the first case, then it is closed with a public note and both timelines show the merge', async () => {
      const first = await buildCase();
      const dup = await buildCase();
      const res = await act(operator, dup.id, { action: 'merge', intoCaseId: first.id });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ status: 'closed', mergedInto: first.id });
      expect(lastChange(res.body.events)).to.include({ action: 'merge', note: `已与${first.caseNo}合并办理`, public: true });
      const target = await request('GET', `/api/cases/${first.id}`, { token: operator.token });
      expect(target.body.status).to.equal(first.status);
      expect(lastChange(target.body.events)).to.deep.include({ action: 'merged_in', public: false, data: { fromCaseId: dup.id, fromCaseNo: dup.caseNo } });
    });

    it('when a case is merged into itself, a closed case or a missing one, then it is refused and nothing changes', async () => {
      const c = await buildCase();
      expect((await act(operator, c.id, { action: 'merge', intoCaseId: c.id })).status).to.equal(400);
      expect((await act(operator, c.id, { action: 'merge', intoCaseId: '00000000-0000-4000-8000-000000000000' })).status).to.equal(400);
      const closed = await buildCase();
      await act(handler, closed.id, { action: 'accept' });
      await act(handler, closed.id, { action: 'reply', reply: '已处理' });
      await act(operator, closed.id, { action: 'close' });
      expect((await act(operator, c.id, { action: 'merge', intoCaseId: closed.id })).status).to.equal(409);
      expect((await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.status).to.equal(c.status);
    });

    it('when a handler tries to merge, then 403', async () => {
      const a = await buildCase();
      const b = await buildCase();
      expect((await act(handler, a.id, { action: 'merge', intoCaseId: b.id })).status).to.equal(403);
    });
  });

  describe('disclosure answers', () => {
    async function disclosureInProgress(): Promise<{ c: Record<string, any>; office: Staff }> {
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'letter', type: 'disclosure', content: '申请公开2025年某道路改造工程的预算资料', address: '临沂市费县' }) });
      const c = res.body;
      expect(c.assignedUnit.code).to.equal('371325-disclosure');
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      return { c, office };
    }

    it('when a disclosure reply has no outcome, or withholds without a ground, then 400 and the case stays in progress', async () => {
      const { c, office } = await disclosureInProgress();
      expect((await act(office, c.id, { action: 'reply', reply: '答复' })).status).to.equal(400);
      expect((await act(office, c.id, { action: 'reply', reply: '不予公开', outcome: 'not_disclosed' })).status).to.equal(400);
      expect((await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed', ground: 'privacy' })).status).to.equal(400);
      expect((await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.status).to.equal('in_progress');
    });

    it('when the office withholds for privacy with its legal basis, then the outcome, ground and basis are recorded and public', async () => {
      const { c, office } = await disclosureInProgress();
      const res = await act(office, c.id, { action: 'reply', reply: '所申请信息涉及个人隐私，不予公开。', outcome: 'not_disclosed', ground: 'privacy', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' });
      expect(res.body.disclosure).to.deep.equal({ outcome: 'not_disclosed', ground: 'privacy', legalBasis: '《中华人民共和国政府信息公开条例》第十五条' });
      const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
      expect(view.body.disclosure).to.include({ outcome: 'not_disclosed', ground: 'privacy' });
    });

    it('when an ordinary complaint is answered with a disclosure outcome, then 400', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      expect((await act(handler, c.id, { action: 'reply', reply: '已处理', outcome: 'disclosed' })).status).to.equal(400);
    });
  });

  describe('petitions (信访)', () => {
    async function petition(): Promise<{ c: Record<string, any>; office: Staff }> {
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ type: 'petition', content: '反映村里征地补偿款未足额发放，请求依法处理', address: '临沂市费县探沂镇' }) });
      const c = res.body;
      expect(c.assignedUnit.code).to.equal('371325-petitions');
      expect(c.deadlines.policy.reply).to.include({ policyId: 'default-petition-any' });
      const office = await createStaff('handler', '371325-petitions');
      expect((await act(office, c.id, { action: 'accept_petition' })).status).to.equal(200);
      return { c, office };
    }

    it('when the petitions office hands a petition to the township, then it keeps ownership, the township can report back but not reply', async () => {
      const { c, office } = await petition();
      const assigned = await act(office, c.id, { action: 'assign', unitCode: TANYI, note: '请核实补偿款发放情况' });
      expect(assigned.body).to.deep.include({ coUnits: [TANYI] });
      expect(assigned.body.assignedUnit.code).to.equal('371325-petitions');
      expect((await request('GET', `/api/cases/${c.id}`, { token: handler.token })).status).to.equal(200);
      const fed = await act(handler, c.id, { action: 'feedback', note: '经核实，已补发2万元' });
      expect(fed.status).to.equal(200);
      expect((await act(handler, c.id, { action: 'reply', reply: '越权答复' })).status).to.equal(403);
    });

    it('when a petition is answered, then its result is fed back to the unit that received it', async () => {
      const { c, office } = await petition();
      const res = await act(office, c.id, { action: 'reply', reply: '经调查，补偿款已足额发放。' });
      expect(res.body.receivedByUnit).to.equal('3713-hotline');
      expect(lastChange(res.body.events)).to.deep.include({ action: 'result_feedback', public: false, data: { toUnit: '3713-hotline' } });
    });

    it('when the petitioner asks for a review (复查) within 30 days, then the city petitions office gets it with 30 days to answer; only once', async () => {
      const { c, office } = await petition();
      await act(office, c.id, { action: 'reply', reply: '经调查，补偿款已足额发放。' });
      const review = await request('POST', `/api/public/cases/${c.caseNo}/review`, { ip: freshIp(), body: { code: c.queryCode, reason: '对答复不服，申请复查' } });
      expect(review.status).to.equal(201);
      expect(review.body).to.include({ status: 'dispatched' });
      expect(review.body.assignedUnit.code).to.equal('3713-petitions');
      const days = (new Date(review.body.deadlines.replyBy).getTime() - Date.now()) / 86_400_000;
      expect(days).to.be.within(30, 31);
      expect((await request('POST', `/api/public/cases/${c.caseNo}/review`, { ip: freshIp(), body: { code: c.queryCode, reason: '再次复查' } })).status).to.equal(409);
    });

    it('when a complaint asks for a review, then 409: only petitions are reviewed', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      await act(handler, c.id, { action: 'reply', reply: '已处理' });
      expect((await request('POST', `/api/public/cases/${c.caseNo}/review`, { ip: freshIp(), body: { code: c.queryCode, reason: '复查' } })).status).to.equal(409);
    });
  });

  describe('audit', () => {
    it('when an admin creates a user and changes a channel, then the audit lists both with the actor, and the secret is not in it', async () => {
      const login = await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword } });
      const admin = login.body;
      const created = await request('POST', '/api/users', { token: admin.accessToken, body: { username: `audited-${Date.now()}`, password: 'a-long-password-1', role: 'operator' } });
      await request('PUT', '/api/channels/web_qa', { token: admin.accessToken, body: { secret: 'audit-secret-value-123456' } });
      const trail = await request('GET', `/api/audit?actorId=${admin.user.id}&limit=50`, { token: supervisor.token });
      expect(trail.status).to.equal(200);
      const subjects = trail.body.items.map((e: { subjectType: string; subjectId: string }) => `${e.subjectType}:${e.subjectId}`);
      expect(subjects).to.include(`user:${created.body.id}`);
      expect(subjects).to.include('channel:web_qa');
      expect(JSON.stringify(trail.body)).not.to.include('audit-secret-value-123456');
    });

    it('when a case is filtered, then its whole timeline is there; handlers cannot read the audit; the log refuses changes', async () => {
      const c = await buildCase();
      const trail = await request('GET', `/api/audit?subjectType=case&subjectId=${c.id}`, { token: supervisor.token });
      expect(trail.body.items.map((e: { action: string }) => e.action).reverse()).to.deep.equal(['register', 'dispatch']);
      expect((await request('GET', '/api/audit', { token: handler.token })).status).to.equal(403);
      const { rows } = await harness().pool.query(`INSERT INTO audit_log (action, subject_type, subject_id) VALUES ('test', 'user', 'x') RETURNING id`);
      let refused: Error | undefined;
      // As the owner: the application's role may not even try (test/api/append-only.test.ts).
      await harness().ownerPool.query(`UPDATE audit_log SET action = 'x' WHERE id = $1`, [rows[0].id]).catch((e: Error) => (refused = e));
      expect(refused?.message).to.match(/append-only/);
    });
  });
});
