import crypto from 'node:crypto';
import { expect } from 'chai';
import { intakeBody } from '../support/factories.js';
import { eventually } from '../support/deadline-cases.js';
import { call, killApiProcess, operatorToken, startApiProcess, startIntakeLoad, startOwnServices, waitUntilReady, type ApiProcess, type IntakeOutcome, type OwnServices } from '../support/own-services.js';
import { OUTBOX_HANDLED_SQL } from '../../models/outbox.js';

/** Waits until the load has at least `n` outcomes from index `from` on matching `match`. */
async function outcomesReach(outcomes: readonly IntakeOutcome[], from: number, match: (o: IntakeOutcome) => boolean, n: number, what: string): Promise<void> {
  await eventually(async () => (outcomes.slice(from).filter(match).length >= n ? true : undefined), 60_000, what).catch((error: Error) => {
    const seen = outcomes.slice(from).map((o) => `${o.answer.status} ${o.answer.failure ?? o.answer.body.error?.code ?? ''}`);
    throw new Error(`${error.message}; answers since: ${JSON.stringify(seen.slice(0, 20))}`);
  });
}

/** Every answer is a committed 201 or a clean 503 in the error format; nothing hung or failed otherwise. */
function expectCleanAnswers(outcomes: readonly IntakeOutcome[]): void {
  const unclean = outcomes.filter(({ answer }) => !(answer.status === 201 || (answer.status === 503 && typeof answer.body.error?.code === 'string' && typeof answer.body.error?.message === 'string')));
  expect(unclean.slice(0, 5).map((o) => o.answer)).to.deep.equal([]);
}

/** Every 201 of the load names a case that is in the database under its key. */
async function expectCommitted(services: OwnServices, outcomes: readonly IntakeOutcome[]): Promise<string[]> {
  const created = outcomes.filter((o) => o.answer.status === 201);
  const { rows } = await services.pool.query<{ id: string; idempotency_key: string }>('SELECT id, idempotency_key FROM cases WHERE idempotency_key = ANY($1::text[])', [created.map((o) => o.key)]);
  expect(rows.map((r) => r.id).sort()).to.deep.equal(created.map((o) => String(o.answer.body.id)).sort());
  return rows.map((r) => r.id);
}

describe('faults of PostgreSQL, Redis and the API process under load', function () {
  this.timeout(300_000);
  let services: OwnServices;
  let api: ApiProcess;

  // One set of services for the three tests: each leaves them running, as it found them.
  before(async () => {
    services = await startOwnServices();
    api = await startApiProcess(services);
  });
  after(async () => {
    // Either may be missing when the before hook failed half-way.
    if (api as ApiProcess | undefined) await killApiProcess(api);
    if (services as OwnServices | undefined) await services.stop();
  });

  /**
   * Runs intake load through a stop and a restart of a service: 10 intakes before, `down` answers
   * while it is away (readyz then says not ready), 10 intakes after. Returns every answer.
   */
  async function restartUnderLoad(service: { stop(): Promise<void>; start(): Promise<void> }, down: { match: (o: IntakeOutcome) => boolean; what: string }): Promise<IntakeOutcome[]> {
    const token = await operatorToken(api.url);
    const load = startIntakeLoad(api.url, token);
    try {
      await outcomesReach(load.outcomes, 0, (o) => o.answer.status === 201, 10, 'intakes before the stop');
      await service.stop();
      await outcomesReach(load.outcomes, load.outcomes.length, down.match, 10, down.what);
      const ready = await call(api.url, 'GET', '/readyz');
      expect([ready.status, ready.body.status]).to.deep.equal([503, 'not_ready']);
      await service.start();
      await waitUntilReady(api, 60_000);
      await outcomesReach(load.outcomes, load.outcomes.length, (o) => o.answer.status === 201, 10, 'intakes after the restart');
    } finally {
      await load.stop();
    }
    expect(api.child.exitCode, api.output()).to.equal(null);
    expectCleanAnswers(load.outcomes);
    return load.outcomes;
  }

  it('when PostgreSQL stops and comes back under load, then requests get 503 meanwhile, every 201 was committed, and the API recovers by itself', async () => {
    const outcomes = await restartUnderLoad(
      { stop: () => services.stopPostgres(), start: () => services.startPostgres() },
      { match: (o) => o.answer.status === 503, what: '503s while PostgreSQL is down' },
    );
    await expectCommitted(services, outcomes);
  });

  it('when Redis restarts under load, then intake answers 201 or a clean 503, and every committed case is published and scheduled once Redis is back', async () => {
    const outcomes = await restartUnderLoad(
      { stop: () => services.stopRedis(), start: () => services.startRedis() },
      { match: () => true, what: 'answers while Redis is down' },
    );
    const caseIds = await expectCommitted(services, outcomes);
    await eventually(async () => {
      const { rows } = await services.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE case_id = ANY($1::uuid[]) AND NOT (${OUTBOX_HANDLED_SQL})`,
        [caseIds],
      );
      return rows[0]?.n === 0 ? true : undefined;
    }, 60_000, 'every outbox row of the committed cases to be published and scheduled');
  });

  it('when the API process is killed in the middle of an intake, then the same request retried with its Idempotency-Key against a new process leaves exactly one case', async () => {
    const token = await operatorToken(api.url);
    const key = crypto.randomUUID();
    const body = intakeBody();
    const send = (url: string) => call(url, 'POST', '/api/cases', { token, body, headers: { 'Idempotency-Key': key } });
    // Holding this lock stops the intake's statement inside PostgreSQL, where the kill lands.
    const blocker = await services.pool.connect();
    let cut: Promise<unknown>;
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE case_events IN SHARE MODE');
      cut = send(api.url).then(
        (answer) => answer,
        (error: Error) => error,
      );
      await eventually(async () => {
        const { rows } = await services.pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO cases%'`);
        return rows.length > 0 ? true : undefined;
      }, 60_000, 'the intake to wait inside PostgreSQL');
      await killApiProcess(api);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    expect(await cut).to.be.an('error');
    // The statement of the dead process runs to its end on its own: wait until it has.
    await eventually(async () => {
      const { rows } = await services.pool.query(`SELECT 1 FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%INSERT INTO cases%' AND pid <> pg_backend_pid()`);
      return rows.length === 0 ? true : undefined;
    }, 60_000, 'the orphaned intake statement to finish');

    api = await startApiProcess(services);
    const retried = await send(api.url);
    expect(retried.status).to.be.oneOf([200, 201]);
    const { rows } = await services.pool.query<{ id: string }>('SELECT id FROM cases WHERE idempotency_key = $1', [key]);
    expect(rows.map((r) => r.id)).to.deep.equal([retried.body.id]);
    expect((await send(api.url)).body.id).to.equal(retried.body.id);
    await eventually(async () => {
      const { rows: waiting } = await services.pool.query(`SELECT 1 FROM outbox WHERE case_id = $1 AND published_at IS NULL`, [retried.body.id]);
      return waiting.length === 0 ? true : undefined;
    }, 60_000, "the case's outbox rows to be published by the new process");
  });
});
