import type { Queryable } from '../../../infra/db.js';
import type { RepeatCandidates } from './repeat-candidates.js';
import { DEFAULT_REPEAT_OPTIONS, groupRepeatColumns } from './repeat-groups.js';
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

/** Longest period the repeats are grouped over: the grouping runs in memory over every case in it. */
export const MAX_REPEAT_PERIOD_DAYS = 92;

/**
 * Repeated complaints about one place (township, or county when no township is known) received
 * in the period: cases of one division and category sharing a recurring specific term (see
 * groupRepeatColumns) among their six most specific terms, largest groups first.
 */
export async function findRepeats(
  db: Queryable,
  kept: RepeatCandidates,
  period: Period,
  options: { readonly divisionPrefix?: string; readonly limit: number; readonly casesPerGroup: number; readonly minCases?: number },
): Promise<RepeatReport[]> {
  const grouping = { ...DEFAULT_REPEAT_OPTIONS, minCases: options.minCases ?? DEFAULT_REPEAT_OPTIONS.minCases };
  const candidates = await kept.read(db, period, options.divisionPrefix);
  const groups = groupRepeatColumns(candidates.columns, candidates.dictionary, grouping)
    .slice(0, options.limit)
    .map((g) => ({
      divisionCode: candidates.dictionary.bucketDivision[g.bucket] ?? '',
      category: candidates.bucketCategory[g.bucket] ?? null,
      keyTerm: candidates.dictionary.termText[g.keyTerm] ?? '',
      members: g.members,
      firstReceivedAt: new Date(g.firstMs),
      lastReceivedAt: new Date(g.lastMs),
      commonTerms: g.commonTerms.map((t) => candidates.dictionary.termText[t] ?? ''),
    }));
  const shown = groups.map((g) => g.members.slice(0, options.casesPerGroup).map(candidates.caseIdAt));
  const { rows: refs } = await db.query<{ id: string; case_no: string }>('SELECT id, case_no FROM cases WHERE id = ANY($1::uuid[])', [shown.flat()]);
  const { rows: units } = await db.query<{ code: string; name: string }>('SELECT code, name FROM units WHERE code = ANY($1::text[])', [groups.map((g) => g.divisionCode)]);
  const caseNos = new Map(refs.map((r) => [r.id, r.case_no]));
  const names = new Map(units.map((u) => [u.code, u.name]));
  return groups.map((g, i) => ({
    divisionCode: g.divisionCode,
    divisionName: names.get(g.divisionCode) ?? null,
    category: g.category,
    keyTerm: g.keyTerm,
    count: g.members.length,
    caseNos: (shown[i] ?? []).map((id) => caseNos.get(id) ?? id),
    firstReceivedAt: g.firstReceivedAt,
    lastReceivedAt: g.lastReceivedAt,
    commonTerms: g.commonTerms,
  }));
}
