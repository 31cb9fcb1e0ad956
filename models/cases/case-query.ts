import type { Queryable } from '../../infra/db.js';
import { type CaseRecord, type CaseStatus, type CaseType, type Channel } from './case.js';
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
  /** The order of the list; newest first (by registration) unless said. */
  readonly sort?: CaseSort;
  readonly cursor?: CasePosition;
}

/** What the list can be sorted by: registration, receipt, or the time left to 签收 or 答复. */
export const CASE_SORT_KEYS = ['createdAt', 'receivedAt', 'acceptBy', 'replyBy'] as const;
export type CaseSortKey = (typeof CASE_SORT_KEYS)[number];

export interface CaseSort {
  readonly key: CaseSortKey;
  readonly direction: 'asc' | 'desc';
}

/** Where a page ended: the sort value of its last case ('infinity' for no deadline) and its id. */
export interface CasePosition {
  readonly sort: CaseSort;
  readonly value: string;
  readonly id: string;
}

/** A page of cases in the order asked for, with the position the next page starts after. */
export interface CasePage {
  readonly items: CaseRecord[];
  readonly nextCursor: CasePosition | null;
}

export const NEWEST_FIRST: CaseSort = { key: 'createdAt', direction: 'desc' };

// The sorted expressions. A case without a deadline sorts as if due at infinity: last when the
// most urgent come first.
const SORT_EXPRESSIONS: Readonly<Record<CaseSortKey, string>> = {
  createdAt: 'c.created_at',
  receivedAt: 'c.received_at',
  acceptBy: "coalesce(c.accept_by, 'infinity'::timestamptz)",
  replyBy: "coalesce(c.reply_by, 'infinity'::timestamptz)",
};

/**
 * A row's sort value as the cursor keeps it: to the microsecond, as PostgreSQL stores it. A
 * JavaScript Date keeps milliseconds only, and a cursor cut to them repeated the last case of a
 * page on the next (ascending) or skipped the cases of its millisecond (descending).
 */
const positionOf = (expression: string): string =>
  `CASE WHEN isfinite(${expression}) THEN to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE 'infinity' END AS sort_position`;

// The indexed expression of migration 031, written exactly as the index has it.
const TEXT_BIGRAMS = `text_bigrams(coalesce(c.title, '') || ' ' || c.content)`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * A unit's queue as a handler opens it: its subtree's cases, in some statuses or all, by
 * registration time, and nothing else asked. A county's subtree is some seventy units; PostgreSQL, left to choose, read
 * every open case of the city (37,000 at 5,000,000 cases) rather than probe the unit index seventy
 * times. Here each unit and status gives at most a page from the index (migration 031's
 * `cases_unit_status_created_idx`, in its order), the co-handled and contested cases are added,
 * and the page is taken from those.
 */
function isPlainUnitQueue(filter: CaseFilter, sort: CaseSort): boolean {
  const { unitCodes, unassigned, channel, type, divisionPrefix, receivedFrom, receivedTo, overdue, q, phone } = filter;
  return Boolean(unitCodes?.length && sort.key === 'createdAt')
    && !unassigned && !channel && !type && !divisionPrefix && !receivedFrom && !receivedTo && !overdue && !q && !phone;
}

/**
 * A unit set's `take` newest cases in the sort's direction (after the cursor), as the CTE `newest`
 * of their ids, creation times and `carried` columns: each unit (and status, when statuses are
 * asked) gives at most `take` entries from an index in its order (`cases_unit_status_created_idx`,
 * or `cases_unit_created_idx` for every status: the 全部 tab and a search), the co-handled and
 * contested cases are added, and the newest are taken from those. `take` is the parameter `$3`; a query adds its own parameters
 * after `params`. `carried` columns come along from the same scans, so that `newest` can be
 * filtered on them without reading each case again by its id. With them, the two sources are
 * appended rather than merged (merging would compare the carried text of every row): a case in
 * both then takes two places, which only a filtered window can afford, not a page.
 */
