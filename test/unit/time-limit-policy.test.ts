import { expect } from 'chai';
import fc from 'fast-check';
import { AppError } from '../../errors.js';
import { createWorkingCalendar } from '../../models/time-limits/working-calendar.js';
import { CASE_TYPES, URGENCIES, type CaseType, type Urgency } from '../../models/cases/case.js';
import {
  DEFAULT_POLICIES,
  assertExtensionAllowed,
  choosePolicy,
  computeDeadline,
  extendDeadline,
  resumeAfterPause,
  warningTime,
  type Limit,
  type TimeLimitPolicy,
} from '../../models/time-limits/time-limit-policy.js';

const calendar = createWorkingCalendar([]);
const at = (isoWithOffset: string): Date => new Date(isoWithOffset);
const iso = (date: Date): string => date.toISOString();
const wd = (amount: number): Limit => ({ unit: 'working_days', amount });

function buildPolicy(overrides: Partial<TimeLimitPolicy>): TimeLimitPolicy {
  return { id: 'p', caseType: '*', urgency: '*', accept: wd(1), reply: wd(5), warnAt: 0.8, version: 1, ...overrides };
}

function chosen(policies: readonly TimeLimitPolicy[], type: CaseType, urgency: Urgency): TimeLimitPolicy {
  const found = choosePolicy(policies, type, urgency);
  if (found === undefined) throw new Error(`no policy for ${type}/${urgency}`);
  return found;
}

function expectAppError(fn: () => void, status: number): void {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    expect((error as AppError).status).to.equal(status);
    return;
  }
  expect.fail('expected an AppError');
}

describe('choosePolicy', () => {
  const exact = buildPolicy({ id: 'exact', caseType: 'complaint', urgency: 'urgent' });
  const byType = buildPolicy({ id: 'type', caseType: 'complaint' });
  const byUrgency = buildPolicy({ id: 'urgency', urgency: 'urgent' });
  const fallback = buildPolicy({ id: 'any' });
  const unrelated = buildPolicy({ id: 'help', caseType: 'help', urgency: 'urgent' });
  const all = [fallback, byUrgency, unrelated, byType, exact];

  it('when policies at every level match, then exact > type+* > *+urgency > *+*', () => {
    expect(chosen(all, 'complaint', 'urgent').id).to.equal('exact');
    expect(chosen(all.filter((p) => p !== exact), 'complaint', 'urgent').id).to.equal('type');
    expect(chosen([fallback, byUrgency, unrelated], 'complaint', 'urgent').id).to.equal('urgency');
    expect(chosen([fallback, unrelated], 'complaint', 'urgent').id).to.equal('any');
  });

  it('when the list is in any order, then the same policy is chosen', () => {
    fc.assert(fc.property(fc.shuffledSubarray(all, { minLength: all.length }), (shuffled) => {
      expect(chosen(shuffled, 'complaint', 'urgent').id).to.equal('exact');
    }));
  });

  it('when two equally specific policies match, then the higher version wins', () => {
    const v2 = buildPolicy({ id: 'type-v2', caseType: 'complaint', version: 2 });
    expect(chosen([v2, byType], 'complaint', 'normal').id).to.equal('type-v2');
    expect(chosen([byType, v2], 'complaint', 'normal').id).to.equal('type-v2');
  });

  it('when nothing matches, then the result is undefined', () => {
    expect(choosePolicy([unrelated], 'complaint', 'urgent')).to.equal(undefined);
  });
});

