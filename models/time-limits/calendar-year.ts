import packageSchedule from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { statutoryHolidays } from './statutory-holidays.js';
import type { CalendarDate, CalendarOverride } from './working-calendar.js';

/** A day that is not an ordinary weekday at work or weekend off, and why. */
export interface ExceptionalDay {
  readonly date: CalendarDate;
  /** holiday: a day off (a weekday off, or a weekend day within a holiday); workday: a weekend day worked (调休). */
  readonly kind: 'holiday' | 'workday';
  /** national: the State Council's schedule (package); statutory: the law's fixed days, in a year without one; override: an admin's. */
  readonly source: 'national' | 'statutory' | 'override';
  /** The festival it belongs to (元旦, 春节, ...), when known. */
  readonly name: string | null;
  readonly note?: string;
}

/** One year of the working calendar: whether its official schedule is known, and its exceptional days. */
export interface YearSchedule {
  readonly year: number;
  /** The package has the State Council's schedule, or an admin loaded it: false means deadlines over it are provisional. */
  readonly official: boolean;
  readonly days: readonly ExceptionalDay[];
}

// Package entries read "Spring Festival,春节,4": English name, Chinese name, length of the break.
const festivalName = (entry: string): string | null => entry.split(',')[1] ?? null;

function packageDays(year: number): Map<string, ExceptionalDay> {
  const days = new Map<string, ExceptionalDay>();
  const prefix = `${year}-`;
  for (const [date, entry] of Object.entries(packageSchedule.holidays)) {
    if (date.startsWith(prefix)) days.set(date, { date, kind: 'holiday', source: 'national', name: festivalName(entry) });
  }
  for (const [date, entry] of Object.entries(packageSchedule.workdays)) {
    if (date.startsWith(prefix)) days.set(date, { date, kind: 'workday', source: 'national', name: festivalName(entry) });
  }
  return days;
}

/**
 * The year as the working calendar counts it (createWorkingCalendar): the package's schedule or, in a
 * year it does not cover, the statutory holidays; admin overrides win for their dates.
 */
export function yearSchedule(year: number, overrides: readonly CalendarOverride[], loadedYears: readonly number[]): YearSchedule {
  const days = packageDays(year);
  const official = days.size > 0 || loadedYears.includes(year);
  if (!official) {
    // 中秋 may fall within 国庆 (2028-10-03): one day, both names.
    for (const holiday of statutoryHolidays(year)) {
      const name = days.get(holiday.date)?.name;
      days.set(holiday.date, { date: holiday.date, kind: 'holiday', source: 'statutory', name: name ? `${name}、${holiday.name}` : holiday.name });
    }
  }
  for (const o of overrides) {
    if (!o.date.startsWith(`${year}-`)) continue;
    const under = days.get(o.date);
    days.set(o.date, { date: o.date, kind: o.kind, source: 'override', name: under?.name ?? null, ...(o.note ? { note: o.note } : {}) });
  }
  return { year, official, days: [...days.values()].sort((a, b) => a.date.localeCompare(b.date)) };
}
