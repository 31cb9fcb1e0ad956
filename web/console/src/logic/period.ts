/** The dashboard's period presets, as Asia/Shanghai calendar days. */
export const PERIOD_PRESETS = [
  { name: 'week', label: '本周' },
  { name: 'month', label: '本月' },
  { name: 'quarter', label: '本季度' },
  { name: 'year', label: '本年' },
  { name: 'custom', label: '自定义' },
] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number]['name'];

/** A period of whole days, both ends included (YYYY-MM-DD), as GET /api/stats/units takes it. */
export interface DayPeriod {
  readonly from: string;
  readonly to: string;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** The calendar day in Linyi of an instant. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The preset's period up to today: the week from Monday, the month, the quarter or the year so far. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, now: Date): DayPeriod {
  const today = shanghaiDay(now);
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  switch (preset) {
    case 'week': {
      const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      return { from: new Date(Date.parse(`${today}T00:00:00Z`) - weekday * DAY_MS).toISOString().slice(0, 10), to: today };
    }
    case 'month':
      return { from: `${year}-${pad(month)}-01`, to: today };
    case 'quarter':
      return { from: `${year}-${pad(Math.floor((month - 1) / 3) * 3 + 1)}-01`, to: today };
    case 'year':
      return { from: `${year}-01-01`, to: today };
  }
}

/** Whether a custom period can be asked for: two days, in order. */
export function isValidPeriod(period: { from: string | null; to: string | null }): period is DayPeriod {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  return !!period.from && !!period.to && day.test(period.from) && day.test(period.to) && period.from <= period.to;
}

/** Sums daily counts into weeks of seven from the first day (a year's sparkline would be 366 points). */
export function weeklySums(counts: readonly number[]): number[] {
  const weeks: number[] = [];
  counts.forEach((n, i) => {
    const w = Math.floor(i / 7);
    weeks[w] = (weeks[w] ?? 0) + n;
  });
  return weeks;
}

/** A sparkline's points: daily over a month or less, weekly over longer periods. */
export function sparkValues(dailyCounts: readonly number[]): number[] {
  return dailyCounts.length <= 31 ? [...dailyCounts] : weeklySums(dailyCounts);
}

/** The API's instants of a day period: from 00:00 of the first day to 24:00 of the last (Asia/Shanghai). */
export function periodInstants(period: DayPeriod, maxDays?: number): { from: string; to: string } {
  const to = Date.parse(`${period.to}T00:00:00+08:00`) + DAY_MS;
  const from = Date.parse(`${period.from}T00:00:00+08:00`);
  const start = maxDays === undefined ? from : Math.max(from, to - maxDays * DAY_MS);
  return { from: new Date(start).toISOString(), to: new Date(to).toISOString() };
}