function newestOfUnits(filter: CaseFilter, sort: CaseSort, take: number, carried: readonly string[] = []): { readonly cte: string; readonly params: unknown[] } {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const after = filter.cursor ? `AND (c.created_at, c.id) ${sort.direction === 'asc' ? '>' : '<'} ($4::timestamptz, $5::uuid)` : '';
  const statuses = filter.status?.length ? filter.status : null;
  const columns = ['id', 'created_at', ...carried].map((column) => `c.${column}`).join(', ');
  // Every status: one range of the unit's index rather than one per status, merged and sorted.
  const perUnit = statuses
    ? `unnest($1::text[]) AS unit(code) CROSS JOIN unnest($2::text[]) AS s(status)
        CROSS JOIN LATERAL (SELECT ${columns} FROM cases c WHERE c.assigned_unit_code = unit.code AND c.status = s.status ${after}`
    : `unnest($1::text[]) AS unit(code)
        CROSS JOIN LATERAL (SELECT ${columns} FROM cases c WHERE c.assigned_unit_code = unit.code ${after}`;
  return {
    cte: `WITH candidates AS (
       SELECT x.* FROM ${perUnit}
                             ORDER BY c.created_at ${direction}, c.id ${direction} LIMIT $3) x
       ${carried.length ? 'UNION ALL' : 'UNION'}
       SELECT ${columns} FROM cases c
        WHERE ((c.co_units <> '{}' AND c.co_units && $1::text[]) OR c.disputed_with = ANY($1)) AND ($2::text[] IS NULL OR c.status = ANY($2)) ${after}
     ), newest AS (
       SELECT * FROM candidates ORDER BY created_at ${direction}, id ${direction} LIMIT $3
     )`,
    params: [filter.unitCodes, statuses, take, ...(filter.cursor ? [filter.cursor.value, filter.cursor.id] : [])],
  };
}

async function listUnitQueue(db: Queryable, filter: CaseFilter, sort: CaseSort): Promise<CasePage> {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // The page is chosen from what the index holds; only its own cases are read in full.
  const { cte, params } = newestOfUnits(filter, sort, filter.limit + 1);
  const { rows } = await db.query(
    `${cte}
     SELECT ${CASE_COLUMNS}, ${positionOf('c.created_at')} FROM ${CASE_FROM} WHERE c.id IN (SELECT id FROM newest)
      ORDER BY c.created_at ${direction}, c.id ${direction} LIMIT $3`,
    params,
  );
  return pageOf(rows, filter, sort);
}

function pageOf(rows: readonly (Parameters<typeof toCaseRecord>[0] & { sort_position: string })[], filter: CaseFilter, sort: CaseSort): CasePage {
  const shown = rows.slice(0, filter.limit);
  const items = shown.map(toCaseRecord);
  const last = items[items.length - 1];
  const position = shown[shown.length - 1]?.sort_position;
  return { items, nextCursor: rows.length > filter.limit && last && position ? { sort, value: position, id: last.id } : null };
}

/**
 * How many of a unit's newest cases a keyword search reads before it asks the text index: a
 * common word fills its page from them, and a rarer one is left to the index.
 */
const SEARCH_WINDOW = 1000;

// A search over more units than this goes to the text index at once: each unit reads its window.
const SEARCH_WINDOW_UNITS = 20;

/** A unit's keyword search by registration time, with nothing else asked but statuses. */
function isPlainUnitSearch(filter: CaseFilter, sort: CaseSort): boolean {
  return Boolean(filter.q) && isPlainUnitQueue({ ...filter, q: undefined }, sort) && (filter.unitCodes?.length ?? 0) <= SEARCH_WINDOW_UNITS;
}

