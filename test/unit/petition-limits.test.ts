import { expect } from 'chai';
import fc from 'fast-check';
import { composeNotice, smsText } from '../../jobs/outbound-message.js';
import { reviewDeadline } from '../../models/cases/citizen-actions.js';
import { recountDeadline } from '../../models/time-limits/recompute-deadlines.js';
import { statutoryHolidays } from '../../models/time-limits/statutory-holidays.js';
import { computeDeadline } from '../../models/time-limits/time-limit-policy.js';
import { createWorkingCalendar } from '../../models/time-limits/working-calendar.js';

const at = (isoWithOffset: string): Date => new Date(isoWithOffset);
const days = (amount: number) => ({ unit: 'days', amount }) as const;
const workingDays = (amount: number) => ({ unit: 'working_days', amount }) as const;
const provisional2027 = createWorkingCalendar([]);
const loaded2027 = createWorkingCalendar(
  [...new Set(statutoryHolidays(2027).map((h) => h.date))].map((date) => ({ date, kind: 'holiday' as const })),
  { loadedYears: [2027] },
);

describe('petition limits (《信访工作条例》 2022): natural days, 日', () => {
  it('when a petition is received 2026-12-20 10:00 Beijing, then the decision to accept is due 2027-01-04 24:00: 15 days straight through 元旦', () => {
    expect(computeDeadline(provisional2027, at('2026-12-20T10:00:00+08:00'), days(15)).toISOString()).to.equal('2027-01-04T16:00:00.000Z');
  });

  it('when a petition arrives just after midnight Beijing on 国庆, then its Beijing date counts, not the UTC one', () => {
    expect(computeDeadline(provisional2027, at('2026-09-30T23:30:00+08:00'), days(15)).toISOString()).to.equal('2026-10-15T16:00:00.000Z');
    expect(computeDeadline(provisional2027, at('2026-10-01T00:10:00+08:00'), days(15)).toISOString()).to.equal('2026-10-16T16:00:00.000Z');
  });

  it('when a review (复查 or 复核) is asked 2027-01-28 09:00 Beijing, then it is answered by 2027-02-27 24:00, 春节 included, warned at 80% of the time (02-21 21:00), never provisional', () => {
    const due = reviewDeadline(at('2027-01-28T09:00:00+08:00'));
    expect(due.due.toISOString()).to.equal('2027-02-27T16:00:00.000Z');
    expect(due.warnAt.toISOString()).to.equal('2027-02-21T13:00:00.000Z');
    expect(due).to.deep.include({ provisional: false, basis: { policyId: 'petition-review', setVersion: 0, limit: days(30), warnAt: 0.8 } });
  });

  it('when any calendar is loaded, then a natural-day limit does not move: it ends at 24:00 Beijing n days after receipt', () => {
    fc.assert(
      fc.property(fc.date({ min: at('2025-01-01T00:00:00+08:00'), max: at('2027-12-31T00:00:00+08:00'), noInvalidDate: true }), fc.integer({ min: 1, max: 90 }), (start, n) => {
        const due = computeDeadline(provisional2027, start, days(n));
        expect(computeDeadline(loaded2027, start, days(n)).getTime()).to.equal(due.getTime());
        expect(recountDeadline(loaded2027, start, { limit: days(n), warnAt: 0.8 })).to.deep.include({ due, provisional: false });
        const hours = (due.getTime() - start.getTime()) / 3_600_000;
        expect(hours).to.be.above(n * 24).and.at.most((n + 1) * 24);
      }),
    );
  });
});

describe('recounting provisional deadlines when a schedule is loaded', () => {
  it('when the loaded 2027 schedule holds exactly the statutory days off, then no working-day deadline moves and every flag clears', () => {
    fc.assert(
      fc.property(
        fc.date({ min: at('2026-10-01T00:00:00+08:00'), max: at('2027-10-01T00:00:00+08:00'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 20 }),
        (start, n, extension) => {
          const steps = extension > 0 ? [{ kind: 'extension' as const, limit: workingDays(extension) }] : [];
          const before = recountDeadline(provisional2027, start, { limit: workingDays(n), warnAt: 0.8 }, steps);
          const after = recountDeadline(loaded2027, start, { limit: workingDays(n), warnAt: 0.8 }, steps);
          expect(after.due.getTime()).to.equal(before.due.getTime());
          expect(after.warnAt.getTime()).to.equal(before.warnAt.getTime());
          expect(after.provisional).to.equal(false);
        },
      ),
    );
  });

  it('when the schedule works a Saturday before the due (调休), then the 2027-01-26 due of a 20-day extension from 2026-12-28 comes a day earlier', () => {
    const start = at('2026-11-30T00:30:00+08:00');
    const steps = [{ kind: 'extension' as const, limit: workingDays(20) }];
    const basis = { limit: workingDays(20), warnAt: 0.8 };
    expect(recountDeadline(provisional2027, start, basis, steps)).to.deep.include({ due: at('2027-01-27T00:00:00+08:00'), provisional: true });
    const worked = createWorkingCalendar([{ date: '2027-01-01', kind: 'holiday' }, { date: '2027-01-09', kind: 'workday' }], { loadedYears: [2027] });
    expect(recountDeadline(worked, start, basis, steps)).to.deep.include({ due: at('2027-01-26T00:00:00+08:00'), provisional: false });
  });
});

describe('the written notice of a petition decision', () => {
  it('when a petition is not accepted, then the SMS says 不予受理 and names the statutory channel from the notice', () => {
    const notice = composeNotice({
      eventId: 7,
      caseId: 'c',
      action: 'reject_petition',
      note: '费县信访局决定对您的信访事项不予受理。理由：属于劳动争议。请依照有关法律、行政法规规定的程序通过仲裁途径解决。',
      status: 'closed',
      unitName: '费县信访局',
      caseNo: '202611300000001',
      queryCode: '123456',
      channel: 'letter',
      externalId: null,
      citizen: { name: '王五', phone: '13900001111' },
      outcome: null,
    });
    expect(notice).to.include({ kind: 'reject_petition', headline: '不予受理' });
    expect(smsText(notice)).to.include('您的诉求202611300000001不予受理').and.include('通过仲裁途径解决').and.include('查询码123456');
  });
});
