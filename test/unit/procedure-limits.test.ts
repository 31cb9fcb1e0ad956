import { expect } from 'chai';
import fc from 'fast-check';
import { isClockRunning, judgeEffect } from '../../models/time-limits/deadline-rules.js';
import { procedureDeadlineFor } from '../../models/time-limits/time-limits.js';
import { computeDeadline, DEFAULT_PROCEDURE_LIMITS, resumeAfterPause } from '../../models/time-limits/time-limit-policy.js';
import { calendarDateOf, createWorkingCalendar } from '../../models/time-limits/working-calendar.js';

const calendar = createWorkingCalendar([]);
const defaults = { version: 1, procedureLimits: DEFAULT_PROCEDURE_LIMITS };
const limitOf = (which: 'thirdPartyAnswer' | 'arbitration' | 'ratingAppeal', start: Date) => procedureDeadlineFor(calendar, defaults, which, start);
const at = (isoWithOffset: string): Date => new Date(isoWithOffset);
const iso = (date: Date): string => date.toISOString();

describe('procedure limits across holidays (working days, Asia/Shanghai)', () => {
  it('when a third party is asked on Monday 2026-09-28, then its 15 working days skip National Day (10-01..07) and end at 24:00 on 10-23', () => {
    // 09-29, 09-30, 10-08, 10-09, Saturday 10-10 (调休 working day), 10-12..16, 10-19..23.
    expect(iso(limitOf('thirdPartyAnswer', at('2026-09-28T10:00:00+08:00')).due)).to.equal('2026-10-23T16:00:00.000Z');
  });

  it('when a dispatch is disputed on 2026-09-29, then the centre arbitrates by 24:00 on 10-12, its warning at 80% of the time', () => {
    // 09-30, 10-08, 10-09, Saturday 10-10, 10-12.
    const disputedAt = at('2026-09-29T15:00:00+08:00');
    const { due, warnAt } = limitOf('arbitration', disputedAt);
    expect(iso(due)).to.equal('2026-10-12T16:00:00.000Z');
    expect(warnAt.getTime() - disputedAt.getTime()).to.equal(Math.floor(0.8 * (due.getTime() - disputedAt.getTime())));
  });

  it('when a dispatch is disputed on 2026-02-12, then the Spring Festival (02-15..23) is skipped, Saturday 02-14 counts, and the arbitration is due 02-26', () => {
    expect(iso(limitOf('arbitration', at('2026-02-12T09:00:00+08:00')).due)).to.equal('2026-02-26T16:00:00.000Z');
  });

  it('when a citizen is dissatisfied on the evening of 2026-09-30, then the unit may appeal until 24:00 on 10-13', () => {
    expect(iso(limitOf('ratingAppeal', at('2026-09-30T20:00:00+08:00')).due)).to.equal('2026-10-13T16:00:00.000Z');
  });

  it('when a disclosure received 09-01 pauses for a third party on 09-08 and resumes when its view arrives on 10-23, then the 15 days left end 11-13', () => {
    const due = computeDeadline(calendar, at('2026-09-01T10:00:00+08:00'), { unit: 'working_days', amount: 20 });
    const resumed = resumeAfterPause(calendar, due, at('2026-09-08T15:00:00+08:00'), at('2026-10-23T11:00:00+08:00'));
    // 10-26..30, 11-02..06, 11-09..13: fifteen working days after the resume day.
    expect(iso(resumed)).to.equal('2026-11-13T16:00:00.000Z');
  });

  it('when a third party is asked on 2026-12-24, then its 15 working days skip 元旦 2027 (statutory only, provisional) and end 01-15; its warning is at 80%', () => {
    // 12-25, 12-28..31, 2027-01-04..08 (01-01 is 元旦), 01-11..15: 2027 has no official schedule yet.
    const asked = at('2026-12-24T16:00:00+08:00');
    const answer = limitOf('thirdPartyAnswer', asked);
    expect(iso(answer.due)).to.equal('2027-01-15T16:00:00.000Z');
    expect(answer.provisional).to.equal(true);
    expect(answer.warnAt.getTime() - asked.getTime()).to.equal(Math.floor(0.8 * (answer.due.getTime() - asked.getTime())));
    expect(answer.basis).to.deep.include({ policyId: 'procedure-thirdPartyAnswer', setVersion: 1 });
  });

  it('when a policy set gives arbitration 3 working days, then a dispute on Friday 2026-09-25 is due 09-30 and records that version', () => {
    const set = { version: 7, procedureLimits: { ...DEFAULT_PROCEDURE_LIMITS, arbitration: { unit: 'working_days' as const, amount: 3 } } };
    const d = procedureDeadlineFor(calendar, set, 'arbitration', at('2026-09-25T10:00:00+08:00'));
    // 09-28, 09-29, 09-30; the National Day holiday starts 10-01.
    expect(iso(d.due)).to.equal('2026-09-30T16:00:00.000Z');
    expect(d.basis).to.deep.equal({ policyId: 'procedure-arbitration', setVersion: 7, limit: { unit: 'working_days', amount: 3 }, warnAt: 0.8 });
  });

  it('when a third-party deadline is judged, then it runs while the office holds the request, even with the reply clock paused', () => {
    expect(isClockRunning('third_party', 'in_progress', at('2026-09-08T15:00:00+08:00'))).to.equal(true);
    expect(isClockRunning('third_party', 'replied', null)).to.equal(false);
  });

  it('when an arbitration deadline is judged, then it runs only while a unit holds the case', () => {
    expect(isClockRunning('arbitrate', 'dispatched', null)).to.equal(true);
    expect(isClockRunning('arbitrate', 'in_progress', at('2026-09-08T15:00:00+08:00'))).to.equal(true);
    expect(isClockRunning('arbitrate', 'returned', null)).to.equal(false);
    const state = { status: 'in_progress' as const, clockPausedAt: null, deadlineVersion: 3, fireAt: at('2026-10-12T16:00:00Z'), appliedAt: null };
    expect(judgeEffect(state, { caseId: 'c', kind: 'arbitrate', effect: 'warning', version: 3 }, at('2026-10-13T00:00:00Z'))).to.equal('apply');
    expect(judgeEffect({ ...state, fireAt: null }, { caseId: 'c', kind: 'arbitrate', effect: 'overdue', version: 3 }, at('2026-10-13T00:00:00Z'))).to.equal('not_applicable');
  });
});