describe('DEFAULT_POLICIES', () => {
  it('when any type and urgency is asked, then a default policy exists', () => {
    for (const type of CASE_TYPES) {
      for (const urgency of URGENCIES) {
        expect(choosePolicy(DEFAULT_POLICIES, type, urgency), `${type}/${urgency}`).to.not.equal(undefined);
      }
    }
  });

  const normalCases: [CaseType, Limit, Limit][] = [
    ['consultation', wd(1), wd(1)],
    ['help', wd(1), wd(5)],
    ['complaint', wd(1), wd(5)],
    ['report', wd(1), wd(5)],
    ['suggestion', wd(1), wd(5)],
    ['praise', wd(1), wd(5)],
    ['petition', { unit: 'days', amount: 15 }, { unit: 'days', amount: 60 }],
    ['disclosure', wd(1), wd(20)],
  ];
  for (const [type, accept, reply] of normalCases) {
    const limits = `accept ${accept.amount} ${accept.unit} and reply ${reply.amount} ${reply.unit}`;
    it(`when a normal ${type} arrives, then ${limits}`, () => {
      const p = chosen(DEFAULT_POLICIES, type, 'normal');
      expect(p.accept).to.deep.equal(accept);
      expect(p.reply).to.deep.equal(reply);
      expect(p.warnAt).to.equal(0.8);
    });
  }

  it('when a hotline case is urgent or an emergency, then the hour limits apply', () => {
    expect(chosen(DEFAULT_POLICIES, 'consultation', 'urgent').reply).to.deep.equal({ unit: 'hours', amount: 24 });
    expect(chosen(DEFAULT_POLICIES, 'complaint', 'urgent').accept).to.deep.equal({ unit: 'hours', amount: 2 });
    expect(chosen(DEFAULT_POLICIES, 'help', 'emergency').reply).to.deep.equal({ unit: 'hours', amount: 2 });
    expect(chosen(DEFAULT_POLICIES, 'help', 'emergency').accept).to.deep.equal({ unit: 'hours', amount: 0.5 });
  });

  it('when a petition or disclosure is urgent, then its statutory limits still apply', () => {
    expect(chosen(DEFAULT_POLICIES, 'petition', 'emergency').reply).to.deep.equal({ unit: 'days', amount: 60 });
    expect(chosen(DEFAULT_POLICIES, 'disclosure', 'urgent').reply).to.deep.equal(wd(20));
  });
});

describe('computeDeadline and warningTime', () => {
  const received = at('2026-09-30T10:00:00+08:00');

  it('when the limit is in working days, then it is the calendar\'s working-day due', () => {
    expect(iso(computeDeadline(calendar, received, wd(5)))).to.equal('2026-10-13T16:00:00.000Z');
  });

  it('when the limit is in hours, then it is plain clock time, holidays included', () => {
    const due = computeDeadline(calendar, at('2026-09-30T22:00:00+08:00'), { unit: 'hours', amount: 24 });
    expect(iso(due)).to.equal(iso(at('2026-10-01T22:00:00+08:00')));
    const halfHour = computeDeadline(calendar, received, { unit: 'hours', amount: 0.5 });
    expect(iso(halfHour)).to.equal(iso(at('2026-09-30T10:30:00+08:00')));
  });

  it('when the limit is in natural days, then it ends at 24:00 of the n-th day after receipt', () => {
    expect(iso(computeDeadline(calendar, received, { unit: 'days', amount: 15 }))).to.equal('2026-10-15T16:00:00.000Z');
    expect(iso(computeDeadline(calendar, received, { unit: 'days', amount: 60 }))).to.equal('2026-11-29T16:00:00.000Z');
  });

  it('when a limit is negative, not finite or a fraction of a day, then it is refused', () => {
    expect(() => computeDeadline(calendar, received, wd(-1))).to.throw(RangeError);
    expect(() => computeDeadline(calendar, received, { unit: 'days', amount: 1.5 })).to.throw(RangeError);
    const forever: Limit = { unit: 'hours', amount: Number.POSITIVE_INFINITY };
    expect(() => computeDeadline(calendar, received, forever)).to.throw(RangeError);
  });

  it('when the warning point is 80%, then it fires after 80% of the time', () => {
    const start = at('2026-09-30T00:00:00Z');
    expect(iso(warningTime(start, at('2026-09-30T10:00:00Z')))).to.equal('2026-09-30T08:00:00.000Z');
    expect(iso(warningTime(start, at('2026-09-30T10:00:00Z'), 0.5))).to.equal('2026-09-30T05:00:00.000Z');
    expect(() => warningTime(start, start, 1.5)).to.throw(RangeError);
  });
});

