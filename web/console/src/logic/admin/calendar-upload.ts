/** One day of an official year schedule, as PUT /api/calendar/overrides takes it. */
export interface ScheduleDay {
  readonly date: string;
  readonly kind: 'holiday' | 'workday';
  readonly note?: string;
}

/** A year's schedule read from an uploaded file, or what is wrong with it in words. */
export type ParsedSchedule = { readonly ok: true; readonly days: ScheduleDay[] } | { readonly ok: false; readonly errors: string[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// As the API's own limit (overridesBody): a year has 366 days at most, with room for notes' sake.
const MAX_DAYS = 400;

function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

function dayErrors(item: unknown, k: number, year: number): string[] {
  const where = `第 ${k + 1} 项`;
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return [`${where}：应为 {"date": "YYYY-MM-DD", "kind": "holiday" 或 "workday"}`];
  const { date, kind, note } = item as Record<string, unknown>;
  const errors: string[] = [];
  if (typeof date !== 'string' || !DATE.test(date) || !isRealDate(date)) errors.push(`${where}：日期须为 YYYY-MM-DD 格式的真实日期`);
  else if (!date.startsWith(`${year}-`)) errors.push(`${where}：${date} 不在 ${year} 年内`);
  if (kind !== 'holiday' && kind !== 'workday') errors.push(`${where}：kind 须为 "holiday"（休息）或 "workday"（上班）`);
  if (note !== undefined && (typeof note !== 'string' || note.length > 200)) errors.push(`${where}：说明须为不超过 200 字的文字`);
  return errors;
}

/**
 * Reads an uploaded year schedule: `{"overrides": [...]}` (the body PUT /api/calendar/overrides takes,
 * `year` optional) or the bare list of days, each checked before anything is sent.
 */
export function parseYearSchedule(text: string, year: number): ParsedSchedule {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`] };
  }
  const wrapper = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  if (wrapper && wrapper.year !== undefined && wrapper.year !== year) return { ok: false, errors: [`文件是 ${String(wrapper.year)} 年的安排，当前选择的是 ${year} 年`] };
  const days = wrapper ? wrapper.overrides : value;
  if (!Array.isArray(days)) return { ok: false, errors: ['内容应为 {"overrides": [...]} 或由日期组成的数组'] };
  if (!days.length) return { ok: false, errors: ['安排中没有任何日期'] };
  if (days.length > MAX_DAYS) return { ok: false, errors: [`日期过多（${days.length} 项，最多 ${MAX_DAYS} 项）`] };
  const errors = days.flatMap((d, k) => dayErrors(d, k, year));
  const seen = new Set<string>();
  days.forEach((d: { date?: unknown }, k) => {
    if (typeof d?.date !== 'string') return;
    if (seen.has(d.date)) errors.push(`第 ${k + 1} 项：${d.date} 重复出现`);
    seen.add(d.date);
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, days: (days as ScheduleDay[]).map(({ date, kind, note }) => ({ date, kind, ...(note ? { note } : {}) })) };
}
