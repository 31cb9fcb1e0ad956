import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { buildCase, createDisclosureHead, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';
import { eventually } from '../support/deadline-cases.js';
import { createDeadlineQueue, deadlineJobId } from '../../jobs/deadline.queue.js';
import { statutoryHolidays } from '../../models/time-limits/statutory-holidays.js';
import { recomputeStaleProvisionalDeadlines } from '../../models/time-limits/recompute-deadlines.js';
import { calendarDateOf, createWorkingCalendar } from '../../models/time-limits/working-calendar.js';
import { computeDeadline } from '../../models/time-limits/time-limit-policy.js';
import { lastChange } from '../support/timeline.js';

// The calendar the system counts with while no schedule is loaded: the package's years, and the
// days off fixed by law for the years after them.
const SYSTEM_CALENDAR = createWorkingCalendar([]);
const THIRTY = { unit: 'working_days', amount: 30 } as const;
// A due is 24:00 of its last day: notes name that day.
const lastDay = (due: Date): string => calendarDateOf(new Date(due.getTime() - 1));

const TANYI = '371325105';

async function act(by: Staff, caseId: string, body: Record<string, unknown>) {
  return request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
}

async function adminToken(): Promise<string> {
  const res = await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword } });
  return res.body.accessToken as string;
}

