import { withTransaction, type Pool, type PoolClient, type Queryable } from '../../../infra/db.js';
import { mapInSlices } from '../../../infra/time-slices.js';
import { findCallerDuplicates, recordDuplicates } from './duplicates.js';
import { callerKey, caseText } from './similarity.js';
import { createTermExtractor } from './terms.js';
import { countCaseDays, idOf, insertCaseTerms, termIds, type TermKind } from './term-store.js';
import { backfillWatchTerms } from './watch-backfill.js';
import { loadWatchList } from './watch-list.js';

/** What one indexing call did. */
export interface TermIndexReport {
  /** Cases taken off the queue by this call (0: nothing was waiting); a case queued twice is indexed once. */
  readonly indexed: number;
  readonly termRows: number;
  readonly duplicates: number;
  /** Watch-list terms searched for in the cases indexed before they were added. */
  readonly backfilledTerms: number;
}

// Every process that indexes takes turns on this lock (an arbitrary constant of this application),
// so batches never overlap and the daily counts are only ever added to by one writer at a time.
export const TERM_INDEX_LOCK_KEY = 7_301_234_500_007;

interface CaseRow {
  id: string;
  channel: string;
  title: string | null;
  content: string;
  category: string | null;
  phone: string | null;
  channel_user_id: string | null;
}

/** Takes the oldest queued cases off the queue (put back by a rollback if the batch fails). */
async function claimBatch(client: PoolClient, batchSize: number): Promise<CaseRow[]> {
  const { rows } = await client.query<CaseRow>(
    `WITH claimed AS (
       DELETE FROM term_index_queue WHERE id IN (SELECT id FROM term_index_queue ORDER BY id LIMIT $1)
       RETURNING id, case_id
     )
     SELECT c.id, c.channel, c.title, c.content, c.category, c.citizen->>'phone' AS phone, c.citizen->>'channelUserId' AS channel_user_id
       FROM claimed q JOIN cases c ON c.id = q.case_id
      ORDER BY q.id`,
    [batchSize],
  );
  return rows;
}

/**
 * Indexes up to `batchSize` cases waiting in the queue, oldest first: extracts their
 * terms with jieba, stores each case's signature, its (case, term) rows and the daily counts, and
 * flags likely duplicates of the same caller. One transaction; callers in several processes take
 * turns. Intake never waits for this: call it in a loop from a background worker (and directly in
 * tests). Before the batch, watch-list terms added since the last call are looked for in the cases
 * indexed before them.
 */
export async function indexNewCaseTerms(pool: Pool, batchSize = 500): Promise<TermIndexReport> {
  let commitIds = (): void => undefined;
  const report = await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [TERM_INDEX_LOCK_KEY]);
    const watchList = await loadWatchList(client);
    const watchTerms = watchList.terms.map((t) => t.term);
    const backfilledTerms = await backfillWatchTerms(client, pool, watchList);
    const cases = await claimBatch(client, batchSize);
    if (cases.length === 0) return { indexed: 0, termRows: 0, duplicates: 0, backfilledTerms };

    const extractor = createTermExtractor(watchTerms);
    // Segmenting a batch takes tens of milliseconds; the API's requests in the same process get turns meanwhile.
    const indexed = await mapInSlices(cases, (c) => ({
      row: c,
      terms: extractor.extract(c.title, c.content),
      caller: callerKey(c.channel, { phone: c.phone ?? undefined, channelUserId: c.channel_user_id ?? undefined }),
    }));
    const { rows: signed } = await client.query<{ case_id: string }>(
      `INSERT INTO case_signatures (case_id, received_at, division_code, category, caller, terms)
       SELECT c.id, c.received_at, c.division_code, c.category, x.caller, string_to_array(x.terms, E'\\x1f')
         FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, caller, terms) JOIN cases c ON c.id = x.id
       ON CONFLICT (case_id) DO NOTHING
       RETURNING case_id`,
      [indexed.map((c) => c.row.id), indexed.map((c) => c.caller), indexed.map((c) => c.terms.join('\x1f'))],
    );
    // A case queued twice (an import retried) is indexed once: only the signatures just written count.
    const fresh = new Set(signed.map((r) => r.case_id));
    const written = indexed.filter((c) => fresh.has(c.row.id));
    await countCaseDays(client, [...fresh]);
    const wanted: { kind: TermKind; term: string }[] = written.flatMap((c) => [
      ...c.terms.map((term) => ({ kind: 'word' as const, term })),
      ...(c.row.category ? [{ kind: 'category' as const, term: c.row.category }] : []),
    ]);
    const dictionary = await termIds(client, pool, wanted);
    commitIds = dictionary.commit;
    const termRows = written.flatMap((c) =>
      [...c.terms.map((t) => idOf(dictionary.ids, 'word', t)), c.row.category ? idOf(dictionary.ids, 'category', c.row.category) : undefined]
        .filter((id): id is number => id !== undefined)
        .map((termId) => ({ caseId: c.row.id, termId })),
    );
    await insertCaseTerms(client, termRows);

    const probes = written.flatMap((c) => (c.caller ? [{ caseId: c.row.id, caller: c.caller, text: caseText(c.row.title, c.row.content) }] : []));
    const duplicates = await recordDuplicates(client, await findCallerDuplicates(client, probes));

    return { indexed: cases.length, termRows: termRows.length, duplicates, backfilledTerms };
  });
  commitIds();
  return report;
}

/** How many cases wait for the indexer. */
export async function pendingCaseCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM term_index_queue');
  return rows[0]?.n ?? 0;
}
