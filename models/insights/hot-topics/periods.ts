/** A half-open time interval [from, to). */
export interface Period {
  readonly from: Date;
  readonly to: Date;
}

/** The period of equal length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}

// Asia/Shanghai has kept UTC+8 without daylight saving since 1991.
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Midnight in Asia/Shanghai at or before `t`. */
export function shanghaiDayStart(t: Date): Date {
  return shanghaiDayStartOf(shanghaiDayNumber(t.getTime()));
}

/** The calendar date (Asia/Shanghai) of an instant as a number of days since 1970-01-01. */
export function shanghaiDayNumber(ms: number): number {
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Midnight in Asia/Shanghai starting the day numbered as shanghaiDayNumber counts. */
export function shanghaiDayStartOf(day: number): Date {
  return new Date(day * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The calendar date (Asia/Shanghai) of an instant, as YYYY-MM-DD. */
export function shanghaiDate(t: Date): string {
  return new Date(t.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight of the first day of the month (Asia/Shanghai) holding `t`, or of the next one. */
function monthStart(t: Date, next: boolean): Date {
  const local = new Date(t.getTime() + SHANGHAI_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + (next ? 1 : 0), 1) - SHANGHAI_OFFSET_MS);
}

/** Calendar dates [from, to) in Asia/Shanghai. */
export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/**
 * A period cut for the rollups: whole calendar months (monthly counts), whole days around them
 * (daily counts) and the partial days at its ends (per-case rows). Any from/to stays exact, and
 * a year costs a dozen monthly rows per term instead of 365 daily ones.
 */
export interface PeriodSplit {
  readonly months: DateRange | null;
  readonly days: readonly DateRange[];
  readonly edges: readonly Period[];
  /** The whole days of the period, months included ([first, last midnight)), or null. */
  readonly wholeDays: DateRange | null;
}

/** Cuts a period into months, days and partial days (see PeriodSplit). */
export function splitPeriod(period: Period): PeriodSplit {
  const firstMidnight = shanghaiDayStart(new Date(period.from.getTime() + DAY_MS - 1));
  const lastMidnight = shanghaiDayStart(period.to);
  if (firstMidnight >= lastMidnight) return { months: null, days: [], edges: period.from < period.to ? [period] : [], wholeDays: null };
  const edges = [
    { from: period.from, to: firstMidnight },
    { from: lastMidnight, to: period.to },
  ].filter((e) => e.from < e.to);
  const range = (from: Date, to: Date): DateRange => ({ from: shanghaiDate(from), to: shanghaiDate(to) });
  const firstMonth = shanghaiDate(firstMidnight).endsWith('-01') ? firstMidnight : monthStart(firstMidnight, true);
  const lastMonth = monthStart(lastMidnight, false);
  const wholeDays = range(firstMidnight, lastMidnight);
  if (firstMonth >= lastMonth) return { months: null, days: [wholeDays], edges, wholeDays };
  const days = [range(firstMidnight, firstMonth), range(lastMonth, lastMidnight)].filter((d) => d.from < d.to);
  return { months: range(firstMonth, lastMonth), days, edges, wholeDays };
}

/** The instants [from, to) of a date range. */
export function rangePeriod(range: DateRange): Period {
  return { from: new Date(`${range.from}T00:00:00+08:00`), to: new Date(`${range.to}T00:00:00+08:00`) };
}
