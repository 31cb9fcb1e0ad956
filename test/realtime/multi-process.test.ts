import { expect } from 'chai';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createPool } from '../../infra/db.js';
import { loadUnitDirectory } from '../../models/org/unit-directory.js';
import type { PublicCaseEvent, StaffCaseEvent } from '../../realtime/events.js';
import { publishOutboxBatch, type BatchReport } from '../../realtime/outbox-relay.js';
import { createPublisher } from '../../realtime/cluster.js';
import { start, type RunningServer } from '../../server.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { act, closeAllSockets, collect, connect, eventIds, markCase, track, waitForMark, waitForPublished } from './sockets.js';

const TANYI = '371325105';
const log = pino({ level: 'silent' });

/** Supervises a case `count` times through the API, one action after another: a public timeline event each. */
async function appendEvents(supervisor: Staff, caseId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await act(caseId, supervisor.token, { action: 'supervise', note: `请加快办理 ${i}` });
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
    // The marker: a later event of the case. A second copy of the accept, from either process or
    // from a second emit of its row, would be in the stream before it: the relay emits the
    // marker's row only after the accept's is published, and each process delivers the stream in order.
    const mark = await markCase(record.id);
    for (const [i, received] of [...citizenUpdates, ...staffUpdates].entries()) await waitForMark(received, mark, `the marker at socket ${i}`);

    expect(citizenUpdates.map((u) => u.map((e) => e.event.action))).to.deep.equal([['accept', 'supervise'], ['accept', 'supervise']]);
    expect(staffUpdates.map((u) => u.filter((e) => e.caseId === record.id).map((e) => e.event.action))).to.deep.equal([['accept', 'supervise'], ['accept', 'supervise']]);
  });

  it('when four relays race over many events of one case, then every socket sees each event once, in ascending order, with no gap', async () => {
    const record = await buildCase();
    const handler = await createStaff('handler', TANYI);
    const supervisors = await Promise.all([createStaff('supervisor'), createStaff('supervisor'), createStaff('supervisor')]);
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
      await Promise.all(supervisors.map((supervisor) => appendEvents(supervisor, record.id, 50)));
      await waitForPublished(record.id);
      writing = false;
      await Promise.all(relays);
    } finally {
      await publisher.close();
      await redis.quit();
      await pool.end();
    }

    // The marker, after every raced event: once a socket hears it, it heard all it ever will of them.
    const mark = await markCase(record.id);
    for (const [i, received] of [...updates, ...staffUpdates].entries()) await waitForMark(received, mark, `the marker at socket ${i}`);

    const expected = (await eventIds(record.id, true)).filter((id) => id > before && id !== mark);
    expect(expected).to.have.length(150);
    [...updates, ...staffUpdates].forEach((received, i) => expect(received.map((u) => Number(u.event.id)), `socket ${i}`).to.deep.equal([...expected, mark]));
    // The test raced for real: some batches found the case held by another relay.
    expect(reports.reduce((n, r) => n + r.busyCases, 0)).to.be.greaterThan(0);
  });
});
