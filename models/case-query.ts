import type { Queryable } from '../infra/db.js';
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

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** Lists cases by keyset paging on (created_at, id), which stays fast however deep the page. */
export async function listCases(db: Queryable, filter: CaseFilter): Promise<CasePage> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.status?.length) add((p) => `c.status = ANY(${p})`, filter.status);
  if (filter.unitCodes) add((p) => `(c.assigned_unit_code = ANY(${p}) OR c.co_units && ${p}::text[])`, filter.unitCodes);
  if (filter.unassigned) where.push('c.assigned_unit_code IS NULL');
  if (filter.channel) add((p) => `c.channel = ${p}`, filter.channel);
  if (filter.type) add((p) => `c.type = ${p}`, filter.type);
  if (filter.divisionPrefix) add((p) => `c.division_code LIKE ${p}`, `${escapeLike(filter.divisionPrefix)}%`);
  if (filter.overdue) {
    where.push(`((c.status = 'dispatched' AND (c.accept_overdue_at IS NOT NULL OR c.accept_by <= now()))
      OR (c.status IN ('registered', 'dispatched', 'in_progress', 'returned') AND c.clock_paused_at IS NULL
          AND (c.reply_overdue_at IS NOT NULL OR c.reply_by <= now())))`);
  }
  if (filter.receivedFrom) add((p) => `c.received_at >= ${p}`, filter.receivedFrom);
  if (filter.receivedTo) add((p) => `c.received_at < ${p}`, filter.receivedTo);
  if (filter.q) {
    add((p) => `(c.case_no = ${p} OR c.title ILIKE '%' || ${p} || '%' OR c.content ILIKE '%' || ${p} || '%')`, escapeLike(filter.q));
  }
  if (filter.cursor) {
    params.push(filter.cursor.createdAt, filter.cursor.id);
    where.push(`(c.created_at, c.id) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(filter.limit + 1);
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.created_at DESC, c.id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, filter.limit).map(toCaseRecord);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filter.limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
