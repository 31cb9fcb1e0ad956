import { expect } from 'chai';
import fc from 'fast-check';
import { statutoryHolidays } from '../../models/time-limits/statutory-holidays.js';
import { isProvisional } from '../../models/time-limits/time-limit-policy.js';
import {
  addNaturalDays,
  calendarDateOf,
  createWorkingCalendar,
  noticeDate,
  type CalendarOverride,
  type WorkingCalendar,
} from '../../models/time-limits/working-calendar.js';

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const at = (isoWithOffset: string): Date => new Date(isoWithOffset);
const iso = (date: Date): string => date.toISOString();

const national = createWorkingCalendar([]);

// Instants from the package's last known years into 2027, which it does not cover.
const instantArb = fc.date({
  min: at('2025-01-01T00:00:00+08:00'),
  max: at('2027-06-30T23:59:59.999+08:00'),
  noInvalidDate: true,
});
const countArb = fc.integer({ min: 0, max: 60 });

// Any calendar the admins could make: the package plus up to 40 random overrides in the range above.
const calendarArb: fc.Arbitrary<WorkingCalendar> = fc
  .uniqueArray(
    fc.record({ offset: fc.integer({ min: 0, max: 910 }), kind: fc.constantFrom('workday' as const, 'holiday' as const) }),
    { selector: (o) => o.offset, maxLength: 40 },
  )
  .map((list) =>
    createWorkingCalendar(
      list.map((o): CalendarOverride => ({
        date: calendarDateOf(new Date(at('2025-01-01T12:00:00+08:00').getTime() + o.offset * DAY_MS)),
        kind: o.kind,
      })),
    ),
  );

const isEndOfShanghaiDay = (instant: Date): boolean => (instant.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS === 0;

describe('working calendar: properties', () => {
  it('when n grows, then the due never moves earlier (and strictly later for a larger n)', () => {
    fc.assert(fc.property(calendarArb, instantArb, countArb, countArb, (cal, from, n1, n2) => {
      const [lo, hi] = n1 <= n2 ? [n1, n2] : [n2, n1];
      const a = cal.addWorkingDays(from, lo).getTime();
      const b = cal.addWorkingDays(from, hi).getTime();
      expect(lo < hi ? a < b : a === b).to.equal(true);
    }));
  });

  it('when the receipt is later, then the due is never earlier', () => {
    fc.assert(fc.property(calendarArb, instantArb, instantArb, countArb, (cal, x, y, n) => {
      const [early, late] = x <= y ? [x, y] : [y, x];
      expect(cal.addWorkingDays(early, n).getTime()).to.be.at.most(cal.addWorkingDays(late, n).getTime());
    }));
  });

  it('when n >= 1, then the due is 24:00 of a working day after the day of receipt', () => {
    fc.assert(fc.property(calendarArb, instantArb, fc.integer({ min: 1, max: 60 }), (cal, from, n) => {
      const due = cal.addWorkingDays(from, n);
      const lastDay = new Date(due.getTime() - 1);
      expect(isEndOfShanghaiDay(due)).to.equal(true);
      expect(cal.isWorkingDay(lastDay)).to.equal(true);
      expect(calendarDateOf(lastDay) > calendarDateOf(from)).to.equal(true);
    }));
  });

  it('when N are added and then M from any time on the N-th day, then the due equals adding N + M', () => {
    fc.assert(fc.property(calendarArb, instantArb, countArb, countArb, fc.integer({ min: 1, max: DAY_MS }),
      (cal, from, n, m, back) => {
        const dueN = cal.addWorkingDays(from, n);
        // Any instant of the N-th day: from 00:00 (DAY_MS back from 24:00) to 23:59:59.999 (1 ms back).
        const onDayN = new Date(dueN.getTime() - back);
        expect(iso(cal.addWorkingDays(onDayN, m))).to.equal(iso(cal.addWorkingDays(from, n + m)));
      }));
  });

  it('when counting the working days from receipt to the due, then there are exactly n', () => {
    fc.assert(fc.property(calendarArb, instantArb, countArb, (cal, from, n) => {
      expect(cal.workingDaysBetween(from, cal.addWorkingDays(from, n))).to.equal(n);
    }));
  });

  it('when two receipts fall on the same Shanghai day, then their dues are equal', () => {
    fc.assert(fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: DAY_MS - 1 }), countArb,
      (cal, from, msOfDay, n) => {
        const dayStart = addNaturalDays(from, 0).getTime() - DAY_MS;
        const sameDay = new Date(dayStart + msOfDay);
        expect(iso(cal.addWorkingDays(sameDay, n))).to.equal(iso(cal.addWorkingDays(from, n)));
      }));
  });

  it('when adding 0, then the due is 24:00 of the day of receipt, working or not', () => {
    fc.assert(fc.property(calendarArb, instantArb, (cal, from) => {
      const due = cal.addWorkingDays(from, 0);
      expect(calendarDateOf(new Date(due.getTime() - 1))).to.equal(calendarDateOf(from));
      expect(isEndOfShanghaiDay(due)).to.equal(true);
    }));
  });

  it('when asking for the next working day, then it is the day one working day ends on', () => {
    fc.assert(fc.property(calendarArb, instantArb, (cal, from) => {
      const oneDay = cal.addWorkingDays(from, 1);
      expect(cal.nextWorkingDay(from)).to.equal(calendarDateOf(new Date(oneDay.getTime() - 1)));
    }));
  });
});

