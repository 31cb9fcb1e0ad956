import type { Queryable } from '../../../infra/db.js';
import { rangePeriod, splitPeriod, type Period } from './periods.js';
import type { TermCounts } from './rising.js';

/** A division with how many of a term's cases lie in it. */
export interface DivisionCount {
  readonly code: string;
  readonly name: string | null;
  readonly count: number;
}

/** Where a term's cases cluster, and some of them. */
export interface TermDetail {
  /** The divisions as the cases give them: townships, or counties when no township is known. */
  readonly divisions: readonly DivisionCount[];
  /** The same cases rolled up to their counties. */
  readonly counties: readonly DivisionCount[];
  /** Case numbers, newest first. */
  readonly examples: readonly string[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const divisionFilter = (params: Params, prefix: string | undefined, column = 'division_code'): string =>
  prefix ? ` AND ${column} LIKE ${params.add(`${prefix}%`)}` : '';

/**
 * Counts of every term in `current` and in `previous`, keeping those with at least `minCount`
 * mentions now and the terms in `always`. City-wide, whole months and days come from the
 * rollups and only the partial days at the ends from the (case, term) rows; within a division
 * the rows are read through the (division, time) index. Each case counts once per term.
 */
export async function countTerms(
  db: Queryable,
  periods: { readonly current: Period; readonly previous: Period },
  options: { readonly divisionPrefix?: string; readonly minCount: number; readonly always: readonly number[] },
): Promise<TermCounts[]> {
  const params = new Params();
  const branches: string[] = [];
  const branch = (sum: string, from: string, isCurrent: boolean): void => {
    branches.push(`SELECT term_id, ${isCurrent ? sum : '0'} AS cur, ${isCurrent ? '0' : sum} AS prev FROM ${from} GROUP BY term_id`);
  };
  const raw = (period: Period, isCurrent: boolean): void =>
    branch('count(*)', `case_terms WHERE received_at >= ${params.add(period.from)} AND received_at < ${params.add(period.to)}${divisionFilter(params, options.divisionPrefix)}`, isCurrent);
  for (const [period, isCurrent] of [[periods.current, true], [periods.previous, false]] as const) {
    if (options.divisionPrefix) {
      raw(period, isCurrent);
      continue;
    }
    const split = splitPeriod(period);
    if (split.months) branch('sum(cases)', `term_months WHERE month >= ${params.add(split.months.from)}::date AND month < ${params.add(split.months.to)}::date`, isCurrent);
    for (const d of split.days) branch('sum(cases)', `term_days WHERE day >= ${params.add(d.from)}::date AND day < ${params.add(d.to)}::date`, isCurrent);
    for (const edge of split.edges) raw(edge, isCurrent);
  }
  if (branches.length === 0) return [];
  const { rows } = await db.query<{ term_id: number; kind: 'word' | 'category'; term: string; current: number; previous: number }>(
    `WITH counts AS (
       SELECT term_id, sum(cur)::int AS current, sum(prev)::int AS previous FROM (${branches.join(' UNION ALL ')}) b GROUP BY term_id
     )
     SELECT c.term_id, t.kind, t.term, c.current, c.previous
       FROM counts c JOIN topic_terms t ON t.id = c.term_id
      WHERE c.current >= ${params.add(options.minCount)} OR c.term_id = ANY(${params.add(options.always)}::int[])`,
    params.values,
  );
  return rows.map((r) => ({ termId: r.term_id, kind: r.kind, term: r.term, current: r.current, previous: r.previous }));
}

/** Indexed cases received in each period (in the division, with a prefix). */
export async function countCases(db: Queryable, periods: { readonly current: Period; readonly previous: Period }, divisionPrefix?: string): Promise<{ current: number; previous: number }> {
  const params = new Params();
  const branches: string[] = [];
  for (const [period, isCurrent] of [[periods.current, true], [periods.previous, false]] as const) {
    const split = splitPeriod(period);
    const flag = isCurrent ? 'true' : 'false';
    if (split.wholeDays) {
      branches.push(
        `SELECT ${flag} AS cur, sum(cases) AS n FROM case_days WHERE day >= ${params.add(split.wholeDays.from)}::date AND day < ${params.add(split.wholeDays.to)}::date${divisionFilter(params, divisionPrefix)}`,
      );
    }
    for (const edge of split.edges) {
      branches.push(
        `SELECT ${flag} AS cur, count(*) AS n FROM case_signatures WHERE received_at >= ${params.add(edge.from)} AND received_at < ${params.add(edge.to)}${divisionFilter(params, divisionPrefix)}`,
      );
    }
  }
  if (branches.length === 0) return { current: 0, previous: 0 };
  const { rows } = await db.query<{ current: number; previous: number }>(
    `SELECT coalesce(sum(n) FILTER (WHERE cur), 0)::int AS current, coalesce(sum(n) FILTER (WHERE NOT cur), 0)::int AS previous FROM (${branches.join(' UNION ALL ')}) b`,
    params.values,
  );
  return rows[0] ?? { current: 0, previous: 0 };
}

/** Names of units by code (divisions are units of the organisation tree). */
async function unitNames(db: Queryable, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const { rows } = await db.query<{ code: string; name: string }>('SELECT code, name FROM units WHERE code = ANY($1::text[])', [[...new Set(codes)]]);
  return new Map(rows.map((r) => [r.code, r.name]));
}

function top(counts: Map<string, number>, names: Map<string, string>, n: number): DivisionCount[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([code, count]) => ({ code, name: names.get(code) ?? null, count }));
}

/** For each term: its top divisions and counties in the period, and its latest case numbers. */
export async function termDetails(
  db: Queryable,
  termIds: readonly number[],
  period: Period,
  options: { readonly divisionPrefix?: string; readonly divisions: number; readonly examples: number },
): Promise<Map<number, TermDetail>> {
  const details = new Map<number, TermDetail>();
  if (termIds.length === 0) return details;
  const p1 = new Params();
  const ids1 = p1.add(termIds);
  // Whole months from the monthly counts per division; the days around them and the partial days from the rows.
  const split = splitPeriod(period);
  const rawParts = [...split.days.map(rangePeriod), ...split.edges];
  const parts = [
    ...(split.months
      ? [`SELECT term_id, division_code, cases AS n FROM term_division_months
           WHERE term_id = ANY(${ids1}::int[]) AND month >= ${p1.add(split.months.from)}::date AND month < ${p1.add(split.months.to)}::date${divisionFilter(p1, options.divisionPrefix)}`]
      : []),
    ...rawParts.map(
      (part) => `SELECT term_id, division_code, 1 AS n FROM case_terms
                  WHERE term_id = ANY(${ids1}::int[]) AND received_at >= ${p1.add(part.from)} AND received_at < ${p1.add(part.to)}
                    AND division_code IS NOT NULL${divisionFilter(p1, options.divisionPrefix)}`,
    ),
  ];
  const clusters = await db.query<{ term_id: number; division_code: string; n: number }>(
    `SELECT term_id, division_code, sum(n)::int AS n FROM (${parts.join(' UNION ALL ')}) p GROUP BY term_id, division_code`,
    p1.values,
  );
  const p2 = new Params();
  const ids2 = p2.add(termIds);
  // The newest cases first from the term's (term, time) index, backwards, the case id read from the
  // index itself; the division test is written so that the planner does not take the (division,
  // time) index instead, which would read the division's whole period for every term.
  const examples = await db.query<{ term_id: number; case_no: string }>(
    `SELECT t.id AS term_id, c.case_no FROM unnest(${ids2}::int[]) AS t(id)
      CROSS JOIN LATERAL (
        SELECT ct.case_id, ct.received_at FROM case_terms ct
         WHERE ct.term_id = t.id AND ct.received_at >= ${p2.add(period.from)} AND ct.received_at < ${p2.add(period.to)}${divisionFilter(p2, options.divisionPrefix, "(ct.division_code || '')")}
         ORDER BY ct.received_at DESC LIMIT ${p2.add(options.examples)}) e
      JOIN cases c ON c.id = e.case_id
      ORDER BY t.id, e.received_at DESC`,
    p2.values,
  );
  const codes = clusters.rows.flatMap((r) => [r.division_code, r.division_code.slice(0, 6)]);
  const names = await unitNames(db, codes);
  for (const id of termIds) {
    const divisions = new Map<string, number>();
    const counties = new Map<string, number>();
    for (const r of clusters.rows.filter((row) => row.term_id === id)) {
      divisions.set(r.division_code, r.n);
      const county = r.division_code.slice(0, 6);
      counties.set(county, (counties.get(county) ?? 0) + r.n);
    }
    details.set(id, {
      divisions: top(divisions, names, options.divisions),
      counties: top(counties, names, options.divisions),
      examples: examples.rows.filter((r) => r.term_id === id).map((r) => r.case_no),
    });
  }
  return details;
}
