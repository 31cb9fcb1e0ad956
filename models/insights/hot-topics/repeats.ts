import type { Queryable } from '../../../infra/db.js';
import { DEFAULT_REPEAT_OPTIONS, groupRepeats } from './repeat-groups.js';
import { termFilters } from './terms.js';
import type { Period } from './periods.js';

/** A group of repeated complaints as the centre sees it. */
export interface RepeatReport {
  readonly divisionCode: string;
  readonly divisionName: string | null;
  readonly category: string | null;
  /** The recurring term the cases share. */
  readonly keyTerm: string;
  readonly count: number;
  /** Case numbers in order of receipt (at most `casesPerGroup`). */
  readonly caseNos: readonly string[];
  readonly firstReceivedAt: Date;
  readonly lastReceivedAt: Date;
  readonly commonTerms: readonly string[];
}

// The terms of a case that can make it a repeat: its most specific ones (signatures list them in
// that order), which is where the matter is; the rest are mostly generic words.
const KEY_TERMS = 6;

/** Longest period the repeats are grouped over: the grouping runs in memory over every case in it. */
export const MAX_REPEAT_PERIOD_DAYS = 92;

/**
 * Repeated complaints about one place (township, or county when no township is known) received
 * in the period: cases of one division and category sharing a recurring specific term (see
 * groupRepeats) among their KEY_TERMS most specific terms, largest groups first.
 */
export async function findRepeats(
  db: Queryable,
  period: Period,
  options: { readonly divisionPrefix?: string; readonly limit: number; readonly casesPerGroup: number; readonly minCases?: number },
): Promise<RepeatReport[]> {
  const grouping = { ...DEFAULT_REPEAT_OPTIONS, minCases: options.minCases ?? DEFAULT_REPEAT_OPTIONS.minCases };
  // Terms come joined in one string: node-postgres parses a text[] for every row far slower.
  // Likewise the time as milliseconds: parsing a timestamp text per row costs more than the grouping.
  const { rows } = await db.query<{ case_id: string; received_ms: number; division_code: string; category: string | null; terms: string }>(
    `SELECT case_id, extract(epoch FROM received_at) * 1000 AS received_ms, division_code, category, array_to_string(terms[1:${KEY_TERMS}], E'\x1f') AS terms
       FROM case_signatures
      WHERE received_at >= $1 AND received_at < $2 AND division_code IS NOT NULL AND ($3::text IS NULL OR division_code LIKE $3 || '%')`,
    [period.from, period.to, options.divisionPrefix ?? null],
  );
  const groups = groupRepeats(
    rows.map((r) => ({ caseId: r.case_id, receivedAt: new Date(r.received_ms), divisionCode: r.division_code, category: r.category, terms: r.terms ? r.terms.split('\x1f') : [] })),
    termFilters().idf,
    grouping,
  ).slice(0, options.limit);
  const shown = groups.map((g) => g.caseIds.slice(0, options.casesPerGroup));
  const { rows: refs } = await db.query<{ id: string; case_no: string }>('SELECT id, case_no FROM cases WHERE id = ANY($1::uuid[])', [shown.flat()]);
  const { rows: units } = await db.query<{ code: string; name: string }>('SELECT code, name FROM units WHERE code = ANY($1::text[])', [groups.map((g) => g.divisionCode)]);
  const caseNos = new Map(refs.map((r) => [r.id, r.case_no]));
  const names = new Map(units.map((u) => [u.code, u.name]));
  return groups.map((g, i) => ({
    divisionCode: g.divisionCode,
    divisionName: names.get(g.divisionCode) ?? null,
    category: g.category,
    keyTerm: g.keyTerm,
    count: g.caseIds.length,
    caseNos: (shown[i] ?? []).map((id) => caseNos.get(id) ?? id),
    firstReceivedAt: g.firstReceivedAt,
    lastReceivedAt: g.lastReceivedAt,
    commonTerms: g.commonTerms,
  }));
}
