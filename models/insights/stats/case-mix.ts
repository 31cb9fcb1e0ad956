import type { Queryable } from '../../../infra/db.js';

/** What the cases received in a period are made of: by week, by channel, by division. */
export interface CaseMix {
  /** Cases received per week (Monday, Asia/Shanghai), oldest first; weeks without cases are left out. */
  readonly weeks: { readonly week: string; readonly received: number }[];
  readonly channels: { readonly channel: string; readonly received: number }[];
  /** By the division the case was located in (township, or county when no township is known; '' for none). */
  readonly divisions: { readonly code: string; readonly received: number }[];
}

interface MixRow {
  week: string | null;
  channel: string | null;
  division_code: string | null;
  set: number;
  received: string;
}

/**
 * One pass over the period's cases with three grouping sets. `unitCodes` restricts to the cases
 * assigned to those units (a handler's subtree); the centre sees every case.
 */
export async function caseMix(db: Queryable, period: { from: Date; to: Date }, unitCodes?: readonly string[]): Promise<CaseMix> {
  const params: unknown[] = [period.from, period.to];
  if (unitCodes) params.push(unitCodes);
  const { rows } = await db.query<MixRow>(
    `SELECT week, channel, division_code, GROUPING(week, channel, division_code) AS set, count(*) AS received
       FROM (SELECT to_char(date_trunc('week', c.received_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD') AS week,
                    c.channel, coalesce(c.division_code, '') AS division_code
               FROM cases c
              WHERE c.received_at >= $1 AND c.received_at < $2 ${unitCodes ? 'AND c.assigned_unit_code = ANY($3)' : ''}) s
      GROUP BY GROUPING SETS ((week), (channel), (division_code))`,
    params,
  );
  // GROUPING() sets a bit per column left out of the row's set: 3 = week only, 5 = channel only, 6 = division only.
  const of = (set: number): MixRow[] => rows.filter((r) => Number(r.set) === set);
  return {
    weeks: of(3).map((r) => ({ week: r.week ?? '', received: Number(r.received) })).sort((a, b) => a.week.localeCompare(b.week)),
    channels: of(5).map((r) => ({ channel: r.channel ?? '', received: Number(r.received) })).sort((a, b) => b.received - a.received),
    divisions: of(6).map((r) => ({ code: r.division_code ?? '', received: Number(r.received) })).sort((a, b) => b.received - a.received),
  };
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