describe('working calendar: the national schedule', () => {
  it('when received 2026-09-30 10:00 with 5 working days, then due 10-13 24:00 (Saturday 10-10 worked)', () => {
    const due = national.addWorkingDays(at('2026-09-30T10:00:00+08:00'), 5);
    expect(iso(due)).to.equal('2026-10-13T16:00:00.000Z');
  });

  it('when looking at Spring Festival 2026, then Saturdays 02-14 and 02-28 work and 02-15..02-23 are off', () => {
    expect(national.isWorkingDay('2026-02-14')).to.equal(true);
    expect(national.isWorkingDay('2026-02-28')).to.equal(true);
    for (let d = 15; d <= 23; d += 1) expect(national.isWorkingDay(`2026-02-${d}`), `02-${d}`).to.equal(false);
    expect(national.isWorkingDay('2026-02-24')).to.equal(true);
  });

  it('when received Friday 2026-02-13 with 1 working day, then due Saturday 02-14 24:00', () => {
    expect(iso(national.addWorkingDays(at('2026-02-13T09:00:00+08:00'), 1))).to.equal('2026-02-14T16:00:00.000Z');
  });

  it('when received Saturday 2026-02-14 with 1 working day, then due 02-24 24:00 after the holiday', () => {
    expect(iso(national.addWorkingDays(at('2026-02-14T09:00:00+08:00'), 1))).to.equal('2026-02-24T16:00:00.000Z');
    expect(national.nextWorkingDay('2026-02-14')).to.equal('2026-02-24');
  });

  it('when received at 23:59 or at 00:01 on the same day, then the due is the same', () => {
    const late = national.addWorkingDays(at('2026-09-30T23:59:00+08:00'), 5);
    const early = national.addWorkingDays(at('2026-09-30T00:01:00+08:00'), 5);
    expect(iso(late)).to.equal(iso(early));
    // 23:59 in Shanghai is still 09-30 although it is 15:59 UTC; 00:01 is 09-29 16:01 UTC.
    expect(iso(late)).to.equal('2026-10-13T16:00:00.000Z');
  });

  it('when received on a holiday, then counting starts the day after it', () => {
    expect(iso(national.addWorkingDays(at('2026-10-03T11:00:00+08:00'), 1))).to.equal('2026-10-08T16:00:00.000Z');
  });

  it('when counting working days between two instants, then only days that ended are counted', () => {
    const from = at('2026-09-30T10:00:00+08:00');
    expect(national.workingDaysBetween(from, at('2026-10-13T23:59:59+08:00'))).to.equal(4);
    expect(national.workingDaysBetween(from, at('2026-10-14T00:00:00+08:00'))).to.equal(5);
    expect(national.workingDaysBetween(from, at('2026-09-01T00:00:00+08:00'))).to.equal(0);
  });

  it('when the process runs in a time zone west of UTC, then the answers do not change', () => {
    // chinese-days' own isWorkday() answers for the wrong day there; this module must not.
    const saved = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(national.isWorkingDay('2026-02-14')).to.equal(true);
      expect(national.isWorkingDay(at('2026-03-07T12:00:00+08:00'))).to.equal(false);
      expect(iso(national.addWorkingDays(at('2026-09-30T10:00:00+08:00'), 5))).to.equal('2026-10-13T16:00:00.000Z');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('working calendar: overrides and coverage', () => {
  const from = at('2026-09-30T10:00:00+08:00');

  it('when a working day is made a holiday, then the due moves one working day later', () => {
    const cal = createWorkingCalendar([{ date: '2026-10-12', kind: 'holiday', note: 'flood closure' }]);
    expect(cal.isWorkingDay('2026-10-12')).to.equal(false);
    expect(iso(cal.addWorkingDays(from, 5))).to.equal('2026-10-14T16:00:00.000Z');
  });

  it('when the package\'s adjusted workday is made a holiday, then the override wins', () => {
    const cal = createWorkingCalendar([{ date: '2026-10-10', kind: 'holiday' }]);
    expect(iso(cal.addWorkingDays(from, 5))).to.equal('2026-10-14T16:00:00.000Z');
  });

  it('when a Sunday is made a working day, then the due moves earlier', () => {
    const cal = createWorkingCalendar([{ date: '2026-10-11', kind: 'workday' }]);
    expect(iso(cal.addWorkingDays(from, 5))).to.equal('2026-10-12T16:00:00.000Z');
  });

  it('when a package holiday is made a working day, then it counts', () => {
    const cal = createWorkingCalendar([{ date: '2026-10-02', kind: 'workday' }]);
    expect(iso(cal.addWorkingDays(from, 1))).to.equal('2026-10-02T16:00:00.000Z');
  });

  it('when asked about 2027, then it is not covered and its statutory holidays and weekends are off', () => {
    expect(national.isYearCovered(2026)).to.equal(true);
    expect(national.isYearCovered(2027)).to.equal(false);
    expect(national.coveredYears().at(-1)).to.equal(2026);
    // 元旦 2027 is a Friday: off by law although no notice has set 2027's schedule yet.
    expect(national.isWorkingDay('2027-01-01')).to.equal(false);
    expect(iso(national.addWorkingDays(at('2026-12-31T10:00:00+08:00'), 1))).to.equal('2027-01-04T16:00:00.000Z');
    expect(iso(national.addWorkingDays(at('2027-01-08T10:00:00+08:00'), 1))).to.equal('2027-01-11T16:00:00.000Z');
  });

  it('when counting 20 working days from 2026-12-28 24:00 (an extension), then they end 2027-01-26, not 01-25', () => {
    // The example: a disclosure request received 2026-11-30 is due 12-28; extended by 20.
    const due = national.addWorkingDays(at('2026-11-30T09:00:00+08:00'), 20);
    expect(iso(due)).to.equal('2026-12-28T16:00:00.000Z');
    expect(iso(national.addWorkingDays(new Date(due.getTime() - 1), 20))).to.equal('2027-01-26T16:00:00.000Z');
  });

  it('when a case is received before 春节 2027, then 除夕 02-05 to 初三 02-08 are not counted', () => {
    for (const date of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']) expect(national.isWorkingDay(date), date).to.equal(false);
    expect(national.isWorkingDay('2027-02-04')).to.equal(true);
    expect(national.isWorkingDay('2027-02-09')).to.equal(true);
    // Wednesday 02-03 + 5: 02-04, then 02-09 to 02-12 (Friday).
    expect(iso(national.addWorkingDays(at('2027-02-03T10:00:00+08:00'), 5))).to.equal('2027-02-12T16:00:00.000Z');
    expect(national.workingDaysBetween(at('2027-02-04T10:00:00+08:00'), at('2027-02-10T00:00:00+08:00'))).to.equal(1);
  });

  it('when a day of 2027 is not a statutory holiday, then it works exactly when it is a weekday: no 调休 or 补休 is guessed', () => {
    const holidays = new Set(statutoryHolidays(2027).map((h) => h.date));
    for (let day = Date.UTC(2027, 0, 1); day < Date.UTC(2028, 0, 1); day += DAY_MS) {
      const date = new Date(day).toISOString().slice(0, 10);
      const weekday = ![0, 6].includes(new Date(day).getUTCDay());
      expect(national.isWorkingDay(date), date).to.equal(weekday && !holidays.has(date));
    }
  });

  it('when a deadline\'s days reach into 2027, then it depends on an uncovered year; within 2026, or once 2027 is loaded, it does not', () => {
    const from = at('2026-12-20T10:00:00+08:00');
    expect(national.dependsOnUncoveredYear(from, national.addWorkingDays(from, 10))).to.equal(true);
    expect(national.dependsOnUncoveredYear(from, at('2027-01-01T00:00:00+08:00'))).to.equal(false);
    expect(national.dependsOnUncoveredYear(from, at('2027-01-02T00:00:00+08:00'))).to.equal(true);
    expect(national.dependsOnUncoveredYear(at('2027-03-01T10:00:00+08:00'), at('2027-02-01T00:00:00+08:00'))).to.equal(false);
    const loaded = createWorkingCalendar([], { loadedYears: [2027] });
    expect(loaded.dependsOnUncoveredYear(from, loaded.addWorkingDays(from, 10))).to.equal(false);
  });

  it('when the year is uncovered, then only a working-day limit is provisional: hours and natural days use no calendar', () => {
    const from = at('2026-12-30T10:00:00+08:00');
    const due = at('2027-01-05T00:00:00+08:00');
    expect(isProvisional(national, from, due, 'working_days')).to.equal(true);
    expect(isProvisional(national, from, due, 'days')).to.equal(false);
    expect(isProvisional(national, from, due, 'hours')).to.equal(false);
  });

  it('when an admin loads 2027\'s schedule, then 2027 is covered and its holidays count', () => {
    const cal = createWorkingCalendar(
      [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }],
      { loadedYears: [2027] },
    );
    expect(cal.isYearCovered(2027)).to.equal(true);
    expect(iso(cal.addWorkingDays(at('2026-12-31T10:00:00+08:00'), 1))).to.equal('2027-01-04T16:00:00.000Z');
    // The loaded schedule is the whole truth for 2027: the statutory rules step aside.
    expect(cal.isWorkingDay('2027-02-05')).to.equal(true);
  });

  it('when overrides exist for a year but it was not loaded, then the year stays uncovered', () => {
    const cal = createWorkingCalendar([{ date: '2027-03-02', kind: 'holiday' }]);
    expect(cal.isYearCovered(2027)).to.equal(false);
  });

  it('when an override is not a real date or is given twice, then the calendar is refused', () => {
    expect(() => createWorkingCalendar([{ date: '2026-02-30', kind: 'holiday' }])).to.throw(RangeError);
    expect(() => createWorkingCalendar([{ date: '2026-2-3', kind: 'holiday' }])).to.throw(RangeError);
    expect(() => createWorkingCalendar([
      { date: '2026-10-12', kind: 'holiday' }, { date: '2026-10-12', kind: 'workday' },
    ])).to.throw(RangeError);
  });

  it('when n is negative or fractional, then addWorkingDays throws', () => {
    expect(() => national.addWorkingDays(from, -1)).to.throw(RangeError);
    expect(() => national.addWorkingDays(from, 1.5)).to.throw(RangeError);
    expect(() => national.addWorkingDays(new Date(Number.NaN), 1)).to.throw(RangeError);
  });
});

describe('noticeDate: the last day of a limit as a notice to a citizen writes it', () => {
  it('when a limit ends at 24:00 Beijing time on 2027-01-26, then the notice names 2027年1月26日, not the 27th', () => {
    expect(noticeDate(new Date('2027-01-26T16:00:00.000Z'))).to.equal('2027年1月26日');
  });

  it('when a limit ends within a day (hours), then the notice names that Beijing day', () => {
    expect(noticeDate(new Date('2026-11-30T18:30:00.000Z'))).to.equal('2026年12月1日');
  });
});
