import { expect } from 'chai';
import { pendingDeadlineJobs } from '../../models/time-limits/deadline-effects.js';
import { harness } from '../support/harness.js';
import { buildCase, createDisclosureHead, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
const PARTY = '临沂某建设工程有限公司';

describe('disclosure requests: a third party consulted (《政府信息公开条例》 arts. 32-33)', function () {
  this.timeout(60_000);
  let operator: Staff;
  let supervisor: Staff;

  before(async () => {
    [operator, supervisor] = await Promise.all([createStaff('operator'), createStaff('supervisor')]);
  });

  /** A disclosure request routed to Fei county's disclosure office and signed for by it. */
  async function disclosureInProgress(): Promise<{ c: Record<string, any>; office: Staff }> {
    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'online', type: 'disclosure', content: '申请公开某道路改造工程的中标合同', address: '临沂市费县' }) });
    expect(res.status, res.text).to.equal(201);
    const office = await createStaff('handler', res.body.assignedUnit.code);
    expect((await act(office, res.body.id, { action: 'accept' })).status).to.equal(200);
    return { c: res.body, office };
  }

  const ask = (office: Staff, id: string) => act(office, id, { action: 'request_third_party_opinion', party: PARTY, reason: '合同含该公司报价，可能涉及商业秘密' });

  it('when the office asks a third party, then the reply clock pauses, the staff and public views say why, and the party stays internal', async () => {
    const { c, office } = await disclosureInProgress();
    const paused = await ask(office, c.id);
    expect(paused.status, paused.text).to.equal(200);
    expect(paused.body.deadlines).to.include({ paused: true, pauseReason: 'third_party', replyOverdue: false });
    expect(paused.body.procedures.thirdPartyOpinion).to.include({ party: PARTY, receivedAt: null, agreed: null });
    expect(paused.body.allowedActions).to.include('third_party_opinion_received').and.not.include('amendment_received');
    const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    expect(view.body.deadlines).to.include({ paused: true, pauseReason: 'third_party' });
    expect(lastChange(view.body.events)).to.include({ action: 'request_third_party_opinion', label: '征求第三方意见' });
    expect(JSON.stringify(view.body)).not.to.include(PARTY);
  });

  it('when the clock is paused for a third party, then no reply warning or overdue is pending but the third party\'s are; once its view is in, the reply\'s are again and the third party\'s gone', async () => {
    const { c, office } = await disclosureInProgress();
    const asked = (await ask(office, c.id)).body;
    const whilePaused = await pendingDeadlineJobs(harness().pool, [c.id]);
    expect(whilePaused.filter((j) => j.ref.kind === 'reply')).to.deep.equal([]);
    const thirdParty = whilePaused.filter((j) => j.ref.kind === 'third_party');
    expect(thirdParty.map((j) => j.ref.effect).sort()).to.deep.equal(['overdue', 'warning']);
    expect(thirdParty.find((j) => j.ref.effect === 'overdue')?.fireAt.toISOString()).to.equal(asked.deadlines.thirdPartyAnswerBy);
    await act(office, c.id, { action: 'third_party_opinion_received', agreed: true });
    const resumed = await pendingDeadlineJobs(harness().pool, [c.id]);
    expect(resumed.filter((j) => j.ref.kind === 'reply').map((j) => j.ref.effect).sort()).to.deep.equal(['overdue', 'warning']);
    expect(resumed.filter((j) => j.ref.kind === 'third_party')).to.deep.equal([]);
  });

  it('when a third party is asked, then its 15 working days are a deadline with the policy version, shown to staff and to the applicant; going on without it before then is refused', async () => {
    const { c, office } = await disclosureInProgress();
    const asked = await ask(office, c.id);
    const policies = await request('GET', '/api/time-limit-policies', { token: supervisor.token });
    const answerBy = asked.body.procedures.thirdPartyOpinion.answerBy;
    expect(asked.body.deadlines).to.include({ thirdPartyAnswerBy: answerBy, thirdPartyOverdue: false });
    expect(asked.body.deadlines.policy.thirdPartyAnswer).to.deep.equal({ policyId: 'procedure-thirdPartyAnswer', setVersion: policies.body.version, limit: policies.body.procedureLimits.thirdPartyAnswer, warnAt: 0.8 });
    const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    expect(view.body.deadlines).to.include({ thirdPartyAnswerBy: answerBy });
    expect(lastChange(view.body.events).note).to.include('第三方应于').and.include('前提出意见');
    expect(asked.body.allowedActions).not.to.include('third_party_no_answer');
    const early = await act(office, c.id, { action: 'third_party_no_answer' });
    expect(early.status).to.equal(409);
    expect(early.body.error.message).to.include(answerBy);
  });

  it('when the third party view arrives, then the clock resumes with the days left and the pause cannot be ended twice or as a 补正', async () => {
    const { c, office } = await disclosureInProgress();
    await ask(office, c.id);
    expect((await ask(office, c.id)).status).to.equal(409);
    expect((await act(office, c.id, { action: 'amendment_received' })).status).to.equal(409);
    const resumed = await act(office, c.id, { action: 'third_party_opinion_received', agreed: false, note: '该公司书面回复不同意公开' });
    expect(resumed.status, resumed.text).to.equal(200);
    expect(resumed.body.deadlines).to.include({ paused: false, pauseReason: null });
    expect(new Date(resumed.body.deadlines.replyBy).getTime()).to.be.at.least(new Date(c.deadlines.replyBy).getTime());
    expect(lastChange(resumed.body.events).data).to.include({ agreed: false, replyBy: resumed.body.deadlines.replyBy });
    expect((await act(office, c.id, { action: 'third_party_opinion_received', agreed: true })).status).to.equal(409);
  });

  it('when the office replies while the third party view is awaited, then it is refused', async () => {
    const { c, office } = await disclosureInProgress();
    await ask(office, c.id);
    const res = await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed' });
    expect(res.status).to.equal(409);
  });

  it('when the third party did not agree, then disclosing needs the public interest, and the reply records both', async () => {
    const { c, office } = await disclosureInProgress();
    await ask(office, c.id);
    await act(office, c.id, { action: 'third_party_opinion_received', agreed: false });
    const bare = await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed' });
    expect(bare.status).to.equal(400);
    expect(bare.body.error.details[0].path).to.equal('body.publicInterest');
    const reply = await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed', publicInterest: '涉及公共资金使用，不公开可能对公共利益造成重大影响' });
    expect(reply.status, reply.text).to.equal(200);
    expect(reply.body.events.find((e: { action: string }) => e.action === 'reply').data).to.include({ thirdPartyAgreed: false, publicInterest: '涉及公共资金使用，不公开可能对公共利益造成重大影响' });
  });

  it('when the third party agreed, then the reply records it and a public-interest ground is refused', async () => {
    const { c, office } = await disclosureInProgress();
    await ask(office, c.id);
    await act(office, c.id, { action: 'third_party_opinion_received', agreed: true });
    expect((await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed', publicInterest: '公共利益' })).status).to.equal(400);
    const reply = await act(office, c.id, { action: 'reply', reply: '予以公开', outcome: 'disclosed' });
    expect(reply.body.events.find((e: { action: string }) => e.action === 'reply').data).to.include({ thirdPartyAgreed: true });
  });

  it('when a disclosure reply is extended, then the applicant sees the reason on the public timeline', async () => {
    const { c, office } = await disclosureInProgress();
    await act(office, c.id, { action: 'request_extension', days: 20, reason: '需要调取多个部门档案' });
    expect((await act(await createDisclosureHead(c.assignedUnit.code), c.id, { action: 'approve_extension' })).status).to.equal(200);
    const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    expect(lastChange(view.body.events).action).to.equal('approve_extension');
    expect(lastChange(view.body.events).note).to.include('需要调取多个部门档案');
  });

  it('when a complaint is put to a third party, or another unit tries, then it is refused', async () => {
    const complaint = await buildCase({}, operator);
    const township = await createStaff('handler', complaint.assignedUnit.code);
    await act(township, complaint.id, { action: 'accept' });
    expect((await ask(township, complaint.id)).status).to.equal(409);
    const { c } = await disclosureInProgress();
    expect((await ask(township, c.id)).status).to.equal(404);
    expect((await ask(supervisor, c.id)).status).to.equal(403);
  });
});
