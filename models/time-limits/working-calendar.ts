// The national schedule is read from the package's published JSON (documented in its README) rather
// than through isWorkday()/getDayDetail(): those build and look up their tables with the process's
// local-time getters, so on a host west of UTC they answer for the wrong day (e.g. under
// America/New_York, isWorkday(new Date(2026, 1, 14)) is false although Saturday 2026-02-14 is a
// 调休 working day). The JSON is plain 'YYYY-MM-DD' keys and needs no time zone at all.
import packageSchedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { statutoryHolidays } from './statutory-holidays.js';

/** A calendar date in Asia/Shanghai, written 'YYYY-MM-DD'. */
export type CalendarDate = string;

/** An admin's correction to the national calendar; it wins over the package for its date. */
export interface CalendarOverride {
  readonly date: CalendarDate;
  readonly kind: 'workday' | 'holiday';
  readonly note?: string;
}

/** Options for a calendar beyond the overrides themselves. */
export interface WorkingCalendarOptions {
  /** Years whose complete official schedule an admin loaded as overrides (see isYearCovered). */
  readonly loadedYears?: readonly number[];
}

/**
 * Working-day arithmetic under the national calendar (holidays and 调休) plus admin overrides; in a
 * year without an official schedule, under the statutory holidays alone.
 */
export interface WorkingCalendar {
  /** Whether the Asia/Shanghai calendar day of `date` is a working day. */
  isWorkingDay(date: Date | CalendarDate): boolean;
  /** Whether `year`'s official schedule is known: the package has it or an admin loaded it. */
  isYearCovered(year: number): boolean;
  /** The covered years, ascending. */
  coveredYears(): number[];
  /**
   * Whether any day from the calendar day of `from` to the last day before `due` lies in a year
   * that is not covered: a working-day deadline counted over it is provisional.
   */
  dependsOnUncoveredYear(from: Date, due: Date): boolean;
  /** End (24:00 Asia/Shanghai) of the n-th working day after the calendar day of `from`; n = 0 is the end of that day. */
  addWorkingDays(from: Date, n: number): Date;
  /** Working days after the calendar day of `a` that have ended (reached 24:00) by `b`; 0 when b is not later. */
  workingDaysBetween(a: Date, b: Date): number;
  /** The first working day strictly after the calendar day of `date`. */
  nextWorkingDay(date: Date | CalendarDate): CalendarDate;
}

const DAY_MS = 86_400_000;
// Asia/Shanghai has kept UTC+8 without DST since 1991, so a fixed offset is exact for every case.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of the Asia/Shanghai calendar day containing `instant`. */
function dayOf(instant: Date): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid Date');
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

function parseDay(date: CalendarDate): number {
  const match = CALENDAR_DATE.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  // Date.UTC rolls 2026-02-30 over to March; the round trip rejects such dates.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return ms / DAY_MS;
}

function toDay(date: Date | CalendarDate): number {
  return typeof date === 'string' ? parseDay(date) : dayOf(date);
}

