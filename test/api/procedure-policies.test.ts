import { expect } from 'chai';
import { eventually } from '../support/deadline-cases.js';
import { buildCase, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { computeDeadline } from '../../models/time-limits/time-limit-policy.js';
import { createWorkingCalendar } from '../../models/time-limits/working-calendar.js';
import { lastChange } from '../support/timeline.js';

const TANYI = '371325105';
const RENSHE = '371325-renshe';
const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
const DEFAULTS = {
  thirdPartyAnswer: { unit: 'working_days', amount: 15 },
  arbitration: { unit: 'working_days', amount: 5 },
  ratingAppeal: { unit: 'working_days', amount: 5 },
};

describe('the limits of the procedures as policy: versioned, changed by an admin, recorded on each deadline', function () {
  this.timeout(60_000);
  let admin: Staff;
  let operator: Staff;
  let supervisor: Staff;
  let township: Staff;
  let policies: Record<string, unknown>[];

  const putLimits = async (procedureLimits: Record<string, unknown>) => {
    const res = await request('PUT', '/api/time-limit-policies', { token: admin.token, body: { policies, procedureLimits } });
    expect(res.status, res.text).to.equal(200);
    return res.body as { version: number; procedureLimits: Record<string, unknown> };
  };

  before(async () => {
    [admin, operator, supervisor, township] = await Promise.all([createStaff('admin'), createStaff('operator'), createStaff('supervisor'), createStaff('handler', TANYI)]);
    const current = await request('GET', '/api/time-limit-policies', { token: admin.token });
    policies = current.body.policies.map(({ version: _v, ...p }: Record<string, unknown>) => p);
  });
  // The other tests of a run count with the statutory limits.
  after(async () => {
    await putLimits(DEFAULTS);
  });

  it('when an admin changes the arbitration limit, then the set gets a new version, the other limits stay, and a dispute after it is due by the new limit with that version', async () => {
    const before = await request('GET', '/api/time-limit-policies', { token: supervisor.token });
    expect(before.body.procedureLimits).to.deep.equal(DEFAULTS);
    const saved = await putLimits({ arbitration: { unit: 'working_days', amount: 3 } });
    expect(saved.version).to.equal(before.body.version + 1);
    expect(saved.procedureLimits).to.deep.equal({ ...DEFAULTS, arbitration: { unit: 'working_days', amount: 3 } });
    // A set saved without procedure limits keeps them.
    const kept = await request('PUT', '/api/time-limit-policies', { token: admin.token, body: { policies } });
    expect(kept.body.procedureLimits).to.deep.equal(saved.procedureLimits);

    const c = await buildCase({}, operator);
    const disputed = await act(township, c.id, { action: 'dispute_dispatch', reason: '不属于本镇职责', suggestedUnitCode: RENSHE });
    expect(disputed.status, disputed.text).to.equal(200);
    expect(disputed.body.deadlines.policy.arbitration).to.deep.equal({ policyId: 'procedure-arbitration', setVersion: kept.body.version, limit: { unit: 'working_days', amount: 3 }, warnAt: 0.8 });
    // Three working days from the dispute, under the national calendar this test database keeps.
    const disputedAt = new Date(disputed.body.procedures.dispute.disputedAt);
    expect(disputed.body.deadlines.arbitrateBy).to.equal(computeDeadline(createWorkingCalendar([]), disputedAt, { unit: 'working_days', amount: 3 }).toISOString());
  });

  it('when a limit is not a limit, or someone else than an admin changes them, then it is refused', async () => {
    for (const procedureLimits of [{ arbitration: { unit: 'working_days', amount: 0 } }, { ratingAppeal: { unit: 'weeks', amount: 1 } }, { arbitration: { unit: 'working_days', amount: 2.5 } }, { unknown: DEFAULTS.arbitration }]) {
      const res = await request('PUT', '/api/time-limit-policies', { token: admin.token, body: { policies, procedureLimits } });
      expect(res.status, JSON.stringify(procedureLimits)).to.equal(400);
    }
    expect((await request('PUT', '/api/time-limit-policies', { token: supervisor.token, body: { policies, procedureLimits: DEFAULTS } })).status).to.equal(403);
  });

  it('when a unit appeals a rating, then the appeal records the window the policy gave and its version', async () => {
    const saved = await putLimits({ ratingAppeal: { unit: 'hours', amount: 48 } });
    const c = await buildCase({}, operator);
    await act(township, c.id, { action: 'accept' });
    await act(township, c.id, { action: 'reply', reply: '已答复：该诉求属于民事纠纷，建议通过诉讼解决' });
    const rated = await request('POST', `/api/public/cases/${c.caseNo}/rating`, { ip: freshIp(), body: { code: c.queryCode, satisfaction: 'dissatisfied', comment: '不满意' } });
    expect(rated.status, rated.text).to.equal(200);
    const appealed = await act(township, c.id, { action: 'appeal_rating', reason: '诉求属民事纠纷' });
    expect(appealed.status, appealed.text).to.equal(200);
    const appeal = appealed.body.procedures.ratingAppeal;
    expect(new Date(appeal.appealBy).getTime() - new Date(appeal.ratingAt).getTime()).to.equal(48 * 3_600_000);
    expect(appeal).to.include({ policyVersion: saved.version });
    expect(lastChange(appealed.body.events).data).to.include({ appealBy: appeal.appealBy });
  });

  it('when a third party lets its time pass, then the overdue is on the timeline, the clock stays paused until the office goes on without it (once, however often it is sent), and the reply records the lapse', async () => {
    // Seconds instead of 15 working days, so that the real jobs fire while the test waits.
    await putLimits({ thirdPartyAnswer: { unit: 'hours', amount: 0.001 } });
    const created = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'online', type: 'disclosure', content: '申请公开某地块的征收补偿方案', address: '临沂市费县' }) });
    const c = created.body;
    const office = await createStaff('handler', c.assignedUnit.code);
    await act(office, c.id, { action: 'accept' });
    const asked = await act(office, c.id, { action: 'request_third_party_opinion', party: '某置业有限公司', reason: '补偿方案含该公司经营信息' });
    expect(asked.status, asked.text).to.equal(200);

    const overdue = await eventually(async () => {
      const res = await request('GET', `/api/cases/${c.id}`, { token: office.token });
      return res.body.events.find((e: { action: string; data: { kind?: string } }) => e.action === 'deadline_overdue' && e.data.kind === 'third_party') ? res.body : undefined;
    }, 20_000, 'the overdue of the third party');
    const kinds = overdue.events.filter((e: { action: string }) => e.action.startsWith('deadline_')).map((e: { action: string; data: { kind: string } }) => `${e.action}:${e.data.kind}`);
    expect(kinds).to.deep.equal(['deadline_warning:third_party', 'deadline_overdue:third_party']);
    expect(lastChange(overdue.events).note).to.include('第三方逾期未提出意见');
    // The unit is not late: nothing supervises or escalates the case for a third party's silence.
    expect(overdue.supervised).to.equal(false);
    expect(overdue.deadlines).to.include({ paused: true, pauseReason: 'third_party', thirdPartyOverdue: true });
    expect(overdue.allowedActions).to.include('third_party_no_answer');

    // Sent twice at once (a double click, a retried request): one goes through, the other finds the clock running.
    const twice = await Promise.all([1, 2].map(() => act(office, c.id, { action: 'third_party_no_answer', note: '第三方逾期未答复' })));
    expect(twice.map((r) => r.status).sort()).to.deep.equal([200, 409]);
    const goneOn = twice.find((r) => r.status === 200) as (typeof twice)[number];
    expect(goneOn.status, goneOn.text).to.equal(200);
    expect(goneOn.body.deadlines).to.include({ paused: false, pauseReason: null, thirdPartyAnswerBy: null });
    expect(goneOn.body.procedures.thirdPartyOpinion).to.include({ lapsed: true, agreed: null });
    expect(lastChange(goneOn.body.events).data).to.include({ answerBy: asked.body.deadlines.thirdPartyAnswerBy, replyBy: goneOn.body.deadlines.replyBy });
    const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    expect(lastChange(view.body.events)).to.include({ action: 'third_party_no_answer', label: '第三方逾期未提出意见' });
    expect((await act(office, c.id, { action: 'third_party_opinion_received', agreed: true })).status).to.equal(409);

    const reply = await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed' });
    expect(reply.status, reply.text).to.equal(200);
    const data = reply.body.events.find((e: { action: string }) => e.action === 'reply').data;
    expect(data).to.include({ thirdPartyLapsed: true }).and.not.have.property('thirdPartyAgreed');
  });
});
