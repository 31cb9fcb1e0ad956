import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const TANYI = '371325105';

async function act(by: Staff, caseId: string, body: Record<string, unknown>) {
  return request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
}

describe('chasing, rating, closing and reopening', () => {
  let handler: Staff;
  let operator: Staff;
  let supervisor: Staff;

  before(async () => {
    handler = await createStaff('handler', TANYI);
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
  });

  async function repliedCase(): Promise<Record<string, any>> {
    const c = await buildCase();
    await act(handler, c.id, { action: 'accept' });
    await act(handler, c.id, { action: 'reply', reply: '已修复路灯' });
    return c;
  }

  const rate = (c: Record<string, any>, satisfaction: string, code = c.queryCode) =>
    request('POST', `/api/public/cases/${c.caseNo}/rating`, { ip: freshIp(), body: { code, satisfaction, comment: '测试评价' } });

  describe('催办 (citizen escalation)', () => {
    it('when a citizen chases an open case, then it is recorded, public, pushed through the outbox, and a second chase within 24 hours gets 429', async () => {
      const c = await buildCase();
      const first = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode, reason: '一周了还没修' } });
      expect(first.status).to.equal(201);
      expect(lastChange(first.body.events)).to.include({ action: 'citizen_escalation', label: '市民催办' });
      const { rows } = await harness().pool.query(`SELECT topic FROM outbox WHERE case_id = $1 ORDER BY id DESC LIMIT 1`, [c.id]);
      expect(rows[0].topic).to.equal('case.citizen_escalation');
      const second = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode, reason: '再催一次' } });
      expect(second.status).to.equal(429);
      const staff = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
      expect(staff.body.events.filter((e: { action: string }) => e.action === 'citizen_escalation')).to.have.length(1);
      expect(lastChange(staff.body.events).data).to.deep.equal({ reason: '一周了还没修' });
    });

    it('when the code is wrong, then chasing answers 404 like an unknown case', async () => {
      const c = await buildCase();
      const wrong = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode === '000000' ? '111111' : '000000', reason: '催办' } });
      const unknown = await request('POST', '/api/public/cases/209901010000001/escalations', { ip: freshIp(), body: { code: c.queryCode, reason: '催办' } });
      expect(wrong.status).to.equal(404);
      expect(wrong.body).to.deep.equal(unknown.body);
    });

    it('when the case is already answered, then chasing is refused with 409', async () => {
      const c = await repliedCase();
      const res = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode, reason: '催办' } });
      expect(res.status).to.equal(409);
    });
  });

  describe('评价 (rating)', () => {
    it('when the case is not answered yet, then rating is refused with 409', async () => {
      const c = await buildCase();
      expect((await rate(c, 'satisfied')).status).to.equal(409);
    });

    it('when the citizen is satisfied, then the case is closed with the rating', async () => {
      const c = await repliedCase();
      const res = await rate(c, 'satisfied');
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ status: 'closed', statusLabel: '已办结', canRate: false });
      expect(res.body.rating.satisfaction).to.equal('satisfied');
      expect((await rate(c, 'dissatisfied')).status).to.equal(409);
    });

    it('when the citizen is dissatisfied, then the case goes back to the unit that replied with new deadlines and reopenCount 1', async () => {
      const c = await repliedCase();
      const res = await rate(c, 'dissatisfied');
      expect(res.body).to.deep.include({ status: 'dispatched', reopenCount: 1, reply: null });
      expect(res.body.assignedUnit.code).to.equal(TANYI);
      expect(res.body.events.slice(-2).map((e: { action: string }) => e.action)).to.deep.equal(['rate', 'reopen']);
      const staff = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
      expect(new Date(staff.body.deadlines.acceptBy).getTime()).to.be.greaterThan(Date.now());
      expect(staff.body.deadlines.version).to.be.greaterThan(c.deadlines.version);
      const { rows } = await harness().pool.query(`SELECT topic FROM outbox WHERE case_id = $1 AND topic IN ('case.rate', 'case.reopen') ORDER BY id DESC LIMIT 2`, [c.id]);
      expect(rows.map((r) => r.topic)).to.deep.equal(['case.reopen', 'case.rate']);
    });

    it('when a case was reopened twice, then a third dissatisfied rating leaves it replied and flagged for the centre', async () => {
      const c = await repliedCase();
      for (let round = 0; round < 2; round += 1) {
        expect((await rate(c, 'dissatisfied')).body.status).to.equal('dispatched');
        await act(handler, c.id, { action: 'accept' });
        await act(handler, c.id, { action: 'reply', reply: `第${round + 2}次答复` });
      }
      const third = await rate(c, 'dissatisfied');
      expect(third.body).to.deep.include({ status: 'replied', reopenCount: 2 });
      const staff = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
      expect(staff.body.supervised).to.equal(true);
      // The reply's delivery is recorded on the timeline in the background: look for the rating itself.
      const rating = staff.body.events.filter((e: { action: string }) => e.action === 'rate').at(-1);
      expect(rating.data).to.include({ needsCentreDecision: true, reopened: false });
      const decided = await act(supervisor, c.id, { action: 'reopen', reason: '中心决定再次办理' });
      expect(decided.body).to.deep.include({ status: 'dispatched', reopenCount: 3 });
    });
  });

  describe('staff: close after the return visit, reopen, supervise', () => {
    it('when an operator closes a replied case after calling back, then the phone rating is recorded', async () => {
      const c = await repliedCase();
      const res = await act(operator, c.id, { action: 'close', satisfaction: 'basically_satisfied', comment: '电话回访' });
      expect(res.status).to.equal(200);
      expect(res.body.status).to.equal('closed');
      expect(res.body.rating).to.include({ satisfaction: 'basically_satisfied', source: 'return_visit' });
    });

    it('when a case is not replied yet, then it cannot be closed (409) and a handler can never close (403)', async () => {
      const c = await buildCase();
      expect((await act(operator, c.id, { action: 'close' })).status).to.equal(409);
      const replied = await repliedCase();
      expect((await act(handler, replied.id, { action: 'close' })).status).to.equal(403);
    });

    it('when a supervisor supervises (督办) a case, then it is flagged and the citizen sees that the centre is on it', async () => {
      const c = await buildCase();
      const res = await act(supervisor, c.id, { action: 'supervise', note: '请三日内处理完毕' });
      expect(res.body.supervised).to.equal(true);
      const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
      const last = lastChange(view.body.events);
      expect(last).to.include({ action: 'supervise', note: '12345热线已督办' });
      expect(JSON.stringify(view.body)).not.to.include('请三日内处理完毕');
      expect((await act(operator, c.id, { action: 'supervise', note: '督办' })).status).to.equal(403);
    });

    it('when a supervisor reopens a closed case, then it is dispatched again to the same unit', async () => {
      const c = await repliedCase();
      await act(operator, c.id, { action: 'close' });
      const res = await act(supervisor, c.id, { action: 'reopen', reason: '回访发现问题未解决' });
      expect(res.body).to.deep.include({ status: 'dispatched', reopenCount: 1 });
      expect(res.body.assignedUnit.code).to.equal(TANYI);
    });
  });
});
