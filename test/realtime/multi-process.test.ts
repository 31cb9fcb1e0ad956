import { expect } from 'chai';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createPool, type Pool } from '../../infra/db.js';
import { loadUnitDirectory } from '../../models/org/unit-directory.js';
import type { PublicCaseEvent, StaffCaseEvent } from '../../realtime/events.js';
import { publishOutboxBatch, type BatchReport } from '../../realtime/outbox-relay.js';
import { createPublisher } from '../../realtime/cluster.js';
import { start, type RunningServer } from '../../server.js';
import { buildCase, createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { act, closeAllSockets, collect, connect, eventIds, sleep, track, waitFor, waitForPublished } from './sockets.js';

const TANYI = '371325105';
const log = pino({ level: 'silent' });

/** Appends `count` public timeline events to a case as the models do: each under the case row's lock. */
async function appendEvents(pool: Pool, caseId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
      await client.query(
        `WITH e AS (
           INSERT INTO case_events (case_id, action, from_status, to_status, actor_role, unit_code, note, public)
           VALUES ($1, 'note', 'in_progress', 'in_progress', 'system', $2, $3, true) RETURNING id, case_id
         )
         INSERT INTO outbox (case_id, event_id, topic, payload) SELECT case_id, id, 'case.note', jsonb_build_object('caseId', case_id, 'eventId', id) FROM e`,
        [caseId, TANYI, `进展 ${i}`],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
}

describe('several API processes behind the Redis Streams adapter', function () {
  this.timeout(60_000);
  let second: RunningServer;

  before(async () => {
    const { databaseUrl, redisUrl, jwtSecret } = harness();
    second = await start({ databaseUrl, redisUrl, jwtSecret, port: 0, host: '127.0.0.1', log });
  });
  after(async () => {
    await second.stop();
  });
  afterEach(closeAllSockets);

  it('when an action is published, then a citizen and a supervisor on each process receive it exactly once', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    const supervisor = await createStaff('supervisor');
    await waitForPublished(record.id);
    const sockets = [await connect(), await connect({ url: second.url })];
    const staff = [await connect({ token: supervisor.token }), await connect({ token: supervisor.token, url: second.url })];
    const citizenUpdates = sockets.map((s) => collect(s, 'case:update') as PublicCaseEvent[]);
    const staffUpdates = staff.map((s) => collect(s, 'case:update') as StaffCaseEvent[]);
    for (const socket of sockets) expect((await track(socket, { caseNo: record.caseNo, code: record.queryCode })).ok).to.equal(true);

    await act(record.id, handler.token, { action: 'accept' });
    await waitFor(() => [...citizenUpdates, ...staffUpdates].every((u) => u.length >= 1), 5_000, 'every socket to hear the accept');
    // Long enough for a second copy from the other process to arrive, were there one.
    await sleep(400);

    expect(citizenUpdates.map((u) => u.map((e) => e.event.action))).to.deep.equal([['accept'], ['accept']]);
    expect(staffUpdates.map((u) => u.filter((e) => e.caseId === record.id).map((e) => e.event.action))).to.deep.equal([['accept'], ['accept']]);
  });

  it('when four relays race over many events of one case, then every socket sees each event once, in ascending order, with no gap', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    await act(record.id, handler.token, { action: 'accept' });
    await waitForPublished(record.id);
    const sockets = [await connect(), await connect({ url: second.url })];
    const staffSockets = [await connect({ token: handler.token }), await connect({ token: handler.token, url: second.url })];
    const updates = sockets.map((s) => collect(s, 'case:update') as PublicCaseEvent[]);
    const staffUpdates = staffSockets.map((s) => collect(s, 'case:update') as StaffCaseEvent[]);
    for (const socket of sockets) expect((await track(socket, { caseNo: record.caseNo, code: record.queryCode })).ok).to.equal(true);
    const before = (await eventIds(record.id, true)).at(-1) ?? 0;

    // Two more relays, as a third process would run them, with tiny batches and no pause: many claims, many splits of the case.
    const { databaseUrl, redisUrl } = harness();
    const pool = createPool(databaseUrl, 6);
    const redis = new Redis(redisUrl, { lazyConnect: true, connectionName: 'test-relay' });
    await redis.connect();
    const units = await loadUnitDirectory(pool);
    const publisher = createPublisher(redis);
    const reports: BatchReport[] = [];
    let writing = true;
    const race = async (): Promise<void> => {
      while (writing) reports.push(await publishOutboxBatch({ pool, publisher, units }, 2));
    };
    try {
      const relays = [race(), race()];
      await Promise.all([appendEvents(pool, record.id, 50), appendEvents(pool, record.id, 50), appendEvents(pool, record.id, 50)]);
      await waitForPublished(record.id);
      writing = false;
      await Promise.all(relays);
      await sleep(300);
    } finally {
      await publisher.close();
      await redis.quit();
      await pool.end();
    }

    const expected = (await eventIds(record.id, true)).filter((id) => id > before);
    expect(expected).to.have.length(150);
    [...updates, ...staffUpdates].forEach((received, i) => expect(received.map((u) => Number(u.event.id)), `socket ${i}`).to.deep.equal(expected));
    // The test raced for real: some batches found the case held by another relay.
    expect(reports.reduce((n, r) => n + r.busyCases, 0)).to.be.greaterThan(0);
  });
});