function formatDay(day: number): CalendarDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The instant 00:00 Asia/Shanghai of `day`, which is also 24:00 of the day before. */
function startOfDay(day: number): Date {
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

function isWeekend(day: number): boolean {
  // Day 0, 1970-01-01, was a Thursday (4); 0 is Sunday, 6 Saturday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

function assertDayCount(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`day count must be a whole number >= 0: ${n}`);
}

const PACKAGE_HOLIDAYS: ReadonlySet<number> = new Set(Object.keys(packageSchedule.holidays).map(parseDay));
const PACKAGE_WORKDAYS: ReadonlySet<number> = new Set(Object.keys(packageSchedule.workdays).map(parseDay));
// The package adds a whole year's State Council notice at a time, so a year with any listed holiday is
// a year whose schedule it has (2004-2026 in chinese-days 1.5.7).
const PACKAGE_YEARS: ReadonlySet<number> = new Set(
  Object.keys(packageSchedule.holidays).map((date) => Number(date.slice(0, 4))),
);

const statutoryByYear = new Map<number, ReadonlySet<number>>();

/** The statutory holidays of `year` as day numbers, computed once per year. */
function statutoryDays(year: number): ReadonlySet<number> {
  let days = statutoryByYear.get(year);
  if (days === undefined) {
    days = new Set(statutoryHolidays(year).map((h) => parseDay(h.date)));
    statutoryByYear.set(year, days);
  }
  return days;
}

/** The Asia/Shanghai calendar date of an instant. */
export function calendarDateOf(instant: Date): CalendarDate {
  return formatDay(dayOf(instant));
}

/**
 * The last day a limit ending at `due` covers, as a notice to a citizen writes it (2026年10月23日):
 * a limit ends at 24:00, which is already the next day's 00:00.
 */
export function noticeDate(due: Date): string {
  const [year, month, day] = calendarDateOf(new Date(due.getTime() - 1)).split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** End (24:00 Asia/Shanghai) of the n-th natural day after the calendar day of `from`; the day itself is not counted. */
export function addNaturalDays(from: Date, n: number): Date {
  assertDayCount(n);
  return startOfDay(dayOf(from) + n + 1);
}

function indexOverrides(overrides: readonly CalendarOverride[]): Map<number, CalendarOverride['kind']> {
  const byDay = new Map<number, CalendarOverride['kind']>();
  for (const override of overrides) {
    const day = parseDay(override.date);
    // Overrides are keyed by date in storage; two for one date here means the caller mixed sources.
    if (byDay.has(day)) throw new RangeError(`two overrides for ${override.date}`);
    byDay.set(day, override.kind);
  }
  return byDay;
}

/**
 * Builds a calendar from the package's schedule and `overrides` (an override wins for its date).
 * Coverage rule: a year is covered when the package has its official schedule or the caller lists it
 * in `loadedYears` because an admin loaded that year's whole schedule. Overrides alone never make a
 * year covered: one local closure in 2027 says nothing about 2027's Spring Festival. In a year that is
 * not covered, days without an override fall back to the statutory holidays (statutory-holidays.ts)
 * and weekends off, every other day working: no 补休 or 调休 is guessed before the notice sets it.
 */
export function createWorkingCalendar(
  overrides: readonly CalendarOverride[],
  options: WorkingCalendarOptions = {},
): WorkingCalendar {
  const overrideByDay = indexOverrides(overrides);
  const loadedYears = options.loadedYears ?? [];
  for (const year of loadedYears) {
    if (!Number.isSafeInteger(year)) throw new RangeError(`not a year: ${year}`);
  }
  const covered = new Set([...PACKAGE_YEARS, ...loadedYears]);

  const isWorking = (day: number): boolean => {
    const override = overrideByDay.get(day);
    if (override !== undefined) return override === 'workday';
    if (PACKAGE_WORKDAYS.has(day)) return true;
    if (PACKAGE_HOLIDAYS.has(day)) return false;
    if (isWeekend(day)) return false;
    const year = yearOf(day);
    return covered.has(year) || !statutoryDays(year).has(day);
  };

  // Terminates: past the package's years and the finite overrides, every week has a working day.
  const nthWorkingDayAfter = (day: number, n: number): number => {
    assertDayCount(n);
    let current = day;
    for (let found = 0; found < n; ) {
      current += 1;
      if (isWorking(current)) found += 1;
    }
    return current;
  };

  return {
    isWorkingDay: (date) => isWorking(toDay(date)),
    isYearCovered: (year) => covered.has(year),
    coveredYears: () => [...covered].sort((a, b) => a - b),
    dependsOnUncoveredYear: (from, due) => {
      const first = dayOf(from);
      const last = dayOf(due) - 1;
      if (last < first) return false;
      for (let year = yearOf(first); year <= yearOf(last); year += 1) {
        if (!covered.has(year)) return true;
      }
      return false;
    },
    addWorkingDays: (from, n) => startOfDay(nthWorkingDayAfter(dayOf(from), n) + 1),
    workingDaysBetween: (a, b) => {
      // Day d has ended by b when 00:00 of d + 1 is not after b, i.e. d + 1 <= dayOf(b).
      const end = dayOf(b);
      let count = 0;
      for (let day = dayOf(a) + 1; day < end; day += 1) {
        if (isWorking(day)) count += 1;
      }
      return count;
    },
    nextWorkingDay: (date) => formatDay(nthWorkingDayAfter(toDay(date), 1)),
  };
}
