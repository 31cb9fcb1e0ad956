import crypto from 'node:crypto';
import { expect } from 'chai';
import { buildCase, createStaff, intakeBody } from '../support/factories.js';
import { request } from '../support/http.js';

const TANYI = '371325105';
const FEIXIAN = '371325';
const SHANGYE = '371325101';

// A number nobody else's test uses, typed with separators as operators do.
function uniquePhone(): string {
  const digits = String(crypto.randomInt(10_000_000, 99_999_999));
  return `139 ${digits.slice(0, 4)}-${digits.slice(4)}`;
}

describe("operator's desk API: caller history, likely duplicates, own cases, manual dispatch at intake", () => {
  it('when a phone number is looked up, then the caller’s earlier cases come back newest first, matched by digits, with the open ones marked', async () => {
    const operator = await createStaff('operator');
    const phone = uniquePhone();
    const first = await buildCase({ citizen: { name: '李四', phone } }, operator);
    const second = await buildCase({ citizen: { name: '李四', phone: phone.replace(/\D/g, '') } }, operator);
    await buildCase({ citizen: { name: '王五', phone: uniquePhone() } }, operator);

    const res = await request('GET', `/api/desk/caller-cases?phone=${encodeURIComponent(phone.replace(/\D/g, '-'))}`, { token: operator.token });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.items.map((c: { id: string }) => c.id)).to.deep.equal([second.id, first.id]);
    expect(res.body.items[0]).to.include({ caseNo: second.caseNo, open: true, statusLabel: '已派单' });
    expect(res.body.items[0].assignedUnit.code).to.equal(TANYI);
    expect(res.body.items[0]).to.not.have.property('citizen');
  });

  it('when a handler asks for a caller’s cases, then it is refused: the look-up spans every unit', async () => {
    const handler = await createStaff('handler', TANYI);

    const res = await request('GET', '/api/desk/caller-cases?phone=13900000000', { token: handler.token });

    expect(res.status).to.equal(403);
  });

  it('when a draft repeats a recent case of the same caller, then it is a likely duplicate; a different matter is not', async () => {
    const operator = await createStaff('operator');
    const phone = uniquePhone();
    const earlier = await buildCase({ content: '探沂镇朱田村东头的路灯坏了一个多星期，晚上走路看不见', citizen: { phone } }, operator);

    const similar = await request('POST', '/api/desk/duplicates', { token: operator.token, body: { phone, content: '朱田村东头路灯坏了一个多星期了，晚上走路看不见' } });
    const different = await request('POST', '/api/desk/duplicates', { token: operator.token, body: { phone, content: '咨询社保卡补办需要带什么材料' } });

    expect(similar.status, similar.text).to.equal(200);
    const found = similar.body.items.find((c: { id: string }) => c.id === earlier.id);
    expect(found, 'the earlier case').to.not.equal(undefined);
    expect(found).to.include({ sameCaller: true });
    expect(found.similarity).to.be.at.least(0.5);
    expect(different.body.items.map((c: { id: string }) => c.id)).to.not.include(earlier.id);
  });

  it('when a draft resembles a recent case of the same township from another caller, then it is listed as the same place', async () => {
    const operator = await createStaff('operator');
    const content = `探沂镇集市北边垃圾堆放多日无人清运 ${crypto.randomBytes(2).toString('hex')}`;
    const earlier = await buildCase({ content, citizen: { phone: uniquePhone() } }, operator);

    const res = await request('POST', '/api/desk/duplicates', { token: operator.token, body: { phone: uniquePhone(), divisionCode: TANYI, content } });

    const found = res.body.items.find((c: { id: string }) => c.id === earlier.id);
    expect(found, res.text).to.include({ sameCaller: false, samePlace: true });
  });

  it('when an operator lists their own cases of today, then only the cases they registered appear', async () => {
    const [mine, theirs] = [await createStaff('operator'), await createStaff('operator')];
    const own = await buildCase({}, mine);
    const other = await buildCase({}, theirs);

    const res = await request('GET', '/api/desk/my-cases', { token: mine.token });

    expect(res.status, res.text).to.equal(200);
    const ids = res.body.items.map((c: { id: string }) => c.id);
    expect(ids).to.deep.equal([own.id]);
    expect(ids).to.not.include(other.id);
  });

  it('when the operator chooses another unit at intake, then the case goes there as the operator’s manual dispatch and keeps the rule’s decision', async () => {
    const operator = await createStaff('operator');
    const chosen = FEIXIAN;

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ dispatchTo: chosen }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.assignedUnit.code).to.equal(chosen);
    expect(res.body.status).to.equal('dispatched');
    expect(res.body.routing.unitCode, 'the rule would have sent it to the township').to.equal(TANYI);
    const stored = await request('GET', `/api/cases/${res.body.id}`, { token: operator.token });
    const dispatch = stored.body.events.find((e: { action: string }) => e.action === 'dispatch');
    expect(dispatch.actor).to.include({ id: operator.id, role: 'operator' });
    expect(dispatch.data).to.include({ manual: true, unitCode: chosen, ruleUnitCode: TANYI });
    expect(dispatch.note).to.equal(`人工派单至${res.body.assignedUnit.name}`);
  });

  it('when intake names a unit that does not exist, then it is refused with 400 and no case is stored', async () => {
    const operator = await createStaff('operator');
    const key = crypto.randomUUID();

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ dispatchTo: '371399999' }), headers: { 'Idempotency-Key': key } });
    const mine = await request('GET', '/api/desk/my-cases', { token: operator.token });

    expect(res.status).to.equal(400);
    expect(res.body.error.details[0].path).to.equal('body.dispatchTo');
    expect(mine.body.items).to.deep.equal([]);
  });
  it('when intake names co-handling units (协办单位), then the case is dispatched with them and a handler of a co-unit sees it in its queue', async () => {
    const operator = await createStaff('operator');
    const coHandler = await createStaff('handler', SHANGYE);

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ dispatchTo: TANYI, coUnits: [SHANGYE, TANYI] }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.assignedUnit.code).to.equal(TANYI);
    expect(res.body.coUnits, 'the lead unit is not its own co-unit').to.deep.equal([SHANGYE]);
    const stored = await request('GET', `/api/cases/${res.body.id}`, { token: operator.token });
    expect(stored.body.events.find((e: { action: string }) => e.action === 'dispatch').data.coUnits).to.deep.equal([SHANGYE]);
    const queue = await request('GET', `/api/cases?q=${res.body.caseNo}`, { token: coHandler.token });
    expect(queue.body.items.map((c: { id: string }) => c.id)).to.deep.equal([res.body.id]);
  });

  it('when co-handling units are named for a case nobody leads, or a co-unit does not exist, then 400 names the field and nothing is stored', async () => {
    const operator = await createStaff('operator');

    const leaderless = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ title: '反映情况', content: `想反映一个情况 ${crypto.randomUUID()}`, address: undefined, coUnits: [SHANGYE] }) });
    const unknown = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ coUnits: ['371399999'] }) });
    const mine = await request('GET', '/api/desk/my-cases', { token: operator.token });

    expect(leaderless.status, leaderless.text).to.equal(400);
    expect(leaderless.body.error.details[0].path).to.equal('body.coUnits');
    expect(unknown.status).to.equal(400);
    expect(unknown.body.error.details[0].path).to.equal('body.coUnits.0');
    expect(mine.body.items).to.deep.equal([]);
  });
});
