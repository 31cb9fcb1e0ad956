import type { Queryable } from '../../../infra/db.js';
import { calendarDateOf } from '../../time-limits/working-calendar.js';
import { SealedSums } from './sealed-sums.js';
import { splitPeriod } from './unit-stats.js';

/** What the cases received in a period are made of: by week, by channel, by division. */
export interface CaseMix {
  /** Cases received per week (Monday, Asia/Shanghai), oldest first; weeks without cases are left out. */
  readonly weeks: { readonly week: string; readonly received: number }[];
  readonly channels: { readonly channel: string; readonly received: number }[];
  /** By the division the case was located in (township, or county when no township is known; '' for none). */
  readonly divisions: { readonly code: string; readonly received: number }[];
}

interface MixRow {
  day: string | null;
  channel: string | null;
  division_code: string | null;
  set: number;
  received: string | number;
}

// One row per case, in the rollup's columns.
const CASE_ROW = `SELECT (c.received_at AT TIME ZONE 'Asia/Shanghai')::date AS day, c.channel, coalesce(c.division_code, '') AS division_code, 1 AS received FROM cases c`;

// Grouped by day, and the days folded into weeks in Node.js: naming each row's week in SQL cost
// more than reading the rows (a year's rollup is about 180,000 rows).
const grouped = (rows: string): string =>
  `SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.channel, s.division_code, GROUPING(s.day, s.channel, s.division_code) AS set, sum(s.received) AS received
     FROM (${rows}) s
    GROUP BY GROUPING SETS ((s.day), (s.channel), (s.division_code))`;

// The rollup's sums over sealed days, read once per seal; a few periods are asked for again and
// again (this week, month, quarter and year).
const sealedMixes = new SealedSums(grouped('SELECT day, channel, division_code, received FROM stat_case_mix_days WHERE day >= $1::date AND day < $2::date'), 32);

/**
 * The city-wide rows: the sealed whole days from stat_case_mix_days (summed once per seal), the
 * period's edges and unsealed days from the cases, and the cases registered since the seal with a
 * receipt time in the sealed days.
 */
async function cityRows(db: Queryable, period: { from: Date; to: Date }, sealedUntil: Date): Promise<MixRow[]> {
  const split = splitPeriod(period.from, period.to, sealedUntil);
  const params: unknown[] = [];
  const $ = (value: unknown): string => `$${params.push(value)}`;
  const parts = split.live.map(([start, end]) => `${CASE_ROW} WHERE c.received_at >= ${$(start)} AND c.received_at < ${$(end)}`);
  const rollup = split.rollup;
  if (rollup) {
    parts.push(
      `${CASE_ROW} WHERE c.created_at >= ${$(sealedUntil)} AND c.received_at >= ${$(`${rollup.fromDay}T00:00:00+08:00`)}::timestamptz AND c.received_at < ${$(`${rollup.toDay}T00:00:00+08:00`)}::timestamptz`,
    );
  }
  const [sealed, { rows: live }] = await Promise.all([
    rollup ? sealedMixes.get(db, rollup.fromDay, rollup.toDay).then((json) => JSON.parse(json) as MixRow[]) : [],
    db.query<MixRow>(grouped(parts.join(' UNION ALL ')), params),
  ]);
  return [...sealed, ...live];
}

/**
 * What the cases received in [from, to) are made of, with three grouping sets. `unitCodes`
 * restricts to the cases assigned to those units (a subtree), read from the cases; the whole city
 * reads the sealed days from the rollup. `sealedUntil` is what sealStatistics returned.
 */
export async function caseMix(db: Queryable, period: { from: Date; to: Date }, sealedUntil: Date, unitCodes?: readonly string[]): Promise<CaseMix> {
  const rows = unitCodes
    ? (await db.query<MixRow>(grouped(`${CASE_ROW} WHERE c.received_at >= $1 AND c.received_at < $2 AND c.assigned_unit_code = ANY($3)`), [period.from, period.to, unitCodes])).rows
    : await cityRows(db, period, sealedUntil);
  // The sealed and the live rows may both hold a day, a channel or a division: summed here.
  // GROUPING() sets a bit per column left out of the row's set: 3 = day only, 5 = channel only, 6 = division only.
  const sums = (set: number, key: (r: MixRow) => string): Map<string, number> => {
    const totals = new Map<string, number>();
    for (const r of rows) if (Number(r.set) === set) totals.set(key(r), (totals.get(key(r)) ?? 0) + Number(r.received));
    return totals;
  };
  const weeks = new Map<string, number>();
  for (const [day, received] of sums(3, (r) => r.day ?? '')) weeks.set(mondayOf(day), (weeks.get(mondayOf(day)) ?? 0) + received);
  // Ties in a stable order, whichever way the rows were read.
  return {
    weeks: [...weeks].map(([week, received]) => ({ week, received })).sort((a, b) => a.week.localeCompare(b.week)),
    channels: [...sums(5, (r) => r.channel ?? '')].map(([channel, received]) => ({ channel, received })).sort((a, b) => b.received - a.received || a.channel.localeCompare(b.channel)),
    divisions: [...sums(6, (r) => r.division_code ?? '')].map(([code, received]) => ({ code, received })).sort((a, b) => b.received - a.received || a.code.localeCompare(b.code)),
  };
}

/** The Monday (YYYY-MM-DD) of the week a date (YYYY-MM-DD) falls in, as PostgreSQL's date_trunc('week') gives it (pure; exported for tests). */
export function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** The calendar days (Asia/Shanghai) that [from, to) touches, oldest first. */
export function periodDays(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let at = new Date(`${calendarDateOf(from)}T00:00:00+08:00`); at < to; at = new Date(at.getTime() + DAY_MS)) days.push(calendarDateOf(at));
  return days;
}

/**
 * Each term's cases per day over `days` (as periodDays gives them), city-wide, with a 0 for a day
 * without any: one array per term, in the order of `days`.
 */
export async function termCounts(db: Queryable, terms: readonly string[], days: readonly string[]): Promise<Map<string, number[]>> {
  const first = days[0];
  const last = days.at(-1);
  const series = first && last && terms.length ? await termSeries(db, terms, { from: first, to: calendarDateOf(new Date(new Date(`${last}T00:00:00+08:00`).getTime() + DAY_MS)) }) : new Map<string, Map<string, number>>();
  return new Map(terms.map((term) => [term, days.map((day) => series.get(term)?.get(day) ?? 0)]));
}

/** Cases mentioning each term per day of the period (Asia/Shanghai days from the indexer's rollup), for sparklines. */
export async function termSeries(db: Queryable, terms: readonly string[], days: { from: string; to: string }): Promise<Map<string, Map<string, number>>> {
  const { rows } = await db.query<{ term: string; day: string; cases: number }>(
    `SELECT t.term, to_char(d.day, 'YYYY-MM-DD') AS day, d.cases
       FROM topic_terms t JOIN term_days d ON d.term_id = t.id
      WHERE t.kind = 'word' AND t.term = ANY($1) AND d.day >= $2::date AND d.day < $3::date`,
    [terms, days.from, days.to],
  );
  const series = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const byDay = series.get(r.term) ?? new Map<string, number>();
    byDay.set(r.day, (byDay.get(r.day) ?? 0) + Number(r.cases));
    series.set(r.term, byDay);
  }
  return series;
}
