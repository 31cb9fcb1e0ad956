import type { Pool, PoolClient } from '../../../infra/db.js';
import { buildKeywordIndex, findKeywords, normalizeText, segmenterFor } from '../../../routing-rules/segmenter.js';
import { caseText } from './similarity.js';
import { normalizeWatchTerms } from './terms.js';
import { idOf, insertCaseTerms, termIds } from './term-store.js';
import type { WatchList } from './watch-list.js';

/** Escapes LIKE's wildcards so that the term matches only itself. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Finds newly watched terms in the cases indexed before they were watched, so that a term's
 * previous period is counted like its current one (without this, every new watch term would look
 * like a sudden rise). A cheap ILIKE narrows the cases; jieba, knowing the whole watch list as
 * words, confirms each one as the indexer would have. Runs under the indexer's lock.
 */
export async function backfillWatchTerms(client: PoolClient, pool: Pool, list: WatchList): Promise<number> {
  const pending = list.terms.filter((t) => t.backfilledAt === null);
  if (pending.length === 0) return 0;
  const segmenter = segmenterFor(normalizeWatchTerms(list.terms.map((t) => t.term)));
  for (const { term } of pending) {
    const index = buildKeywordIndex([term]);
    const { ids } = await termIds(client, pool, [{ kind: 'word', term }]);
    const termId = idOf(ids, 'word', term);
    if (termId === undefined) continue;
    const { rows } = await client.query<{ case_id: string; title: string | null; content: string }>(
      `SELECT s.case_id, c.title, c.content
         FROM case_signatures s JOIN cases c ON c.id = s.case_id
        WHERE (c.content ILIKE $1 OR c.title ILIKE $1) AND NOT ($2 = ANY (s.terms))`,
      [likePattern(term), term],
    );
    const found = rows
      .filter((r) => findKeywords(segmenter.tokenize(normalizeText(caseText(r.title, r.content))), index).has(term))
      .map((r) => r.case_id);
    await insertCaseTerms(client, found.map((caseId) => ({ caseId, termId })));
    await client.query('UPDATE case_signatures SET terms = terms || $2::text WHERE case_id = ANY($1::uuid[])', [found, term]);
    await client.query('UPDATE hot_topic_watch_terms SET backfilled_at = now() WHERE term = $1', [term]);
  }
  return pending.length;
}
