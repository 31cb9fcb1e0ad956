import crypto from 'node:crypto';
import { expect } from 'chai';
import { eventually } from '../support/deadline-cases.js';
import { createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';
import { lastChange } from '../support/timeline.js';

const COUNTY_OFFICE = '371325-petitions';
const CITY_OFFICE = '3713-petitions';
const DAY_MS = 86_400_000;
const MATTER = '反映我村征地补偿款未足额发放，多次找村委会未果，请求依法处理';

/** A phone number no other test uses: concluded matters are looked up by the caller's phone. */
const freshPhone = (): string => `139${String(crypto.randomInt(0, 100_000_000)).padStart(8, '0')}`;

async function act(by: Staff, caseId: string, body: Record<string, unknown>) {
  return request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
}

describe('petitions (《信访工作条例》 2022): acceptance, 不予受理, 复查, 复核, 终结', function () {
  this.timeout(60_000);
  let operator: Staff;
  let county: Staff;
  let city: Staff;

  before(async () => {
    [operator, county, city] = await Promise.all([createStaff('operator'), createStaff('handler', COUNTY_OFFICE), createStaff('handler', CITY_OFFICE)]);
  });

  async function petition(overrides: Record<string, unknown> = {}): Promise<Record<string, any>> {
    const res = await request('POST', '/api/cases', {
      token: operator.token,
      body: intakeBody({ type: 'petition', title: '征地补偿', content: MATTER, address: '临沂市费县探沂镇', citizen: { name: '王五', phone: freshPhone() }, ...overrides }),
    });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }

  const view = async (c: Record<string, any>) => (await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: freshIp() })).body;
  const review = (c: Record<string, any>, reason: string) => request('POST', `/api/public/cases/${c.caseNo}/review`, { ip: freshIp(), body: { code: c.queryCode, reason } });

  describe('the decision whether to accept (受理 / 不予受理), within 15 days of receipt', () => {
    it('when a letter received on 2026-11-20 10:00 (Beijing) is registered, then the office decides by 2026-12-05 24:00, 15 natural days, under the petition policy', async () => {
      const c = await petition({ channel: 'letter', receivedAt: '2026-11-20T10:00:00+08:00', receivedAtReason: '信件邮寄在途' });
      expect(c.assignedUnit.code).to.equal(COUNTY_OFFICE);
      expect(c.deadlines.acceptBy).to.equal('2026-12-05T16:00:00.000Z');
      expect(c.deadlines.acceptProvisional).to.equal(false);
      expect(c.deadlines.policy.accept).to.deep.include({ policyId: 'default-petition-any', limit: { unit: 'days', amount: 15 } });
      expect(c.deadlines.policy.accept.setVersion).to.be.a('number');
      expect(c.petition).to.include({ decision: null, decisionLabel: '待决定是否受理', reviewLevel: 0, repeatsConcluded: false });
    });

    it('when a petition was received 13 days ago, then the warning fires on the decision limit; at 16 days the overdue fires too, and a late decision is recorded as late', async () => {
      const warned = await petition({ receivedAt: new Date(Date.now() - 13 * DAY_MS).toISOString() });
      const late = await petition({ receivedAt: new Date(Date.now() - 16 * DAY_MS).toISOString() });
      const deadlineEvents = async (id: string) => (await request('GET', `/api/cases/${id}`, { token: operator.token })).body.events.filter((e: any) => e.action.startsWith('deadline_'));
      const lateEvents = await eventually(async () => {
        const events = await deadlineEvents(late.id);
        return events.length === 2 ? events : undefined;
      }, 15_000, 'the warning and the overdue of the late petition');
      // Both were past due at intake, so their jobs run in either order.
      expect(lateEvents.map((e: any) => `${e.action}:${e.data.kind}`)).to.have.members(['deadline_warning:accept', 'deadline_overdue:accept']);
      expect(lateEvents.find((e: any) => e.action === 'deadline_overdue').note).to.equal('受理决定已超时（红牌）');
      const warnedEvents = await eventually(async () => {
        const events = await deadlineEvents(warned.id);
        return events.length > 0 ? events : undefined;
      }, 15_000, 'the warning of the petition received 13 days ago');
      expect(warnedEvents.map((e: any) => e.action)).to.deep.equal(['deadline_warning']);
      const decided = await act(county, late.id, { action: 'accept_petition' });
      expect(lastChange(decided.body.events)).to.deep.include({ action: 'accept_petition', public: true, data: { acceptBy: late.deadlines.acceptBy, onTime: false } });
    });

    it('when the office accepts, then the petition is in progress, the petitioner is told in writing through the source channel, and it is handed on (交办) as before', async () => {
      const c = await petition();
      const res = await act(county, c.id, { action: 'accept_petition' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ status: 'in_progress' });
      expect(res.body.petition).to.include({ decision: 'accepted', decisionLabel: '已受理' });
      const event = lastChange(res.body.events);
      expect(event).to.deep.include({ action: 'accept_petition', public: true, data: { acceptBy: c.deadlines.acceptBy, onTime: true } });
      // The notice takes the outbound path of replies: whatever the channel settings, an outcome is recorded for it.
      const outcome = await eventually(async () => {
        const events = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.events;
        return events.find((e: any) => e.action.startsWith('reply_deliver') && e.data.eventId === event.id);
      }, 15_000, 'the outcome of the acceptance notice');
      expect(outcome.data.channel).to.be.a('string');
      expect((await act(county, c.id, { action: 'assign', unitCode: '371325105' })).status).to.equal(200);
      expect((await view(c)).events.map((e: any) => e.label)).to.include('受理');
    });

    it('when the office rejects a labour dispute for arbitration, then the case closes, the notice names 仲裁, and the unit statistics count it', async () => {
      const c = await petition({ content: `反映公司拖欠工资三个月，请求责令支付 ${crypto.randomBytes(3).toString('hex')}` });
      const res = await act(county, c.id, { action: 'reject_petition', reason: '属于劳动争议', properChannel: 'arbitration' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ status: 'closed' });
      expect(res.body.petition).to.include({ decision: 'rejected', properChannel: 'arbitration', properChannelLabel: '仲裁' });
      const event = lastChange(res.body.events);
      expect(event).to.deep.include({ action: 'reject_petition', public: true, data: { acceptBy: c.deadlines.acceptBy, onTime: true, reason: '属于劳动争议', properChannel: 'arbitration' } });
      expect(event.note).to.include('不予受理').and.include('仲裁');
      const citizen = await view(c);
      expect(citizen.petition).to.include({ decisionLabel: '不予受理', properChannelLabel: '仲裁', canReview: false });
      expect(lastChange(citizen.events)).to.include({ label: '不予受理' });
      expect((await review(c, '不服')).status).to.equal(409);
      const supervisor = await createStaff('supervisor');
      const stats = await request('GET', `/api/stats/units?parent=371325`, { token: supervisor.token });
      expect(stats.status, stats.text).to.equal(200);
      const office = stats.body.items.find((u: any) => u.unitCode === COUNTY_OFFICE);
      expect(office.petitionsRejected).to.be.at.least(1);
    });

    it('when a reason or a known channel is missing, then 400 and the petition still waits for the decision', async () => {
      const c = await petition();
      expect((await act(county, c.id, { action: 'reject_petition', properChannel: 'litigation' })).status).to.equal(400);
      expect((await act(county, c.id, { action: 'reject_petition', reason: '属于民事纠纷', properChannel: 'court' })).status).to.equal(400);
      const still = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
      expect(still.body).to.include({ status: 'dispatched' });
    });

    it('when the office only signs for a petition (accept), then 409: it must decide whether to accept, and its screen offers the decision instead', async () => {
      const c = await petition();
      const screen = (await request('GET', `/api/cases/${c.id}`, { token: county.token })).body;
      expect(screen.allowedActions).to.include.members(['accept_petition', 'reject_petition']).and.not.include('accept');
      const res = await act(county, c.id, { action: 'accept' });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('invalid_state');
    });

    it('when the office accepts and rejects the same petition at once, then one decision wins and the other gets 409', async () => {
      const c = await petition();
      const results = await Promise.all([
        act(county, c.id, { action: 'accept_petition' }),
        act(county, c.id, { action: 'reject_petition', reason: '属于民事纠纷', properChannel: 'litigation' }),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
      const events = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.events;
      expect(events.filter((e: any) => e.action === 'accept_petition' || e.action === 'reject_petition')).to.have.length(1);
    });
  });

  describe('复查, 复核 and 终结', () => {
    async function answered(by: Staff, c: Record<string, any>, reply: string): Promise<void> {
      expect((await act(by, c.id, { action: 'accept' })).status).to.equal(200);
      expect((await act(by, c.id, { action: 'reply', reply })).status).to.equal(200);
    }

    it('when the petitioner asks for 复查, then 复核, then a third review, then the third is refused with 409 final and the matter shows as concluded', async () => {
      const c = await petition();
      expect((await act(county, c.id, { action: 'accept_petition' })).status).to.equal(200);
      expect((await act(county, c.id, { action: 'reply', reply: '经调查，补偿款已足额发放。' })).status).to.equal(200);
      expect((await view(c)).petition).to.include({ canReview: true, reviewLevel: 0 });

      const first = await review(c, '对答复不服，申请复查');
      expect(first.status, first.text).to.equal(201);
      expect(first.body.assignedUnit.code).to.equal(CITY_OFFICE);
      expect(first.body.petition).to.include({ reviewLevel: 1, reviewLabel: '复查' });
      await answered(city, c, '经复查，维持原处理意见。');

      const second = await review(c, '对复查意见不服，申请复核');
      expect(second.status, second.text).to.equal(201);
      expect(second.body).to.include({ status: 'dispatched' });
      expect(second.body.petition).to.include({ reviewLevel: 2, reviewLabel: '复核', concluded: false });
      expect(lastChange(second.body.events)).to.include({ action: 're_review', label: '申请复核' });
      const staff = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
      const reReview = lastChange(staff.body.events);
      expect(reReview.data).to.include({ toUnit: CITY_OFFICE, previousUnit: CITY_OFFICE });
      const days = (new Date(staff.body.deadlines.replyBy).getTime() - new Date(reReview.at).getTime()) / DAY_MS;
      expect(days).to.be.within(30, 31);
      expect(staff.body.deadlines.policy.reply).to.deep.include({ policyId: 'petition-review', limit: { unit: 'days', amount: 30 } });
      await answered(city, c, '经复核，维持复查意见。');

      const third = await review(c, '仍然不服');
      expect(third.status).to.equal(409);
      expect(third.body.error.code).to.equal('final');
      expect((await view(c)).petition).to.include({ concluded: true, canReview: false });
    });

    it('when the petitioner sends the 复查 request twice at once, then one review is opened and the other gets 409', async () => {
      const c = await petition();
      await act(county, c.id, { action: 'accept_petition' });
      await act(county, c.id, { action: 'reply', reply: '已答复' });
      const results = await Promise.all([review(c, '申请复查'), review(c, '申请复查')]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 409]);
      const events = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.events;
      expect(events.filter((e: any) => e.action === 'review' || e.action === 're_review').map((e: any) => e.action)).to.deep.equal(['review']);
    });

    it('when 复核 is asked while the 复查 is still being handled, then 409 and nothing changes', async () => {
      const c = await petition();
      await act(county, c.id, { action: 'accept_petition' });
      await act(county, c.id, { action: 'reply', reply: '已答复' });
      expect((await review(c, '申请复查')).status).to.equal(201);
      const again = await review(c, '申请复核');
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('invalid_state');
      expect((await view(c)).petition).to.include({ reviewLevel: 1 });
    });

    it('when the same petitioner files the concluded matter again, then intake flags and links it, sends it to the concluding office, and waits for its decision', async () => {
      const phone = freshPhone();
      const c = await petition({ citizen: { name: '赵六', phone } });
      await act(county, c.id, { action: 'accept_petition' });
      await act(county, c.id, { action: 'reply', reply: '补偿款已足额发放。' });
      expect((await review(c, '申请复查')).status).to.equal(201);
      await answered(city, c, '维持原处理意见。');
      expect((await review(c, '申请复核')).status).to.equal(201);
      await answered(city, c, '维持复查意见。');

      const again = await petition({ citizen: { name: '赵六', phone }, content: `${MATTER}，补偿款至今没有给足` });
      expect(again.assignedUnit.code).to.equal(CITY_OFFICE);
      expect(again.status).to.equal('dispatched');
      expect(again.routing).to.include({ ruleId: null });
      expect(again.routing.concluded).to.include({ caseId: c.id, caseNo: c.caseNo });
      expect(again.petition).to.include({ repeatsConcluded: true, concludedCaseId: c.id, decision: null });
      expect((await act(city, again.id, { action: 'accept' })).status).to.equal(409);
      const rejected = await act(city, again.id, { action: 'reject_petition', reason: '同一事实和理由，复核已终结', properChannel: 'other' });
      expect(rejected.status, rejected.text).to.equal(200);

      const other = await petition({ citizen: { name: '赵六', phone }, content: '反映小区门口道路积水严重，雨天无法通行' });
      expect(other.assignedUnit.code).to.equal(COUNTY_OFFICE);
      expect(other.petition).to.include({ repeatsConcluded: false });
    });
  });
});
