import crypto from 'node:crypto';
import { expect } from 'chai';
import { buildCase, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

// 莒南县's 12345 centre: no other test file registers cases there, so its figures are this file's.
const JUNAN = '371327';
const JUNAN_CENTRE = '371327-hotline';
const TANYI = '371325105';

const consultation = (overrides: Record<string, unknown> = {}) =>
  intakeBody({ type: 'consultation', title: '公积金提取咨询', content: `市民咨询租房如何提取住房公积金 ${crypto.randomBytes(3).toString('hex')}`, ...overrides });

describe('direct answers at the desk (当场答复)', () => {
  let operator: Staff;
  let supervisor: Staff;
  let handler: Staff;
  let fundArticle: string;

  before(async () => {
    [operator, supervisor, handler] = await Promise.all([createStaff('operator', JUNAN_CENTRE), createStaff('supervisor'), createStaff('handler', TANYI)]);
    const found = await request('GET', `/api/knowledge/search?q=${encodeURIComponent('租房提取公积金')}`, { token: operator.token });
    fundArticle = found.body.items[0].id;
  });

  const answer = (by: Staff, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    request('POST', '/api/cases', {
      token: by.token,
      headers,
      body: consultation({ resolution: { kind: 'direct_answer', answer: '租房提取可通过手机公积金APP申请，需提供租赁合同。', knowledgeIds: [fundArticle] }, ...overrides }),
    });

  it('when the desk answers a request at intake, then the case is closed at once, never dispatched, and the answer is on its timeline', async () => {
    const res = await answer(operator);
    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.include({ status: 'closed', assignedUnit: null });
    const full = await request('GET', `/api/cases/${res.body.id}`, { token: supervisor.token });
    const actions = full.body.events.map((e: { action: string }) => e.action);
    expect(actions).to.deep.equal(['register', 'answer_directly']);
    expect(full.body.events[1]).to.deep.include({ action: 'answer_directly', public: true, note: '租房提取可通过手机公积金APP申请，需提供租赁合同。' });
    expect(full.body.events[1].data).to.deep.equal({ unitCode: JUNAN_CENTRE, knowledgeIds: [fundArticle] });
    expect(full.body.allowedActions).to.deep.equal(['return_visit']);
  });

  it('when the citizen looks the case up, then the public view shows it closed with the answer', async () => {
    const res = await answer(operator);
    const view = await request('GET', `/api/public/cases/${res.body.caseNo}?code=${res.body.queryCode}`, { ip: freshIp() });
    expect(view.status, view.text).to.equal(200);
    expect(view.body.status).to.equal('closed');
    expect(view.body.reply).to.equal('租房提取可通过手机公积金APP申请，需提供租赁合同。');
    expect(view.body.events.map((e: { label: string }) => e.label)).to.include('当场答复');
  });

  it('when the same answered intake is retried under its idempotency key, then there is still one case with one answer', async () => {
    const key = crypto.randomUUID();
    const body = consultation({ resolution: { kind: 'direct_answer', answer: '已当场解答', knowledgeIds: [] } });
    const first = await request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } });
    const second = await request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } });
    expect([first.status, second.status]).to.deep.equal([201, 200]);
    expect(second.body.id).to.equal(first.body.id);
    const full = await request('GET', `/api/cases/${first.body.id}`, { token: supervisor.token });
    expect(full.body.events.filter((e: { action: string }) => e.action === 'answer_directly')).to.have.length(1);
  });

  it('when the answer is missing, comes with a dispatch, or cites an unknown or archived article, then 400 names the field and no case is made', async () => {
    const archived = await request('POST', '/api/knowledge', {
      token: supervisor.token,
      body: { title: '已停止执行的旧政策', body: '旧政策内容', unitCode: '3713-renshe', validFrom: '2026-01-01' },
    });
    await request('DELETE', `/api/knowledge/${archived.body.id}`, { token: supervisor.token });
    const marker = crypto.randomBytes(4).toString('hex');
    const attempts: [Record<string, unknown>, string][] = [
      [{ resolution: { kind: 'direct_answer', knowledgeIds: [] } }, 'body.resolution.answer'],
      [{ resolution: { kind: 'other', answer: '答复' } }, 'body.resolution.kind'],
      [{ dispatchTo: TANYI, resolution: { kind: 'direct_answer', answer: '答复内容' } }, 'body'],
      [{ resolution: { kind: 'direct_answer', answer: '答复内容', knowledgeIds: [crypto.randomUUID()] } }, 'body.resolution.knowledgeIds.0'],
      [{ resolution: { kind: 'direct_answer', answer: '答复内容', knowledgeIds: [fundArticle, archived.body.id] } }, 'body.resolution.knowledgeIds.1'],
    ];
    for (const [overrides, path] of attempts) {
      const res = await request('POST', '/api/cases', { token: operator.token, body: consultation({ content: `${marker} 咨询`, ...overrides }) });
      expect(res.status, `${path}: ${res.text}`).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(path);
    }
    const listed = await request('GET', `/api/cases?q=${marker}`, { token: supervisor.token });
    expect(listed.body.items).to.have.length(0);
  });

  it('when a unit handler tries to answer at the desk, then it is refused with 403', async () => {
    expect((await answer(handler)).status).to.equal(403);
  });

  it('when the centre makes the return visit (回访), then the rating is kept, the case stays closed, and a second visit or a reopen is refused with 409', async () => {
    const res = await answer(operator);
    const act = (by: Staff, body: Record<string, unknown>) => request('POST', `/api/cases/${res.body.id}/actions`, { token: by.token, body });
    const visit = await act(operator, { action: 'return_visit', satisfaction: 'satisfied', comment: '市民表示清楚了' });
    expect(visit.status, visit.text).to.equal(200);
    expect(visit.body).to.include({ status: 'closed' });
    expect(visit.body.rating).to.include({ satisfaction: 'satisfied', source: 'return_visit' });
    expect(lastChange(visit.body.events)).to.include({ action: 'return_visit', public: true });
    expect(visit.body.allowedActions).to.deep.equal([]);
    expect((await act(operator, { action: 'return_visit', satisfaction: 'dissatisfied' })).status).to.equal(409);
    expect((await act(supervisor, { action: 'reopen', reason: '市民仍有疑问' })).status).to.equal(409);
    expect((await act(operator, { action: 'return_visit' })).status).to.equal(400);
  });

  it('when a case closed after a unit\'s reply gets a return_visit, then it is refused with 409 (its visit is the close)', async () => {
    const c = await buildCase({}, operator);
    await request('POST', `/api/cases/${c.id}/actions`, { token: handler.token, body: { action: 'accept' } });
    await request('POST', `/api/cases/${c.id}/actions`, { token: handler.token, body: { action: 'reply', reply: '已修复' } });
    await request('POST', `/api/cases/${c.id}/actions`, { token: operator.token, body: { action: 'close' } });
    const visit = await request('POST', `/api/cases/${c.id}/actions`, { token: operator.token, body: { action: 'return_visit', satisfaction: 'satisfied' } });
    expect(visit.status).to.equal(409);
  });

  it('when the centre answers some of its intake at the desk, then unit statistics count answeredDirectly and directAnswerRate for it and overall', async () => {
    const before = await request('GET', `/api/stats/units?parent=${JUNAN}`, { token: supervisor.token });
    const row = (res: typeof before, code: string) => res.body.items.find((i: { unitCode: string }) => i.unitCode === code);
    const was = row(before, JUNAN_CENTRE);
    const answered = await answer(operator);
    await answer(operator);
    await buildCase({}, operator);
    await request('POST', `/api/cases/${answered.body.id}/actions`, { token: operator.token, body: { action: 'return_visit', satisfaction: 'basically_satisfied' } });

    const after = await request('GET', `/api/stats/units?parent=${JUNAN}`, { token: supervisor.token });
    expect(after.status, after.text).to.equal(200);
    const centre = row(after, JUNAN_CENTRE);
    expect(centre.registered - was.registered).to.equal(3);
    expect(centre.answeredDirectly - was.answeredDirectly).to.equal(2);
    expect(centre.basicallySatisfied - was.basicallySatisfied).to.equal(1);
    expect(centre.directAnswerRate).to.be.closeTo(centre.answeredDirectly / centre.registered, 1e-9);
    const county = row(after, JUNAN);
    expect(county.answeredDirectly).to.equal(centre.answeredDirectly);
    const city = await request('GET', '/api/stats/units', { token: supervisor.token });
    const overall = city.body.items[0];
    expect(overall.answeredDirectly).to.be.at.least(centre.answeredDirectly);
    expect(overall.directAnswerRate).to.be.closeTo(overall.answeredDirectly / overall.registered, 1e-9);
  });
});
