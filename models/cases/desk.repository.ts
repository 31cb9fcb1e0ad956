import type { Queryable } from '../../infra/db.js';
import type { CaseStatus } from './case.js';
import { caseText, DUPLICATE_WINDOW_DAYS, textSimilarity } from '../insights/hot-topics/similarity.js';

/** A case as the operator's desk lists it: no contact details, only what tells cases apart. */
export interface DeskCase {
  readonly id: string;
  readonly caseNo: string;
  readonly title: string | null;
  readonly status: CaseStatus;
  readonly receivedAt: Date;
  readonly assignedUnit: { code: string; name: string } | null;
}

/** A recent case that a draft may repeat, and why it is shown. */
export interface LikelyDuplicate extends DeskCase {
  readonly similarity: number;
  readonly sameCaller: boolean;
  readonly samePlace: boolean;
}

interface DeskRow {
  id: string;
  case_no: string;
  title: string | null;
  content: string;
  status: CaseStatus;
  received_at: Date;
  assigned_unit_code: string | null;
  assigned_unit_name: string | null;
  caller: string | null;
  division_code: string | null;
}

const DESK_COLUMNS = `c.id, c.case_no, c.title, c.content, c.status, c.received_at, c.assigned_unit_code, u.name AS assigned_unit_name,
  caller_phone_key(c.citizen->>'phone') AS caller, c.division_code`;
const DESK_FROM = 'cases c LEFT JOIN units u ON u.code = c.assigned_unit_code';

/** A phone number as the caller-phone index keys it (caller_phone_key, migration 031): its last 11 digits. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '').slice(-11);
}

function toDeskCase(row: DeskRow): DeskCase {
  return {
    id: row.id,
    caseNo: row.case_no,
    title: row.title,
    status: row.status,
    receivedAt: row.received_at,
    assignedUnit: row.assigned_unit_code ? { code: row.assigned_unit_code, name: row.assigned_unit_name ?? row.assigned_unit_code } : null,
  };
}

/** The caller's earlier cases, newest first. */
export async function findCallerCases(db: Queryable, phone: string, limit: number): Promise<DeskCase[]> {
  const { rows } = await db.query<DeskRow>(
    `SELECT ${DESK_COLUMNS} FROM ${DESK_FROM}
      WHERE citizen ? 'phone' AND caller_phone_key(c.citizen->>'phone') = $1
      ORDER BY c.created_at DESC, c.id DESC LIMIT $2`,
    [phoneDigits(phone), limit],
  );
  return rows.map(toDeskCase);
}

/** The cases a staff member registered since `since`, newest first. */
export async function findCasesRegisteredBy(db: Queryable, userId: string, since: Date, limit: number): Promise<DeskCase[]> {
  const { rows } = await db.query<DeskRow>(
    `SELECT ${DESK_COLUMNS} FROM ${DESK_FROM} WHERE c.created_by = $1 AND c.created_at >= $2 ORDER BY c.created_at DESC LIMIT $3`,
    [userId, since, limit],
  );
  return rows.map(toDeskCase);
}

/** A case being typed at the desk, not yet stored. */
export interface Draft {
  readonly phone?: string;
  readonly divisionCode?: string;
  readonly title?: string;
  readonly content: string;
}

// Looser than the indexer's threshold: the operator decides, so a near miss is worth a glance.
const DRAFT_SIMILARITY = 0.5;
const DRAFT_CANDIDATES = 200;

/**
 * Recent cases (DUPLICATE_WINDOW_DAYS) of the same caller or the same township whose text is
 * similar to the draft's, most similar first.
 */
export async function findLikelyDuplicates(db: Queryable, draft: Draft, now: Date, limit: number): Promise<LikelyDuplicate[]> {
  const caller = draft.phone ? phoneDigits(draft.phone) : null;
  if (!caller && !draft.divisionCode) return [];
  const { rows } = await db.query<DeskRow>(
    `SELECT ${DESK_COLUMNS} FROM ${DESK_FROM}
      WHERE c.received_at >= $1::timestamptz - make_interval(days => $2)
        AND ((citizen ? 'phone' AND caller_phone_key(c.citizen->>'phone') = $3) OR c.division_code = $4)
      ORDER BY c.received_at DESC LIMIT $5`,
    [now, DUPLICATE_WINDOW_DAYS, caller, draft.divisionCode ?? null, DRAFT_CANDIDATES],
  );
  const text = caseText(draft.title ?? null, draft.content);
  return rows
    .map((row) => ({
      ...toDeskCase(row),
      similarity: Math.round(textSimilarity(text, caseText(row.title, row.content)) * 100) / 100,
      sameCaller: caller !== null && row.caller === caller,
      samePlace: draft.divisionCode !== undefined && row.division_code === draft.divisionCode,
    }))
    .filter((c) => c.similarity >= DRAFT_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, limit);
}
