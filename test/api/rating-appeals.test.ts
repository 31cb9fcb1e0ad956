import { expect } from 'chai';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const TANYI = '371325105';
const FEI = '371325';
const act = (by: Staff, caseId: string, body: Record<string, unknown>) => request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });

describe('rating appeals (不满意甄别): the unit asks, the centre decides, the rate leaves the rating out', function () {
  this.timeout(60_000);
  let operator: Staff;
  let supervisor: Staff;
  let township: Staff;

  before(async () => {
    [operator, supervisor, township] = await Promise.all([createStaff('operator'), createStaff('supervisor'), createStaff('handler', TANYI)]);
  });

  /** A case 探沂镇 answered and the citizen rated dissatisfied (which sends it back to the unit). */
  async function ratedDissatisfied(): Promise<Record<string, any>> {
    const c = await buildCase({}, operator);
    await act(township, c.id, { action: 'accept' });
    await act(township, c.id, { action: 'reply', reply: '已答复：该诉求属于民事纠纷，建议通过诉讼解决' });
    const rated = await request('POST', `/api/public/cases/${c.caseNo}/rating`, { ip: freshIp(), body: { code: c.queryCode, satisfaction: 'dissatisfied', comment: '不满意' } });
    expect(rated.status, rated.text).to.equal(200);
    return c;
  }

  const appeal = (c: Record<string, any>, by: Staff = township) => act(by, c.id, { action: 'appeal_rating', reason: '诉求属民事纠纷，超出行政职责范围' });
  const decide = (c: Record<string, any>, upheld: boolean, by: Staff = supervisor) => act(by, c.id, { action: 'decide_rating_appeal', upheld, reason: upheld ? '经核实诉求不合理' : '单位答复未解决问题' });

  const window = (): string => `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
  type Figures = Record<'rated' | 'satisfied' | 'basicallySatisfied' | 'dissatisfied' | 'ratingAppeals' | 'ratingsExcluded', number> & { satisfactionRate: number | null };
  const figures = async (): Promise<Figures> => {
    const res = await request('GET', `/api/stats/units?parent=${FEI}&${window()}`, { token: supervisor.token });
    expect(res.status, res.text).to.equal(200);
    return res.body.items.find((i: { unitCode: string }) => i.unitCode === TANYI);
  };

  it('when the centre upholds an appeal, then the rating stays on record but leaves the satisfaction rate, which shows ratingsExcluded beside it', async () => {
    const c = await ratedDissatisfied();
    const before = await figures();
    const appealed = await appeal(c);
    expect(appealed.status, appealed.text).to.equal(200);
    expect(appealed.body.procedures.ratingAppeal).to.include({ unitCode: TANYI, decision: null });
    const decided = await decide(c, true);
    expect(decided.status, decided.text).to.equal(200);
    expect(decided.body.rating.satisfaction).to.equal('dissatisfied');
    expect(decided.body.procedures.ratingAppeal.decision).to.include({ upheld: true });
    expect(lastChange(decided.body.events)).to.deep.include({ action: 'decide_rating_appeal', public: false, actor: { id: supervisor.id, role: 'supervisor', unitCode: null } });
    const after = await figures();
    expect(after.ratingAppeals - before.ratingAppeals).to.equal(1);
    expect(after.ratingsExcluded - before.ratingsExcluded).to.equal(1);
    expect(after).to.include({ rated: before.rated, dissatisfied: before.dissatisfied });
    expect(after.satisfactionRate).to.equal(after.rated - after.ratingsExcluded === 0 ? null : (after.satisfied + after.basicallySatisfied) / (after.rated - after.ratingsExcluded));
    const ranking = await request('GET', `/api/stats/rankings?group=counties&${window()}`, { token: supervisor.token });
    expect(ranking.body.items.find((i: { unitCode: string }) => i.unitCode === FEI)).to.have.property('ratingsExcluded').that.is.at.least(1);
  });

  it('when the centre rejects an appeal, then nothing is excluded', async () => {
    const c = await ratedDissatisfied();
    await appeal(c);
    const before = await figures();
    expect((await decide(c, false)).status).to.equal(200);
    expect((await figures()).ratingsExcluded).to.equal(before.ratingsExcluded);
  });

  it("when an appeal is decided, then the citizen's view is unchanged", async () => {
    const c = await ratedDissatisfied();
    const view = () => request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() });
    const before = (await view()).body;
    await appeal(c);
    await decide(c, true);
    const after = (await view()).body;
    expect(after.rating).to.deep.equal(before.rating);
    expect(after.events).to.deep.equal(before.events);
  });

  it('when the same rating is appealed twice or decided twice, then the second is refused with 409', async () => {
    const c = await ratedDissatisfied();
    await appeal(c);
    expect((await appeal(c)).status).to.equal(409);
    await decide(c, true);
    expect((await decide(c, false)).status).to.equal(409);
  });

  it('when two supervisors decide the same appeal at once, then one wins and the other is refused with 409', async () => {
    const c = await ratedDissatisfied();
    await appeal(c);
    const other = await createStaff('supervisor');
    const answers = await Promise.all([decide(c, true), decide(c, false, other)]);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 409]);
    const events = (await request('GET', `/api/cases/${c.id}`, { token: supervisor.token })).body.events;
    expect(events.filter((e: { action: string }) => e.action === 'decide_rating_appeal')).to.have.length(1);
  });

  it('when a satisfied rating or an unrated case is appealed, then it is refused', async () => {
    const c = await buildCase({}, operator);
    await act(township, c.id, { action: 'accept' });
    expect((await appeal(c)).status).to.equal(409);
    await act(township, c.id, { action: 'reply', reply: '已处理' });
    await request('POST', `/api/public/cases/${c.caseNo}/rating`, { ip: freshIp(), body: { code: c.queryCode, satisfaction: 'satisfied' } });
    expect((await appeal(c)).status).to.equal(409);
  });

  it('when another unit appeals, or a handler or an operator decides, then it is refused', async () => {
    const c = await ratedDissatisfied();
    const outsider = await createStaff('handler', '371302');
    expect((await appeal(c, outsider)).status).to.equal(404);
    expect((await appeal(c, supervisor)).status).to.equal(403);
    await appeal(c);
    expect((await decide(c, true, township)).status).to.equal(403);
    expect((await decide(c, true, operator)).status).to.equal(403);
  });
});