describe('pauses of the reply clock (补正, third-party consultation): properties', () => {
  const received = at('2026-09-01T10:00:00+08:00');
  const limit = 20;
  const due = computeDeadline(calendar, received, { unit: 'working_days', amount: limit });
  const dayMs = 86_400_000;
  const span = (max: number) => fc.integer({ min: 0, max: max * dayMs });
  const working = (d: Date): number => (calendar.isWorkingDay(d) ? 1 : 0);

  it('when the clock pauses twice, then the limit is never shortened by either pause', () => {
    fc.assert(fc.property(span(30), span(40), span(20), span(40), (a, b, c, d) => {
      const p1 = new Date(received.getTime() + a);
      const r1 = new Date(p1.getTime() + b);
      const p2 = new Date(r1.getTime() + c);
      const r2 = new Date(p2.getTime() + d);
      const once = resumeAfterPause(calendar, due, p1, r1);
      const twice = resumeAfterPause(calendar, once, p2, r2);
      expect(once.getTime()).to.be.at.least(due.getTime());
      expect(twice.getTime()).to.be.at.least(once.getTime());
    }));
  });

  it('when the clock pauses twice, then the days it ran add up to the limit, less each pause day that was a working day', () => {
    fc.assert(fc.property(span(25), span(40), span(15), span(40), (a, b, c, d) => {
      const p1 = new Date(received.getTime() + a);
      const r1 = new Date(p1.getTime() + b);
      const once = resumeAfterPause(calendar, due, p1, r1);
      const p2 = new Date(r1.getTime() + c);
      const r2 = new Date(p2.getTime() + d);
      fc.pre(p1 < due && p2 < once);
      const twice = resumeAfterPause(calendar, once, p2, r2);
      const ran = calendar.workingDaysBetween(received, p1) + calendar.workingDaysBetween(r1, p2) + calendar.workingDaysBetween(r2, twice);
      // The day of a pause counts as used (resumeAfterPause), unless the clock started that same day:
      // the day of receipt and the day of a resume are not counted in the first place.
      const pauseDay = (pausedAt: Date, startedAt: Date): number => (calendarDateOf(pausedAt) === calendarDateOf(startedAt) ? 0 : working(pausedAt));
      expect(ran).to.equal(limit - pauseDay(p1, received) - pauseDay(p2, r1));
    }));
  });

  it('when the clock resumes and pauses again the same moment, then the two pauses are one from the first stop to the last resume', () => {
    fc.assert(fc.property(span(25), span(40), span(40), (a, b, d) => {
      const p1 = new Date(received.getTime() + a);
      const r1 = new Date(p1.getTime() + b);
      const r2 = new Date(r1.getTime() + d);
      const twice = resumeAfterPause(calendar, resumeAfterPause(calendar, due, p1, r1), r1, r2);
      expect(iso(twice)).to.equal(iso(resumeAfterPause(calendar, due, p1, r2)));
    }));
  });
});
