import { conflict, invalidState, notFound } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient, type Queryable } from '../../infra/db.js';

/** What an author writes: everything but the id, the version and the dates of the record. */
export interface ArticleContent {
  readonly title: string;
  readonly body: string;
  readonly keywords: readonly string[];
  readonly unitCode: string;
  /** Calendar dates (Asia/Shanghai), both ends included; no end: in force until changed. */
  readonly validFrom: string;
  readonly validTo: string | null;
}

/** An article of the knowledge base (知识库) as it stands now. */
export interface KnowledgeArticle extends ArticleContent {
  readonly id: string;
  readonly version: number;
  readonly unitName: string;
  readonly archived: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** One version of an article, kept for ever: what it said, who changed it, and how. */
export interface KnowledgeVersion extends ArticleContent {
  readonly version: number;
  readonly change: 'create' | 'update' | 'archive';
  readonly changedBy: string | null;
  readonly changedAt: Date;
}

interface ArticleRow {
  id: string;
  version: number;
  title: string;
  body: string;
  keywords: string[];
  unit_code: string;
  unit_name: string;
  valid_from: string;
  valid_to: string | null;
  archived_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

// Dates leave as text: a date column read into a JS Date would shift by the host's time zone.
const COLUMNS = `a.id, a.version, a.title, a.body, a.keywords, a.unit_code, u.name AS unit_name, a.valid_from::text AS valid_from,
  a.valid_to::text AS valid_to, a.archived_at, a.created_at, a.updated_at`;
const FROM = 'knowledge_articles a JOIN units u ON u.code = a.unit_code';

function toArticle(row: ArticleRow): KnowledgeArticle {
  return {
    id: row.id,
    version: row.version,
    title: row.title,
    body: row.body,
    keywords: row.keywords,
    unitCode: row.unit_code,
    unitName: row.unit_name,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    archived: row.archived_at !== null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Reads one article, archived or not. */
export async function findArticle(db: Queryable, id: string): Promise<KnowledgeArticle | undefined> {
  const { rows } = await db.query<ArticleRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1`, [id]);
  return rows[0] ? toArticle(rows[0]) : undefined;
}

/** Reads several articles by id, archived or not, in no particular order. */
export async function findArticles(db: Queryable, ids: readonly string[]): Promise<KnowledgeArticle[]> {
  const { rows } = await db.query<ArticleRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = ANY($1::uuid[])`, [ids]);
  return rows.map(toArticle);
}

/** Filters of the article list. */
export interface ArticleFilter {
  readonly unitCodes?: readonly string[];
  readonly archived: boolean;
  /** Only articles in force on this day. */
  readonly validOn?: string;
  readonly limit: number;
  readonly offset: number;
}

/** Lists articles, most recently changed first, with the total the filter matches. */
export async function listArticles(db: Queryable, filter: ArticleFilter): Promise<{ items: KnowledgeArticle[]; total: number }> {
  const { rows } = await db.query<ArticleRow & { total: number }>(
    `SELECT ${COLUMNS}, count(*) OVER ()::int AS total FROM ${FROM}
      WHERE ($1::text[] IS NULL OR a.unit_code = ANY($1)) AND (a.archived_at IS NOT NULL) = $2
        AND ($3::date IS NULL OR (a.valid_from <= $3 AND (a.valid_to IS NULL OR a.valid_to >= $3)))
      ORDER BY a.updated_at DESC, a.id LIMIT $4 OFFSET $5`,
    [filter.unitCodes ?? null, filter.archived, filter.validOn ?? null, filter.limit, filter.offset],
  );
  return { items: rows.map(toArticle), total: rows[0]?.total ?? 0 };
}

const VERSION_INSERT = `INSERT INTO knowledge_article_versions (article_id, version, change, title, body, keywords, unit_code, valid_from, valid_to, changed_by, changed_at)
  SELECT id, version, $2, title, body, keywords, unit_code, valid_from, valid_to, $3, updated_at FROM knowledge_articles WHERE id = $1`;

/** Creates an article and its first version in one transaction. */
export async function createArticle(pool: Pool, content: ArticleContent, actorId: string | null): Promise<KnowledgeArticle> {
  return withTransaction(pool, async (client) => {
    const id = await insertArticle(client, content, actorId, null);
    const created = id && (await findArticle(client, id));
    if (!created) throw new Error('the inserted article is missing');
    return created;
  });
}

/** Inserts an article with its first version; a seed key already used inserts nothing and returns null. */
export async function insertArticle(client: PoolClient, content: ArticleContent, actorId: string | null, seedKey: string | null): Promise<string | null> {
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO knowledge_articles (title, body, keywords, unit_code, valid_from, valid_to, seed_key, created_by, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (seed_key) DO NOTHING RETURNING id`,
    [content.title, content.body, content.keywords, content.unitCode, content.validFrom, content.validTo, seedKey, actorId],
  );
  const id = rows[0]?.id;
  if (!id) return null;
  await client.query(VERSION_INSERT, [id, 'create', actorId]);
  return id;
}

/** Locks an article for a change; refuses when it is archived or another version than expected. */
async function lockForChange(client: PoolClient, id: string, expectedVersion: number | undefined): Promise<KnowledgeArticle> {
  const { rows } = await client.query<ArticleRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
  const row = rows[0];
  if (!row) throw notFound('Article');
  if (expectedVersion !== undefined && expectedVersion !== row.version) {
    throw conflict(`The article changed (version ${row.version}, expected ${expectedVersion}); reload it`);
  }
  return toArticle(row);
}

/**
 * Changes an article: the new content becomes the next version, and the version before it stays
 * in the history. `authorize` sees the article as it was, under lock, and throws to refuse.
 */
export async function updateArticle(
  pool: Pool,
  id: string,
  content: ArticleContent,
  actorId: string | null,
  options: { expectedVersion?: number; authorize: (current: KnowledgeArticle) => void },
): Promise<KnowledgeArticle> {
  return withTransaction(pool, async (client) => {
    const current = await lockForChange(client, id, options.expectedVersion);
    options.authorize(current);
    if (current.archived) throw invalidState('The article is archived; its history can be read but it cannot be changed');
    await client.query(
      `UPDATE knowledge_articles SET title = $2, body = $3, keywords = $4, unit_code = $5, valid_from = $6, valid_to = $7,
              version = version + 1, revision = nextval('knowledge_revision_seq'), updated_at = clock_timestamp(), updated_by = $8
        WHERE id = $1`,
      [id, content.title, content.body, content.keywords, content.unitCode, content.validFrom, content.validTo, actorId],
    );
    await client.query(VERSION_INSERT, [id, 'update', actorId]);
    return (await findArticle(client, id)) ?? current;
  });
}

/**
 * Archives an article (DELETE): it leaves search and the list, and its history is kept whole.
 * Archiving an archived article again changes nothing, so a repeated request answers the same.
 */
export async function archiveArticle(pool: Pool, id: string, actorId: string | null, authorize: (current: KnowledgeArticle) => void): Promise<KnowledgeArticle> {
  return withTransaction(pool, async (client) => {
    const current = await lockForChange(client, id, undefined);
    authorize(current);
    if (current.archived) return current;
    await client.query(
      `UPDATE knowledge_articles SET archived_at = clock_timestamp(), version = version + 1, revision = nextval('knowledge_revision_seq'),
              updated_at = clock_timestamp(), updated_by = $2
        WHERE id = $1`,
      [id, actorId],
    );
    await client.query(VERSION_INSERT, [id, 'archive', actorId]);
    return (await findArticle(client, id)) ?? current;
  });
}

interface VersionRow {
  version: number;
  change: KnowledgeVersion['change'];
  title: string;
  body: string;
  keywords: string[];
  unit_code: string;
  valid_from: string;
  valid_to: string | null;
  changed_by: string | null;
  changed_at: Date;
}

/** Every version of an article, newest first. */
export async function listArticleVersions(db: Queryable, id: string): Promise<KnowledgeVersion[]> {
  const { rows } = await db.query<VersionRow>(
    `SELECT version, change, title, body, keywords, unit_code, valid_from::text AS valid_from, valid_to::text AS valid_to, changed_by, changed_at
       FROM knowledge_article_versions WHERE article_id = $1 ORDER BY version DESC`,
    [id],
  );
  return rows.map((r) => ({
    version: r.version,
    change: r.change,
    title: r.title,
    body: r.body,
    keywords: r.keywords,
    unitCode: r.unit_code,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    changedBy: r.changed_by,
    changedAt: r.changed_at,
  }));
}

/**
 * A fingerprint of the whole knowledge base that any committed write changes. Not the highest
 * revision alone: a transaction that drew a lower revision may commit after one that drew a
 * higher, and the sum of the revisions moves either way.
 */
export async function knowledgeRevision(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ revision: string }>(`SELECT count(*)::text || ':' || COALESCE(sum(revision), 0)::text AS revision FROM knowledge_articles`);
  return rows[0]?.revision ?? '0:0';
}

/**
 * The articles search can find (not archived), with the revision read before them: a write that
 * lands between the two reads changes the revision again, so the next search reads again.
 */
export async function loadSearchableArticles(db: Queryable): Promise<{ revision: string; articles: KnowledgeArticle[] }> {
  const revision = await knowledgeRevision(db);
  const { rows } = await db.query<ArticleRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.archived_at IS NULL`);
  return { revision, articles: rows.map(toArticle) };
}

/** Seeds the starter articles once: the first start that finds no flag inserts them. */
export async function seedArticlesOnce(pool: Pool, seeds: readonly (ArticleContent & { key: string })[]): Promise<number> {
  return withTransaction(pool, async (client) => {
    const flag = await client.query(`INSERT INTO system_flags (name) VALUES ('knowledge_seeded') ON CONFLICT DO NOTHING`);
    // The flag row's insert is the lock: a second process starting at once waits, then finds it set.
    if (flag.rowCount === 0) return 0;
    let inserted = 0;
    for (const seed of seeds) if (await insertArticle(client, seed, null, seed.key)) inserted += 1;
    return inserted;
  });
}
