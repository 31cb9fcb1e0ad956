import { expect } from 'chai';
import { buildCase } from '../support/factories.js';
import { harness } from '../support/harness.js';

const APPEND_ONLY = ['case_events', 'routing_rule_revisions', 'audit_log', 'ranking_weight_sets'] as const;

/** Runs `sql` in a transaction that is always rolled back: a table that failed to refuse keeps its rows. */
async function attemptAndRollBack(sql: string): Promise<{ code?: string; message: string } | undefined> {
  const client = await harness().pool.connect();
  try {
    await client.query('BEGIN');
    return await client.query(sql).then(
      () => undefined,
      (error: { code?: string; message: string }) => error,
    );
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

describe('the append-only tables', () => {
  before(async () => {
    // At least one row in the timeline and the audit trail.
    await buildCase();
  });

  for (const table of APPEND_ONLY) {
    it(`when ${table} is truncated, then PostgreSQL refuses it and no row goes`, async () => {
      const { rows: before } = await harness().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);

      const error = await attemptAndRollBack(`TRUNCATE ${table} CASCADE`);

      expect(error?.code).to.equal('42501');
      expect(error?.message).to.contain(`${table} is append-only`);
      const { rows: after } = await harness().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(after[0]?.n).to.equal(before[0]?.n);
    });
  }

  it('when a timeline row is updated or deleted, then PostgreSQL refuses it', async () => {
    expect((await attemptAndRollBack('UPDATE case_events SET note = note WHERE id = (SELECT max(id) FROM case_events)'))?.code).to.equal('42501');
    expect((await attemptAndRollBack('DELETE FROM case_events WHERE id = (SELECT max(id) FROM case_events)'))?.code).to.equal('42501');
  });
});
