import { expect } from 'chai';
import { OUTBOX_HANDLED_SQL, pruneOutbox } from '../../models/db/outbox.js';
import { eventually } from '../support/deadline-cases.js';
import { buildCase } from '../support/factories.js';
import { harness } from '../support/harness.js';

async function outboxRows(caseId: string): Promise<{ handled: boolean }[]> {
  const { rows } = await harness().pool.query<{ handled: boolean }>(
    `SELECT (${OUTBOX_HANDLED_SQL}) AS handled FROM outbox WHERE case_id = $1`,
    [caseId],
  );
  return rows;
}

async function handledRows(caseId: string): Promise<number> {
  return eventually(async () => {
    const rows = await outboxRows(caseId);
    return rows.length > 0 && rows.every((r) => r.handled) ? rows.length : undefined;
  }, 10_000, 'every consumer to handle the outbox rows');
}

describe('outbox pruning', () => {
  it('when every consumer handled a row, then it is kept for the retention and deleted after it, with the case and its timeline untouched', async () => {
    const c = await buildCase();
    const count = await handledRows(c.id);
    expect(count).to.be.greaterThan(0);

    await pruneOutbox(harness().pool, 1, 100_000);
    expect(await outboxRows(c.id)).to.have.length(count);

    // A retention of zero makes every handled row old enough.
    await pruneOutbox(harness().pool, 0, 100_000);
    expect(await outboxRows(c.id)).to.have.length(0);
    const { rows } = await harness().pool.query('SELECT count(*)::int AS n FROM case_events WHERE case_id = $1', [c.id]);
    expect(rows[0].n).to.be.greaterThan(0);
  });
});