/**
 * A unit's keyword search from the unit's newest cases. The text index finds a township's 4,000
 * cases that mention 路灯 and sorts them all for a page of 50; the newest `window` cases of the
 * unit (and those it co-handles or contests) hold a full page of such a word, and a page found
 * among the newest cases is the page. Null when the window holds less than a page, for the
 * general query to answer.
 */
async function searchUnitWindow(db: Queryable, filter: CaseFilter, sort: CaseSort, window: number): Promise<CasePage | null> {
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  // The window's text comes with its index scan: only the cases that match are read again.
  const { cte, params } = newestOfUnits(filter, sort, window, ['case_no', 'title', 'content']);
  const [limit, pattern] = [`$${params.length + 1}`, `$${params.length + 2}`];
  const { rows } = await db.query(
    `${cte}, matching AS (
       SELECT id FROM newest WHERE case_no = ${pattern} OR title ILIKE '%' || ${pattern} || '%' OR content ILIKE '%' || ${pattern} || '%'
     )
     SELECT ${CASE_COLUMNS}, ${positionOf('c.created_at')} FROM ${CASE_FROM}
      WHERE c.id IN (SELECT id FROM matching)
      ORDER BY c.created_at ${direction}, c.id ${direction} LIMIT ${limit}`,
    [...params, filter.limit + 1, escapeLike(filter.q ?? '')],
  );
  return rows.length > filter.limit ? pageOf(rows, filter, sort) : null;
}

/** Lists cases by keyset paging on (sort value, id), which stays fast however deep the page. */
export async function listCases(db: Queryable, filter: CaseFilter, searchWindow = SEARCH_WINDOW): Promise<CasePage> {
  const plainSort = filter.sort ?? NEWEST_FIRST;
  if (isPlainUnitQueue(filter, plainSort)) return listUnitQueue(db, filter, plainSort);
  if (isPlainUnitSearch(filter, plainSort)) {
    const page = await searchUnitWindow(db, filter, plainSort, searchWindow);
    if (page) return page;
  }
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.status?.length) where.push(`c.status = ANY(${bind(filter.status)})`);
  if (filter.unitCodes) {
    const units = bind(filter.unitCodes);
    // A contested case shows in the queue of the unit its dispute names too (migration 045).
    // co_units <> '{}' repeats the predicate of the co-units index, so that PostgreSQL can OR the
    // three indexes together instead of reading every open case (1 s to 3 ms at 5,000,000 cases).
    where.push(`(c.assigned_unit_code = ANY(${units}) OR (c.co_units <> '{}' AND c.co_units && ${units}::text[]) OR c.disputed_with = ANY(${units}))`);
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
    // The bigram index (migration 031) narrows the candidates (a one-character word has no
    // bigram); it is its own clause, so that the index answers it and the bigrams are not computed
    // again for every candidate row.
    if ([...filter.q].length > 1) where.push(`(c.case_no = ${pattern} OR ${TEXT_BIGRAMS} @> text_bigrams(${bind(filter.q)}))`);
    where.push(`(c.case_no = ${pattern} OR c.title ILIKE '%' || ${pattern} || '%' OR c.content ILIKE '%' || ${pattern} || '%')`);
  }
  if (filter.phone) where.push(`(c.citizen ? 'phone' AND caller_phone_key(c.citizen->>'phone') = caller_phone_key(${bind(filter.phone)}))`);
  const sort = filter.sort ?? NEWEST_FIRST;
  const expression = SORT_EXPRESSIONS[sort.key];
  const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
  if (filter.cursor) where.push(`(${expression}, c.id) ${sort.direction === 'asc' ? '>' : '<'} (${bind(filter.cursor.value)}::timestamptz, ${bind(filter.cursor.id)}::uuid)`);
  const limit = bind(filter.limit + 1);
  const { rows } = await db.query(
    `SELECT ${CASE_COLUMNS}, ${positionOf(expression)} FROM ${CASE_FROM}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${expression} ${direction}, c.id ${direction} LIMIT ${limit}`,
    params,
  );
  return pageOf(rows, filter, sort);
}
