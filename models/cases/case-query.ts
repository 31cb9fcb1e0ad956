import type { Queryable } from '../../infra/db.js';
import type { CaseRecord, CaseStatus, CaseType, Channel } from './case.js';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from './case.repository.js';

/** Filters of the staff case list. `unitCodes` restricts to those units (a handler's subtree). */
export interface CaseFilter {
  readonly status?: readonly CaseStatus[];
  readonly unitCodes?: readonly string[];
  readonly unassigned?: boolean;
  readonly channel?: Channel;
  readonly type?: CaseType;
  readonly divisionPrefix?: string;
  readonly q?: string;
  /** The caller's phone number, in any of its written forms. */
  readonly phone?: string;
  /** Only cases past a running deadline now: 签收 while dispatched, 答复 while open and not paused. */
  readonly overdue?: boolean;
  readonly receivedFrom?: Date;
  readonly receivedTo?: Date;
  readonly limit: number;
  readonly cursor?: { readonly createdAt: Date; readonly id: string };
}

/** A page of cases, newest first, with the cursor of the next page. */
export interface CasePage {
  readonly items: CaseRecord[];
  readonly nextCursor: { createdAt: Date; id: string } | null;
}

// The indexed expression of migration 031, written exactly as the index has it.
const TEXT_BIGRAMS = `text_bigrams(coalesce(c.title, '') || ' ' || c.content)`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Lists cases by keyset paging on (created_at, id), which stays fast however deep the page. */
export async function listCases(db: Queryable, filter: CaseFilter): Promise<CasePage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.status?.length) where.push(`c.status = ANY(${bind(filter.status)})`);
  if (filter.unitCodes) {
    const units = bind(filter.unitCodes);
    where.push(`(c.assigned_unit_code = ANY(${units}) OR c.co_units && ${units}::text[])`);
  }
  if (filter.unassigned) where.push('c.assigned_unit_code IS NULL');
  if (filter.channel) where.push(`c.channel = ${bind(filter.channel)}`);
  if (filter.type) where.push(`c.type = ${bind(filter.type)}`);
  if (filter.divisionPrefix) where.push(`c.division_code LIKE ${bind(`${escapeLike(filter.divisionPrefix)}%`)}`);
  if (filter.receivedFrom) where.push(`c.received_at >= ${bind(filter.receivedFrom)}`);
  if (filter.receivedTo) where.push(`c.received_at < ${bind(filter.receivedTo)}`);
  if (filter.overdue) {
    where.push(`((c.status = 'dispatched' AND (c.accept_overdue_at IS NOT NULL OR c.accept_by <= now()))
      OR (c.status IN ('registered', 'dispatched', 'in_progress', 'returned') AND c.clock_paused_at IS NULL
          AND (c.reply_overdue_at IS NOT NULL OR c.reply_by <= now())))`);
  }
  if (filter.q) {
    const pattern = bind(escapeLike(filter.q));
    // The bigram index (migration 031) finds the candidates; a one-character word has no bigram.
    const candidates = [...filter.q].length > 1 ? `${TEXT_BIGRAMS} @> text_bigrams(${bind(filter.q)}) AND ` : '';
    where.push(`(c.case_no = ${pattern} OR (${candidates}(c.title ILIKE '%' || ${pattern} || '%' OR c.content ILIKE '%' || ${pattern} || '%')))`);
  }
  if (filter.phone) where.push(`(c.citizen ? 'phone' AND caller_phone_key(c.citizen->>'phone') = caller_phone_key(${bind(filter.phone)}))`);
  if (filter.cursor) where.push(`(c.created_at, c.id) < (${bind(filter.cursor.createdAt)}, ${bind(filter.cursor.id)})`);
  const limit = bind(filter.limit + 1);
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.created_at DESC, c.id DESC LIMIT ${limit}`,
    params,
  );
  const items = rows.slice(0, filter.limit).map(toCaseRecord);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
