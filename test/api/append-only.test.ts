import { expect } from 'chai';
import type { Pool } from '../../infra/db.js';
import { APPEND_ONLY_TABLES } from '../../models/db/application-role.js';
import { buildCase } from '../support/factories.js';
import { harness } from '../support/harness.js';

interface Refusal {
  readonly code?: string;
  readonly message: string;
}

/** Runs `sql` in a transaction that is always rolled back: a table that failed to refuse keeps its rows. */
async function attemptAndRollBack(pool: Pool, sql: string): Promise<Refusal | undefined> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    return await client.query(sql).then(
      () => undefined,
      (error: Refusal) => error,
    );
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

async function countRows(table: string): Promise<number> {
  const { rows } = await harness().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? -1;
}

describe('the append-only tables', () => {
  before(async () => {
    // At least one row in the timeline and the audit trail.
    await buildCase();
  });

  describe('as the application connects', () => {
    for (const table of APPEND_ONLY_TABLES) {
      it(`when ${table} is truncated, updated or deleted from, then PostgreSQL refuses each and no row goes`, async () => {
        const before = await countRows(table);
        const { rows: [column] } = await harness().pool.query<{ name: string }>(
          `SELECT column_name AS name FROM information_schema.columns
            WHERE table_name = $1 AND is_identity = 'NO' AND is_generated = 'NEVER' ORDER BY ordinal_position LIMIT 1`,
          [table],
        );
        const name = column?.name ?? 'missing_column';
        for (const sql of [`TRUNCATE ${table} CASCADE`, `UPDATE ${table} SET ${name} = ${name}`, `DELETE FROM ${table}`]) {
          const error = await attemptAndRollBack(harness().pool, sql);
          expect(error?.code, sql).to.equal('42501');
          expect(error?.message, sql).to.equal(`permission denied for table ${table}`);
        }
        expect(await countRows(table)).to.equal(before);
      });

      it(`when ${table}'s protecting triggers are disabled or dropped, then PostgreSQL refuses: the application owns no table`, async () => {
        for (const sql of [`ALTER TABLE ${table} DISABLE TRIGGER ALL`, `DROP TRIGGER ${table}_no_truncate ON ${table}`, `DROP TABLE ${table} CASCADE`]) {
          const error = await attemptAndRollBack(harness().pool, sql);
          expect(error?.code, sql).to.equal('42501');
          expect(error?.message, sql).to.match(new RegExp(`^must be owner of (table|relation) ${table}$`));
        }
      });
    }

    it('when the application tries to create a table or record a migration, then PostgreSQL refuses', async () => {
      expect((await attemptAndRollBack(harness().pool, 'CREATE TABLE sneaky (id int)'))?.code).to.equal('42501');
      expect((await attemptAndRollBack(harness().pool, "INSERT INTO schema_migrations (version, name) VALUES (999, 'sneaky')"))?.code).to.equal('42501');
    });
  });

  describe('as the schema owner', () => {
    // Tables no other table references: TRUNCATE … CASCADE of the timeline would also lock the
    // outbox, which the running workers write, and could deadlock instead of reaching the trigger.
    for (const table of APPEND_ONLY_TABLES.filter((t) => t !== 'case_events')) {
      it(`when ${table} is truncated, then its trigger refuses it and no row goes`, async () => {
        const before = await countRows(table);
        const error = await attemptAndRollBack(harness().ownerPool, `TRUNCATE ${table}`);
        expect(error?.code).to.equal('42501');
        expect(error?.message).to.contain(`${table} is append-only`);
        expect(await countRows(table)).to.equal(before);
      });
    }

    it('when a timeline row is updated or deleted, then its trigger refuses it', async () => {
      const last = 'id = (SELECT max(id) FROM case_events)';
      for (const sql of [`UPDATE case_events SET note = note WHERE ${last}`, `DELETE FROM case_events WHERE ${last}`]) {
        const error = await attemptAndRollBack(harness().ownerPool, sql);
        expect(error?.code, sql).to.equal('42501');
        expect(error?.message, sql).to.contain('case_events is append-only');
      }
    });
  });

  it('when a knowledge article is deleted or one of its versions changed, then PostgreSQL refuses it (archiving is the only way out)', async () => {
    // As the owner, so that the triggers themselves are what refuses.
    const owner = harness().ownerPool;
    expect((await attemptAndRollBack(owner, 'DELETE FROM knowledge_articles WHERE id = (SELECT min(id::text)::uuid FROM knowledge_articles)'))?.message).to.contain('knowledge_articles');
    expect((await attemptAndRollBack(owner, "UPDATE knowledge_article_versions SET body = '' WHERE version = 1"))?.message).to.contain('knowledge_article_versions is append-only');
  });
});
