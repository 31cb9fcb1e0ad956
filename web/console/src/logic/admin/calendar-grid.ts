/** An exceptional day of GET /api/calendar/years/{year}. */
export interface ExceptionalDay {
  readonly date: string;
  readonly kind: 'holiday' | 'workday';
  readonly source: 'national' | 'statutory' | 'override';
  readonly name: string | null;
  readonly note?: string;
}

/** What a day is for deadlines: an ordinary workday, a weekend, a holiday, or a weekend worked (调休). */
export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted';

/** One day of the month grid. */
export interface DayCell {
  readonly date: string;
  readonly day: number;
  readonly kind: DayKind;
  readonly exception: ExceptionalDay | null;
}

/** A week, Monday first; null where the day belongs to another month. */
export type Week = readonly (DayCell | null)[];

export const WEEKDAY_NAMES = ['一', '二', '三', '四', '五', '六', '日'] as const;
export const DAY_KIND_LABELS: Readonly<Record<DayKind, string>> = { workday: '工作日', weekend: '休息日', holiday: '节假日', adjusted: '调休上班' };

const pad = (n: number): string => String(n).padStart(2, '0');

/** What a calendar date is, given the year's exceptional days. */
export function dayKind(date: string, exception: ExceptionalDay | null): DayKind {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekend = [0, 6].includes(new Date(Date.UTC(y, m - 1, d)).getUTCDay());
  if (exception?.kind === 'holiday') return 'holiday';
  if (exception?.kind === 'workday') return weekend ? 'adjusted' : 'workday';
  return weekend ? 'weekend' : 'workday';
}

/** The weeks of one month (1-12), Monday first, each day with its kind. */
export function monthGrid(year: number, month: number, days: readonly ExceptionalDay[]): Week[] {
  const byDate = new Map(days.map((d) => [d.date, d]));
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  // getUTCDay counts from Sunday; the grid starts on Monday.
  const lead = (new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 6) % 7;
  const cells: (DayCell | null)[] = Array.from({ length: lead }, () => null);
  for (let day = 1; day <= length; day += 1) {
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const exception = byDate.get(date) ?? null;
    cells.push({ date, day, kind: dayKind(date, exception), exception });
  }
  while (cells.length % 7) cells.push(null);
  const weeks: Week[] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** The year's days off and worked weekends, grouped by festival name, for the list beside the grid. */
export function holidaySummary(days: readonly ExceptionalDay[]): { name: string; off: string[]; worked: string[] }[] {
  const groups = new Map<string, { name: string; off: string[]; worked: string[] }>();
  for (const d of days) {
    const name = d.name ?? (d.note || '其他调整');
    const group = groups.get(name) ?? { name, off: [], worked: [] };
    (d.kind === 'holiday' ? group.off : group.worked).push(d.date);
    groups.set(name, group);
  }
  return [...groups.values()];
}
