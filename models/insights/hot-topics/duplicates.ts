import type { Queryable } from '../../../infra/db.js';
import type { Period } from './periods.js';
import { caseText, DUPLICATE_SIMILARITY, DUPLICATE_WINDOW_DAYS, textSimilarity } from './similarity.js';

/** A case to check against the caller's other cases. */
export interface DuplicateProbe {
  readonly caseId: string;
  readonly caller: string;
  readonly text: string;
}

/** Two cases of one caller with near-identical text: `caseId` received after `duplicateOf`. */
export interface DuplicatePair {
  readonly caseId: string;
  readonly duplicateOf: string;
  readonly similarity: number;
}

// A caller's cases compared with each new one: the nearest in time first. A number shared by a
// whole office could otherwise make one batch compare thousands of texts.
const MAX_COMPARED = 20;

/**
 * The likely duplicates of the probes among indexed cases: same caller, received within
 * DUPLICATE_WINDOW_DAYS of each other, text similarity at least DUPLICATE_SIMILARITY.
 */
export async function findCallerDuplicates(db: Queryable, probes: readonly DuplicateProbe[]): Promise<DuplicatePair[]> {
  if (probes.length === 0) return [];
  const { rows } = await db.query<{ probe_id: string; other_id: string; probe_is_later: boolean; title: string | null; content: string }>(
    `SELECT p.case_id AS probe_id, o.case_id AS other_id, o.probe_is_later, c.title, c.content
       FROM unnest($1::uuid[], $2::text[]) AS p(case_id, caller)
       JOIN cases pc ON pc.id = p.case_id
      CROSS JOIN LATERAL (
        SELECT s.case_id, (pc.received_at, pc.id) > (s.received_at, s.case_id) AS probe_is_later
          FROM case_signatures s
         WHERE s.caller = p.caller AND s.case_id <> p.case_id
           AND s.received_at >= pc.received_at - make_interval(days => $3)
           AND s.received_at <= pc.received_at + make_interval(days => $3)
         ORDER BY abs(extract(epoch FROM s.received_at - pc.received_at))
         LIMIT $4) o
       JOIN cases c ON c.id = o.case_id`,
    [probes.map((p) => p.caseId), probes.map((p) => p.caller), DUPLICATE_WINDOW_DAYS, MAX_COMPARED],
  );
  const texts = new Map(probes.map((p) => [p.caseId, p.text]));
  const pairs = new Map<string, DuplicatePair>();
  for (const row of rows) {
    const similarity = textSimilarity(texts.get(row.probe_id) ?? '', caseText(row.title, row.content));
    if (similarity < DUPLICATE_SIMILARITY) continue;
    const [later, earlier] = row.probe_is_later ? [row.probe_id, row.other_id] : [row.other_id, row.probe_id];
    pairs.set(`${later}/${earlier}`, { caseId: later, duplicateOf: earlier, similarity });
  }
  return [...pairs.values()];
}

/** Stores pairs found by the indexer; a pair already stored stays as first detected. */
export async function recordDuplicates(db: Queryable, pairs: readonly DuplicatePair[]): Promise<number> {
  if (pairs.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO case_duplicates (case_id, duplicate_of, received_at, similarity)
     SELECT x.case_id, x.duplicate_of, c.received_at, x.similarity
       FROM unnest($1::uuid[], $2::uuid[], $3::float8[]) AS x(case_id, duplicate_of, similarity)
       JOIN cases c ON c.id = x.case_id
     ON CONFLICT DO NOTHING`,
    [pairs.map((p) => p.caseId), pairs.map((p) => p.duplicateOf), pairs.map((p) => p.similarity)],
  );
  return rowCount ?? 0;
}

/** A case as a duplicate listing shows it. */
export interface DuplicateCaseRef {
  readonly id: string;
  readonly caseNo: string;
  readonly title: string | null;
  readonly status: string;
  readonly receivedAt: Date;
}

/** The stored duplicates of one case, either side of the pair. */
export async function storedDuplicatesOf(db: Queryable, caseId: string): Promise<(DuplicatePair & { readonly detectedAt: Date })[]> {
  const { rows } = await db.query<{ case_id: string; duplicate_of: string; similarity: number; detected_at: Date }>(
    `SELECT case_id, duplicate_of, similarity, detected_at FROM case_duplicates WHERE case_id = $1
     UNION ALL
     SELECT case_id, duplicate_of, similarity, detected_at FROM case_duplicates WHERE duplicate_of = $1`,
    [caseId],
  );
  return rows.map((r) => ({ caseId: r.case_id, duplicateOf: r.duplicate_of, similarity: r.similarity, detectedAt: r.detected_at }));
}

/** Whether the indexer has seen the case yet. */
export async function isIndexed(db: Queryable, caseId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM case_signatures WHERE case_id = $1', [caseId]);
  return (rowCount ?? 0) > 0;
}

/** A stored pair with both cases, for the centre's merge list. */
export interface DuplicateListing {
  readonly case: DuplicateCaseRef;
  readonly duplicateOf: DuplicateCaseRef;
  readonly similarity: number;
  readonly detectedAt: Date;
}

interface PairRow {
  similarity: number;
  detected_at: Date;
  a: DuplicateCaseRef;
  b: DuplicateCaseRef;
}

/** Pairs whose later case was received in the period (and, with a prefix, lies in that division), newest first. */
export async function listDuplicatePairs(db: Queryable, period: Period, options: { readonly divisionPrefix?: string; readonly limit: number }): Promise<DuplicateListing[]> {
  const ref = (t: string): string =>
    `json_build_object('id', ${t}.id, 'caseNo', ${t}.case_no, 'title', ${t}.title, 'status', ${t}.status, 'receivedAt', ${t}.received_at)`;
  const { rows } = await db.query<PairRow>(
    `SELECT d.similarity, d.detected_at, ${ref('a')} AS a, ${ref('b')} AS b
       FROM case_duplicates d JOIN cases a ON a.id = d.case_id JOIN cases b ON b.id = d.duplicate_of
      WHERE d.received_at >= $1 AND d.received_at < $2 AND ($3::text IS NULL OR a.division_code LIKE $3 || '%')
      ORDER BY d.received_at DESC, d.case_id
      LIMIT $4`,
    [period.from, period.to, options.divisionPrefix ?? null, options.limit],
  );
  // json_build_object gives the time as text: back to a Date like every other model value.
  const revive = (c: DuplicateCaseRef): DuplicateCaseRef => ({ ...c, receivedAt: new Date(c.receivedAt) });
  return rows.map((r) => ({ case: revive(r.a), duplicateOf: revive(r.b), similarity: r.similarity, detectedAt: r.detected_at }));
}