describe('time limits through the API', () => {
  let operator: Staff;
  let supervisor: Staff;
  let handler: Staff;
  let admin: string;

  before(async () => {
    operator = await createStaff('operator');
    supervisor = await createStaff('supervisor');
    handler = await createStaff('handler', TANYI);
    admin = await adminToken();
  });

  describe('deadlines at intake', () => {
    it('when a complaint received 2026-09-30 10:00 is entered, then replyBy is 2026-10-13 24:00 Shanghai (National Day, Saturday 10-10 worked)', async () => {
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ receivedAt: '2026-09-30T10:00:00+08:00', receivedAtReason: '补录节前来电' }) });
      expect(res.status).to.equal(201);
      expect(res.body.deadlines.replyBy).to.equal('2026-10-13T16:00:00.000Z');
      expect(res.body.deadlines.replyOverdue).to.equal(true);
      expect(res.body.deadlines.policy.reply).to.include({ policyId: 'default-complaint-normal' });
    });

    it('when the rules dispatch a case at intake, then acceptBy is one working day from now and the public view shows both deadlines', async () => {
      const c = await buildCase();
      expect(c.status).to.equal('dispatched');
      expect(c.deadlines.acceptBy).to.match(/T16:00:00\.000Z$/);
      const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: '198.51.100.7' });
      expect(view.body.deadlines).to.deep.equal({ acceptBy: c.deadlines.acceptBy, replyBy: c.deadlines.replyBy, overdue: false, paused: false, pauseReason: null, thirdPartyAnswerBy: null, provisional: c.deadlines.provisional });
    });

    it('when an emergency is entered, then it has 2 natural hours to the minute', async () => {
      const receivedAt = new Date(Date.now() - 60_000);
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ urgency: 'emergency', receivedAt: receivedAt.toISOString() }) });
      expect(new Date(res.body.deadlines.replyBy).getTime()).to.equal(receivedAt.getTime() + 2 * 3_600_000);
    });
  });

  describe('policies', () => {
    it('when an admin replaces the policies, then new cases use the new version and old cases keep theirs', async () => {
      const before = await request('GET', '/api/time-limit-policies', { token: operator.token });
      const old = await buildCase();
      const policies = before.body.policies.map((p: Record<string, unknown>) =>
        p.id === 'default-complaint-normal' ? { ...p, reply: { unit: 'working_days', amount: 3 } } : p,
      );
      const put = await request('PUT', '/api/time-limit-policies', { token: admin, body: { policies: policies.map(({ version: _v, ...p }: Record<string, unknown>) => p) } });
      try {
        expect(put.status).to.equal(200);
        expect(put.body.version).to.equal(before.body.version + 1);
        const fresh = await buildCase();
        expect(fresh.deadlines.policy.reply).to.deep.include({ setVersion: put.body.version, limit: { unit: 'working_days', amount: 3 } });
        expect(new Date(fresh.deadlines.replyBy).getTime()).to.be.lessThan(new Date(old.deadlines.replyBy).getTime());
        const reread = await request('GET', `/api/cases/${old.id}`, { token: operator.token });
        expect(reread.body.deadlines.replyBy).to.equal(old.deadlines.replyBy);
      } finally {
        await request('PUT', '/api/time-limit-policies', { token: admin, body: { policies: before.body.policies.map(({ version: _v, ...p }: Record<string, unknown>) => p) } });
      }
    });

    it('when a policy set has no fallback for every case, then 400 and nothing changes', async () => {
      const before = await request('GET', '/api/time-limit-policies', { token: operator.token });
      const res = await request('PUT', '/api/time-limit-policies', {
        token: admin,
        body: { policies: [{ id: 'only-help', caseType: 'help', urgency: 'normal', accept: { unit: 'working_days', amount: 1 }, reply: { unit: 'working_days', amount: 5 } }] },
      });
      expect(res.status).to.equal(400);
      expect((await request('GET', '/api/time-limit-policies', { token: operator.token })).body.version).to.equal(before.body.version);
    });

    it('when a non-admin writes policies, then 403', async () => {
      const res = await request('PUT', '/api/time-limit-policies', { token: supervisor.token, body: { policies: [] } });
      expect(res.status).to.equal(403);
    });
  });

  // Before 'calendar', whose /readyz test loads the years in reach.
  describe('years without an official schedule', () => {
    /** A disclosure request received 2026-11-30 and extended by 20 working days: due 2027-01-26, provisional while 2027 has no schedule. */
    async function provisionalDisclosure(content: string): Promise<{ c: Record<string, any>; approved: Record<string, any> }> {
      const body = intakeBody({ channel: 'letter', type: 'disclosure', content, address: '临沂市费县探沂镇', receivedAt: '2026-11-30T00:30:00+08:00' });
      const c = (await request('POST', '/api/cases', { token: operator.token, body })).body;
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      await act(office, c.id, { action: 'request_extension', days: 20, reason: '需征求第三方意见' });
      const approved = (await act(await createDisclosureHead(c.assignedUnit.code), c.id, { action: 'approve_extension' })).body;
      expect(approved.deadlines).to.include({ replyBy: '2027-01-26T16:00:00.000Z', replyProvisional: true });
      return { c, approved };
    }

    it('when a disclosure request due 2026-12-28 is extended by 20 working days, then replyBy is 2027-01-26 (元旦 off by law) and provisional', async () => {
      const status = await request('GET', '/api/calendar/overrides', { token: operator.token });
      expect(status.body.coveredYears, 'the package must not cover 2027 for this example').not.to.include(2027);
      const body = intakeBody({ channel: 'letter', type: 'disclosure', content: '申请公开本镇2026年道路养护经费的使用情况', address: '临沂市费县探沂镇', receivedAt: '2026-11-30T00:30:00+08:00' });
      const c = (await request('POST', '/api/cases', { token: operator.token, body })).body;
      expect(c.deadlines).to.include({ replyBy: '2026-12-28T16:00:00.000Z', replyProvisional: false, provisional: false });
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      await act(office, c.id, { action: 'request_extension', days: 20, reason: '需征求第三方意见' });
      const approved = await act(await createDisclosureHead(c.assignedUnit.code), c.id, { action: 'approve_extension' });
      expect(approved.status, approved.text).to.equal(200);
      expect(approved.body.deadlines).to.include({ replyBy: '2027-01-26T16:00:00.000Z', replyProvisional: true, provisional: true });
      const staffView = await request('GET', `/api/cases/${c.id}`, { token: operator.token });
      expect(staffView.body.deadlines).to.include({ replyBy: '2027-01-26T16:00:00.000Z', provisional: true });
      const publicView = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: '198.51.100.8' });
      expect(publicView.body.deadlines).to.include({ replyBy: '2027-01-26T16:00:00.000Z', provisional: true });
    });

    it('when a deadline is counted in natural days into 2027, then it is not provisional: no holiday moves it', async () => {
      const body = intakeBody({ channel: 'letter', type: 'petition', content: '反映村道年久失修问题', address: '临沂市费县探沂镇', receivedAt: '2026-11-30T00:30:00+08:00' });
      const res = await request('POST', '/api/cases', { token: operator.token, body });
      expect(res.status, res.text).to.equal(201);
      // 60 natural days from 2026-11-30 reach 2027-01-29 24:00.
      expect(res.body.deadlines).to.include({ replyBy: '2027-01-29T16:00:00.000Z', replyProvisional: false });
    });
    it('when a schedule was stored but the process died before its recount, then the stale provisional deadlines are counted at the next start, once', async () => {
      const { c } = await provisionalDisclosure('申请公开本镇2026年路灯维护经费的使用情况');
      // The calendar the worker reads at its next start, 2027 loaded (statutory days only); the
      // database's own calendar is left as it is, for the test below that loads 2027 for real.
      const holidays = [...new Set(statutoryHolidays(2027).map((h) => h.date))].map((date) => ({ date, kind: 'holiday' as const, note: '法定节假日' }));
      const loaded = createWorkingCalendar(holidays, { loadedYears: [2027] });

      const recounted = await recomputeStaleProvisionalDeadlines(harness().pool, loaded, () => new Date(), [2027]);
      const again = await recomputeStaleProvisionalDeadlines(harness().pool, loaded, () => new Date(), [2027]);

      expect(recounted).to.be.at.least(1);
      const moved = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body;
      expect(moved.deadlines).to.include({ replyBy: '2027-01-26T16:00:00.000Z', replyProvisional: false });
      expect(moved.events.filter((e: { action: string }) => e.action === 'recompute_deadlines').map((e: { note: string }) => e.note)).to.deep.equal(['2027年放假安排已公布：答复期限2027-01-26已按正式放假安排确认']);
      expect(again, 'a second start finds nothing stale').to.equal(0);
    });

    it('when a dispute is raised, then its 5 working days run from that moment, provisional only if they reach a year without a schedule', async () => {
      const c = await buildCase({}, operator);
      const disputed = await act(await createStaff('handler', c.assignedUnit.code), c.id, { action: 'dispute_dispatch', reason: '不属于本镇职责' });
      expect(disputed.status, disputed.text).to.equal(200);
      const start = new Date(disputed.body.procedures.dispute.disputedAt);
      const due = computeDeadline(SYSTEM_CALENDAR, start, { unit: 'working_days', amount: 5 });
      const provisional = SYSTEM_CALENDAR.dependsOnUncoveredYear(start, due);
      expect(disputed.body.deadlines).to.include({ arbitrateBy: due.toISOString(), arbitrateProvisional: provisional });
    });

    it('when the third party and the arbitration have 30 working days reaching into 2027, then both are provisional (元旦 off by law), and the schedule counts them again (Saturday 2027-01-09 worked)', async () => {
      const current = await request('GET', '/api/time-limit-policies', { token: operator.token });
      const policies = current.body.policies.map(({ version: _v, ...p }: Record<string, unknown>) => p);
      const limits = (amount: number, arbitration: number) => ({ thirdPartyAnswer: { unit: 'working_days', amount }, arbitration: { unit: 'working_days', amount: arbitration } });
      const longer = await request('PUT', '/api/time-limit-policies', { token: admin, body: { policies, procedureLimits: limits(30, 30) } });
      expect(longer.status, longer.text).to.equal(200);
      try {
        const body = intakeBody({ channel: 'letter', type: 'disclosure', content: '申请公开本镇2026年征地补偿合同', address: '临沂市费县探沂镇', receivedAt: '2026-11-30T00:30:00+08:00' });
        const consultation = (await request('POST', '/api/cases', { token: operator.token, body })).body;
        const office = await createStaff('handler', consultation.assignedUnit.code);
        await act(office, consultation.id, { action: 'accept' });
        const asked = await act(office, consultation.id, { action: 'request_third_party_opinion', party: '某置业有限公司', reason: '合同含该公司报价' });
        expect(asked.status, asked.text).to.equal(200);
        // Counted from the request under the statutory-only 2027; on 2026-11-30 that is December's 23
        // working days, 2027-01-01 off, then 01-04 to 01-08 and 01-11, 01-12.
        const askedAt = new Date(asked.body.procedures.thirdPartyOpinion.requestedAt);
        const answerBy = computeDeadline(SYSTEM_CALENDAR, askedAt, THIRTY);
        expect(SYSTEM_CALENDAR.dependsOnUncoveredYear(askedAt, answerBy), 'this example needs a limit reaching 2027 while 2027 has no schedule').to.equal(true);
        expect(asked.body.deadlines).to.include({ thirdPartyAnswerBy: answerBy.toISOString(), thirdPartyProvisional: true, replyProvisional: false, provisional: true });
        const publicView = await request('GET', `/api/public/cases/${consultation.caseNo}?code=${consultation.queryCode}`, { ip: '198.51.100.10' });
        expect(publicView.body.deadlines).to.include({ thirdPartyAnswerBy: answerBy.toISOString(), provisional: true });

        const complaint = await buildCase({}, operator);
        const disputed = await act(await createStaff('handler', complaint.assignedUnit.code), complaint.id, { action: 'dispute_dispatch', reason: '不属于本镇职责' });
        expect(disputed.status, disputed.text).to.equal(200);
        const disputedAt = new Date(disputed.body.procedures.dispute.disputedAt);
        const arbitrateBy = computeDeadline(SYSTEM_CALENDAR, disputedAt, THIRTY);
        expect(disputed.body.deadlines).to.include({ arbitrateBy: arbitrateBy.toISOString(), arbitrateProvisional: true, provisional: true });

        // The schedule the test below loads, given to the recount directly: Saturday 2027-01-09 worked (调休).
        const holidays = [...new Set(statutoryHolidays(2027).map((h) => h.date))].map((date) => ({ date, kind: 'holiday' as const, note: '法定节假日' }));
        const loaded = createWorkingCalendar([...holidays, { date: '2027-01-09', kind: 'workday' as const, note: '调休上班' }], { loadedYears: [2027] });
        expect(await recomputeStaleProvisionalDeadlines(harness().pool, loaded, () => new Date(), [2027])).to.be.at.least(2);
        const [answerMoved, arbitrateMoved] = [computeDeadline(loaded, askedAt, THIRTY), computeDeadline(loaded, disputedAt, THIRTY)];
        const change = (label: string, before: Date, after: Date): string =>
          `2027年放假安排已公布：${label}期限${before.getTime() === after.getTime() ? `${lastDay(after)}已按正式放假安排确认` : `由${lastDay(before)}调整为${lastDay(after)}`}`;

        const consulted = (await request('GET', `/api/cases/${consultation.id}`, { token: operator.token })).body;
        expect(consulted.deadlines).to.include({ thirdPartyAnswerBy: answerMoved.toISOString(), thirdPartyProvisional: false, provisional: false });
        expect(consulted.deadlines.version).to.be.greaterThan(asked.body.deadlines.version);
        expect(consulted.procedures.thirdPartyOpinion.answerBy, 'the opinion and the column say the same').to.equal(answerMoved.toISOString());
        expect(lastChange(consulted.events)).to.deep.include({ action: 'recompute_deadlines', public: true, note: change('第三方答复', answerBy, answerMoved) });

        const arbitrated = (await request('GET', `/api/cases/${complaint.id}`, { token: operator.token })).body;
        expect(arbitrated.deadlines).to.include({ arbitrateBy: arbitrateMoved.toISOString(), arbitrateProvisional: false, provisional: false });
        expect(arbitrated.deadlines.version).to.be.greaterThan(disputed.body.deadlines.version);
        expect(lastChange(arbitrated.events)).to.deep.include({ action: 'recompute_deadlines', public: false, note: change('仲裁', arbitrateBy, arbitrateMoved) });
        const complaintView = await request('GET', `/api/public/cases/${complaint.caseNo}?code=${complaint.queryCode}`, { ip: '198.51.100.11' });
        expect(complaintView.body.events.map((e: { action: string }) => e.action), 'the dispute stays internal').not.to.include('recompute_deadlines');

        // The relay replaces the jobs: each overdue now fires at the recounted time.
        const queue = createDeadlineQueue(harness().redisUrl);
        try {
          for (const [caseId, kind, version, due] of [[consultation.id, 'third_party', consulted.deadlines.version, answerMoved], [complaint.id, 'arbitrate', arbitrated.deadlines.version, arbitrateMoved]] as const) {
            const job = await eventually(async () => (await queue.getJob(deadlineJobId({ caseId, kind, effect: 'overdue', version }))) ?? undefined, 10_000, `the ${kind} job of the recounted deadline`);
            expect(Math.abs(job.timestamp + (job.opts.delay ?? 0) - due.getTime())).to.be.below(5_000);
          }
        } finally {
          await queue.close();
        }
      } finally {
        await request('PUT', '/api/time-limit-policies', { token: admin, body: { policies, procedureLimits: limits(15, 5) } });
      }
    });

    it('when the official 2027 schedule is loaded, then a provisional 2027 deadline is counted again, the timeline says so, and its jobs move to the new time', async () => {
      const { c, approved } = await provisionalDisclosure('申请公开本镇2026年河道治理经费的使用情况');
      const queue = createDeadlineQueue(harness().redisUrl);
      try {
        const oldJob = deadlineJobId({ caseId: c.id, kind: 'reply', effect: 'overdue', version: approved.deadlines.version });
        await eventually(async () => ((await queue.getJob(oldJob)) ? true : undefined), 10_000, 'the job of the provisional deadline');

        // A test schedule: the statutory days off, and Saturday 2027-01-09 worked (调休).
        const holidays = [...new Set(statutoryHolidays(2027).map((h) => h.date))].map((date) => ({ date, kind: 'holiday', note: '法定节假日' }));
        const load = await request('PUT', '/api/calendar/overrides', { token: admin, body: { year: 2027, overrides: [...holidays, { date: '2027-01-09', kind: 'workday', note: '调休上班' }] } });
        expect(load.status, load.text).to.equal(200);
        expect(load.body.recomputed).to.be.at.least(1);

        const moved = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body;
        expect(moved.deadlines).to.include({ replyBy: '2027-01-25T16:00:00.000Z', replyProvisional: false, provisional: false });
        expect(moved.deadlines.version).to.be.greaterThan(approved.deadlines.version);
        expect(moved.version, 'the handler did not change the case').to.equal(approved.version);
        const event = lastChange(moved.events);
        expect(event).to.deep.include({ action: 'recompute_deadlines', public: true, data: { years: [2027], acceptBy: null, previousAcceptBy: null, replyBy: '2027-01-25T16:00:00.000Z', previousReplyBy: '2027-01-26T16:00:00.000Z', thirdPartyAnswerBy: null, previousThirdPartyAnswerBy: null, arbitrateBy: null, previousArbitrateBy: null } });
        expect(event.actor).to.include({ role: 'system' });
        expect(event.note).to.equal('2027年放假安排已公布：答复期限由2027-01-26调整为2027-01-25');
        const publicView = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: '198.51.100.9' });
        expect(lastChange(publicView.body.events)).to.include({ label: '期限按正式放假安排重新计算' });

        const newJob = deadlineJobId({ caseId: c.id, kind: 'reply', effect: 'overdue', version: moved.deadlines.version });
        const job = await eventually(async () => (await queue.getJob(newJob)) ?? undefined, 10_000, 'the job of the recounted deadline');
        expect(await job.getState()).to.equal('delayed');
        expect(Math.abs(job.timestamp + (job.opts.delay ?? 0) - Date.parse('2027-01-25T16:00:00.000Z'))).to.be.below(5_000);
        await eventually(async () => ((await queue.getJob(oldJob)) ? undefined : true), 10_000, 'the old job to be removed');

        const again = await request('PUT', '/api/calendar/overrides', { token: admin, body: { year: 2027, overrides: [...holidays, { date: '2027-01-09', kind: 'workday', note: '调休上班' }] } });
        const events = (await request('GET', `/api/cases/${c.id}`, { token: operator.token })).body.events;
        expect(again.status).to.equal(200);
        expect(events.filter((e: any) => e.action === 'recompute_deadlines'), 'a second load changes nothing').to.have.length(1);
      } finally {
        await queue.close();
      }
    });
  });

  describe('calendar', () => {
    it('when an admin makes a working day a holiday, then a case received the day before is due one working day later', async () => {
      const at = '2030-03-04T10:00:00+08:00'; // Monday; 1 working day for a consultation -> Tuesday 24:00
      const first = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ type: 'consultation', receivedAt: at }) });
      expect(first.status, first.text).to.equal(400); // receivedAt in the future is refused: use the calendar module's answer instead
      const put = await request('PUT', '/api/calendar/overrides', { token: admin, body: { overrides: [{ date: '2030-03-05', kind: 'holiday', note: '测试' }] } });
      try {
        expect(put.status).to.equal(200);
        expect(put.body.overrides).to.deep.include({ date: '2030-03-05', kind: 'holiday', note: '测试' });
        const simulated = await request('GET', '/api/calendar/overrides?year=2030', { token: operator.token });
        expect(simulated.body.overrides).to.have.length(1);
      } finally {
        expect((await request('DELETE', '/api/calendar/overrides/2030-03-05', { token: admin })).status).to.equal(204);
      }
    });

    it('when a day in the past is made a holiday, then a letter received the day before is due a working day later', async () => {
      const body = intakeBody({ type: 'consultation', channel: 'letter', receivedAt: '2025-06-09T09:00:00+08:00', receivedAtReason: '补录历史来信' }); // Monday
      const before = await request('POST', '/api/cases', { token: operator.token, body });
      expect(before.body.deadlines.replyBy).to.equal('2025-06-10T16:00:00.000Z');
      await request('PUT', '/api/calendar/overrides', { token: admin, body: { overrides: [{ date: '2025-06-10', kind: 'holiday' }] } });
      try {
        const after = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ type: 'consultation', channel: 'letter', receivedAt: '2025-06-09T09:00:00+08:00', receivedAtReason: '补录历史来信' }) });
        expect(after.body.deadlines.replyBy).to.equal('2025-06-11T16:00:00.000Z');
      } finally {
        await request('DELETE', '/api/calendar/overrides/2025-06-10', { token: admin });
      }
    });

    it('when the years in reach lack an official schedule, then /readyz warns until an admin loads them', async () => {
      const status = await request('GET', '/api/calendar/overrides', { token: operator.token });
      const uncovered: number[] = status.body.uncoveredYears;
      const ready = await request('GET', '/readyz', { token: harness().metricsToken });
      expect(ready.body.warnings).to.have.length(uncovered.length);
      for (const year of uncovered) expect(ready.body.warnings.join(' ')).to.include(String(year));
      for (const warning of ready.body.warnings) expect(warning).to.include('statutory holidays are applied');
      for (const year of uncovered) {
        const load = await request('PUT', '/api/calendar/overrides', { token: admin, body: { year, overrides: [{ date: `${year}-01-01`, kind: 'holiday', note: '元旦' }] } });
        expect(load.status).to.equal(200);
        expect(load.body.uncoveredYears).not.to.include(year);
      }
      expect((await request('GET', '/readyz', { token: harness().metricsToken })).body.warnings).to.deep.equal([]);
    });

    it('when a year load carries a date of another year, then 400', async () => {
      const res = await request('PUT', '/api/calendar/overrides', { token: admin, body: { year: 2031, overrides: [{ date: '2032-01-01', kind: 'holiday' }] } });
      expect(res.status).to.equal(400);
    });
  });

  describe('extensions and replies', () => {
    it('when the unit asks for 3 more working days and the centre approves, then replyBy moves and the timeline says so', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      const asked = await act(handler, c.id, { action: 'request_extension', days: 3, reason: '需要现场勘查' });
      expect(asked.status).to.equal(200);
      expect(asked.body.deadlines.pendingExtension).to.include({ days: 3, reason: '需要现场勘查' });
      expect((await act(handler, c.id, { action: 'approve_extension' })).status).to.equal(403);
      const approved = await act(supervisor, c.id, { action: 'approve_extension' });
      expect(approved.status).to.equal(200);
      expect(new Date(approved.body.deadlines.replyBy).getTime()).to.be.greaterThan(new Date(c.deadlines.replyBy).getTime() + 3 * 86_400_000 - 1);
      expect(approved.body.deadlines.extensions).to.have.length(1);
      expect(approved.body.deadlines.version).to.be.greaterThan(c.deadlines.version);
      expect(lastChange(approved.body.events)).to.include({ action: 'approve_extension', public: true });
    });

    it('when the centre rejects an extension, then replyBy stays and a second decision is refused', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      await act(handler, c.id, { action: 'request_extension', days: 2, reason: '材料未齐' });
      const rejected = await act(supervisor, c.id, { action: 'reject_extension', reason: '请按期办理' });
      expect(rejected.body.deadlines).to.include({ replyBy: c.deadlines.replyBy, pendingExtension: null });
      expect((await act(supervisor, c.id, { action: 'approve_extension' })).status).to.equal(409);
    });

    it('when a disclosure request is extended once by 20 working days, then a second extension is refused; 21 days is refused outright', async () => {
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'online', type: 'disclosure', content: '申请公开本镇2025年道路建设项目的招标文件', address: '临沂市费县探沂镇' }) });
      const c = res.body;
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      expect((await act(office, c.id, { action: 'request_extension', days: 21, reason: '需征求第三方意见' })).status).to.equal(400);
      await act(office, c.id, { action: 'request_extension', days: 20, reason: '需征求第三方意见' });
      expect((await act(await createDisclosureHead(c.assignedUnit.code), c.id, { action: 'approve_extension' })).status).to.equal(200);
      const second = await act(office, c.id, { action: 'request_extension', days: 1, reason: '再次延期' });
      expect(second.status).to.equal(409);
    });

    it('when a disclosure request is sent back for amendment (补正), then its clock stops and resumes with the days left', async () => {
      const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'in_person', type: 'disclosure', content: '申请公开某项目环评报告', address: '临沂市费县探沂镇' }) });
      const c = res.body;
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      const paused = await act(office, c.id, { action: 'request_amendment', note: '请补充所需信息的名称和文号' });
      expect(paused.body.deadlines).to.include({ paused: true, replyOverdue: false });
      const resumed = await act(office, c.id, { action: 'amendment_received' });
      expect(resumed.body.deadlines.paused).to.equal(false);
      expect(new Date(resumed.body.deadlines.replyBy).getTime()).to.be.at.least(new Date(c.deadlines.replyBy).getTime());
      expect((await act(office, c.id, { action: 'amendment_received' })).status).to.equal(409);
    });

    it('when a complaint is sent back for amendment, then it is refused: only disclosure requests stop the clock', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      expect((await act(handler, c.id, { action: 'request_amendment', note: '补正' })).status).to.equal(409);
    });

    it('when the unit replies, then the case is replied with the answer on the public view and the deadlines stop', async () => {
      const c = await buildCase();
      await act(handler, c.id, { action: 'accept' });
      const replied = await act(handler, c.id, { action: 'reply', reply: '已安排维修，路灯已恢复照明。' });
      expect(replied.body).to.include({ status: 'replied', reply: '已安排维修，路灯已恢复照明。' });
      expect(replied.body.deadlines.overdue).to.equal(false);
      const view = await request('GET', `/api/public/cases/${c.caseNo}?code=${c.queryCode}`, { ip: '198.51.100.8' });
      expect(view.body).to.include({ status: 'replied', reply: '已安排维修，路灯已恢复照明。' });
    });
  });
});