describe('extensions', () => {
  const disclosure = chosen(DEFAULT_POLICIES, 'disclosure', 'normal');
  const petition = chosen(DEFAULT_POLICIES, 'petition', 'normal');

  it('when a working-day due is extended, then the days count after the due\'s own last day', () => {
    const due = at('2026-10-14T00:00:00+08:00');
    expect(iso(extendDeadline(calendar, due, wd(20)))).to.equal('2026-11-10T16:00:00.000Z');
    expect(iso(extendDeadline(calendar, due, wd(1)))).to.equal('2026-10-14T16:00:00.000Z');
  });

  it('when an hour-based due is extended by working days or hours, then both count from the due', () => {
    const due = at('2026-09-30T14:00:00+08:00');
    expect(iso(extendDeadline(calendar, due, wd(1)))).to.equal('2026-10-08T16:00:00.000Z');
    const byHours = extendDeadline(calendar, due, { unit: 'hours', amount: 24 });
    expect(iso(byHours)).to.equal(iso(at('2026-10-01T14:00:00+08:00')));
  });

  it('when a petition due is extended by 30 days, then it ends 30 natural days later', () => {
    expect(iso(extendDeadline(calendar, at('2026-11-30T00:00:00+08:00'), { unit: 'days', amount: 30 })))
      .to.equal('2026-12-29T16:00:00.000Z');
  });

  it('when a disclosure is extended the first time by up to 20 working days, then it is allowed', () => {
    expect(() => assertExtensionAllowed(disclosure.extension, [], wd(20))).to.not.throw();
  });

  it('when a disclosure asks for 21 working days or a second extension, then it is refused', () => {
    expectAppError(() => assertExtensionAllowed(disclosure.extension, [], wd(21)), 400);
    expectAppError(() => assertExtensionAllowed(disclosure.extension, [5], wd(5)), 409);
    expectAppError(() => assertExtensionAllowed(disclosure.extension, [], { unit: 'days', amount: 5 }), 400);
  });

  it('when petition extensions would pass 30 days in total, then the last is refused', () => {
    expect(() => assertExtensionAllowed(petition.extension, [20], { unit: 'days', amount: 10 })).to.not.throw();
    expectAppError(() => assertExtensionAllowed(petition.extension, [20], { unit: 'days', amount: 11 }), 400);
  });

  it('when a hotline policy has no statutory cap, then any extension passes this check', () => {
    expect(() => assertExtensionAllowed(chosen(DEFAULT_POLICIES, 'help', 'normal').extension, [5, 5], wd(30))).to.not.throw();
  });
});

describe('resumeAfterPause (补正)', () => {
  const received = at('2026-09-01T10:00:00+08:00');
  const due = computeDeadline(calendar, received, wd(20));

  it('when a disclosure is received 2026-09-01, then 20 working days end 09-29 (Sunday 09-20 worked, 09-25 off)', () => {
    expect(iso(due)).to.equal('2026-09-29T16:00:00.000Z');
  });

  it('when paused 09-08 and resumed 09-30, then the 15 days left count after the resume day', () => {
    const pausedAt = at('2026-09-08T15:00:00+08:00');
    expect(calendar.workingDaysBetween(pausedAt, due)).to.equal(15);
    const resumed = resumeAfterPause(calendar, due, pausedAt, at('2026-09-30T09:00:00+08:00'));
    expect(iso(resumed)).to.equal('2026-10-27T16:00:00.000Z');
  });

  it('when paused and resumed on the same day, then the due does not move', () => {
    const same = resumeAfterPause(calendar, due, at('2026-09-08T09:00:00+08:00'), at('2026-09-08T17:00:00+08:00'));
    expect(iso(same)).to.equal(iso(due));
  });

  it('when paused after the due, then the due stays as it was', () => {
    const late = resumeAfterPause(calendar, due, at('2026-10-09T09:00:00+08:00'), at('2026-10-20T09:00:00+08:00'));
    expect(iso(late)).to.equal(iso(due));
  });

  it('when resumed before it was paused, then it is refused', () => {
    const pausedAt = at('2026-09-08T09:00:00+08:00');
    expect(() => resumeAfterPause(calendar, due, pausedAt, at('2026-09-07T09:00:00+08:00'))).to.throw(RangeError);
  });

  it('when paused and resumed at any times, then the days left are kept and the due never moves earlier', () => {
    const dayMs = 86_400_000;
    const offsets = [fc.integer({ min: 0, max: 40 * dayMs }), fc.integer({ min: 0, max: 60 * dayMs })] as const;
    fc.assert(fc.property(...offsets, (pauseAfter, pausedFor) => {
      const pausedAt = new Date(received.getTime() + pauseAfter);
      const resumedAt = new Date(pausedAt.getTime() + pausedFor);
      const moved = resumeAfterPause(calendar, due, pausedAt, resumedAt);
      expect(moved.getTime()).to.be.at.least(due.getTime());
      if (pausedAt < due) {
        const left = calendar.workingDaysBetween(pausedAt, due);
        expect(calendar.workingDaysBetween(resumedAt, moved)).to.equal(left);
      }
    }));
  });
});
