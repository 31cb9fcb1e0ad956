import type { Pool, Queryable } from '../../../infra/db.js';

/** What a term id stands for. */
export type TermKind = 'word' | 'category';

const key = (kind: TermKind, term: string): string => `${kind}\u0000${term}`;

// Ids never change once given, so each process keeps those it has seen, per database (pool).
const known = new WeakMap<Pool, Map<string, number>>();

/**
 * Ids of terms in the dictionary, adding the missing ones. Ids read inside a transaction that may
 * still roll back are handed to `commit` and only cached once the caller has committed.
 */
export async function termIds(db: Queryable, pool: Pool, terms: readonly { readonly kind: TermKind; readonly term: string }[]): Promise<{ ids: Map<string, number>; commit: () => void }> {
  const cache = known.get(pool) ?? new Map<string, number>();
  known.set(pool, cache);
  const ids = new Map<string, number>();
  const missing = new Map<string, { kind: TermKind; term: string }>();
  for (const t of terms) {
    const k = key(t.kind, t.term);
    const id = cache.get(k);
    if (id === undefined) missing.set(k, t);
    else ids.set(k, id);
  }
  const fresh = new Map<string, number>();
  if (missing.size > 0) {
    const kinds = [...missing.values()].map((t) => t.kind);
    const words = [...missing.values()].map((t) => t.term);
    await db.query('INSERT INTO topic_terms (kind, term) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [kinds, words]);
    const { rows } = await db.query<{ id: number; kind: TermKind; term: string }>(
      'SELECT t.id, t.kind, t.term FROM topic_terms t JOIN unnest($1::text[], $2::text[]) AS x(kind, term) ON x.kind = t.kind AND x.term = t.term',
      [kinds, words],
    );
    for (const r of rows) fresh.set(key(r.kind, r.term), r.id);
  }
  for (const [k, id] of fresh) ids.set(k, id);
  return { ids, commit: () => fresh.forEach((id, k) => cache.set(k, id)) };
}

/** The id of a term looked up in a map from termIds. */
export function idOf(ids: ReadonlyMap<string, number>, kind: TermKind, term: string): number | undefined {
  return ids.get(key(kind, term));
}

/** Ids of words already in the dictionary (none are added). */
export async function existingWordIds(db: Queryable, words: readonly string[]): Promise<Map<string, number>> {
  if (words.length === 0) return new Map();
  const { rows } = await db.query<{ id: number; term: string }>(`SELECT id, term FROM topic_terms WHERE kind = 'word' AND term = ANY($1::text[])`, [words]);
  return new Map(rows.map((r) => [r.term, r.id]));
}

const DAY = `(received_at AT TIME ZONE 'Asia/Shanghai')::date`;
const MONTH = `date_trunc('month', received_at AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * Adds (case, term) rows, with the case's receipt time and division copied from its signature,
 * and adds them to the daily, monthly and monthly-per-division counts. Callers write each (case,
 * term) once: the indexer only for the signatures it has just inserted, the backfill only where
 * the signature lacks the term. Only one transaction writes at a time (the indexer's lock), so
 * the upserts never wait on one another.
 */
export async function insertCaseTerms(db: Queryable, rows: readonly { readonly caseId: string; readonly termId: number }[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query(
    `WITH inserted AS (
       INSERT INTO case_terms (case_id, term_id, received_at, division_code)
       SELECT x.case_id, x.term_id, s.received_at, s.division_code
         FROM unnest($1::uuid[], $2::int[]) AS x(case_id, term_id) JOIN case_signatures s ON s.case_id = x.case_id
       RETURNING term_id, received_at, division_code
     ), days AS (
       INSERT INTO term_days (day, term_id, cases)
       SELECT ${DAY}, term_id, count(*) FROM inserted GROUP BY 1, 2
       ON CONFLICT (day, term_id) DO UPDATE SET cases = term_days.cases + EXCLUDED.cases
     ), months AS (
       INSERT INTO term_months (month, term_id, cases)
       SELECT ${MONTH}, term_id, count(*) FROM inserted GROUP BY 1, 2
       ON CONFLICT (month, term_id) DO UPDATE SET cases = term_months.cases + EXCLUDED.cases
     )
     INSERT INTO term_division_months (term_id, month, division_code, cases)
     SELECT term_id, ${MONTH}, division_code, count(*) FROM inserted WHERE division_code IS NOT NULL GROUP BY 1, 2, 3
     ON CONFLICT (term_id, month, division_code) DO UPDATE SET cases = term_division_months.cases + EXCLUDED.cases`,
    [rows.map((r) => r.caseId), rows.map((r) => r.termId)],
  );
}

/** Adds cases just given a signature to the daily totals. */
export async function countCaseDays(db: Queryable, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await db.query(
    `INSERT INTO case_days (day, division_code, cases)
     SELECT ${DAY}, coalesce(division_code, ''), count(*) FROM case_signatures WHERE case_id = ANY($1::uuid[]) GROUP BY 1, 2
     ON CONFLICT (day, division_code) DO UPDATE SET cases = case_days.cases + EXCLUDED.cases`,
    [caseIds],
  );
}
