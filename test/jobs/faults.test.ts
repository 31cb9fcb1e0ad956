import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createDeadlineQueue, deadlineJobId, scheduleDeadlineJobs, type DeadlineQueue } from '../../jobs/deadline.queue.js';
import { pendingDeadlineJobs, type DeadlineJobRef } from '../../models/time-limits/deadline-effects.js';
import { countByEffect, deadlineEvents, eventually, insertDeadlineCase, insertDeadlineCases } from '../support/deadline-cases.js';
import { harness } from '../support/harness.js';

/** A worker started as its own OS process, as `npm run worker` runs it. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

// Each test gets a Redis database of its own: its queue is seen only by the worker processes it
// starts, never by the harness's in-process worker, and flushing it touches nothing else.
function redisDb(index: number): string {
  const url = new URL(harness().redisUrl);
  url.pathname = `/${index}`;
  return url.toString();
}

function spawnWorker(redisUrl: string): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    env: { ...process.env, DATABASE_URL: harness().databaseUrl, REDIS_URL: redisUrl, JWT_SECRET: harness().jwtSecret, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function reconciled(worker: WorkerProcess): Promise<void> {
  await eventually(async () => {
    if (worker.child.exitCode !== null) throw new Error(`the worker exited: ${worker.output()}`);
    return worker.output().includes('deadline queue reconciled with the database') ? true : undefined;
  }, 20_000, 'the worker to reconcile');
}

async function stopGracefully(worker: WorkerProcess): Promise<number | null> {
  worker.child.kill('SIGTERM');
  return worker.exited;
}

/** Waits until every case has its warning, overdue and escalation, then checks each happened exactly once. */
async function expectEachEffectOnce(caseIds: readonly string[]): Promise<void> {
  const { pool } = harness();
  const events = await eventually(async () => {
    const found = await deadlineEvents(pool, caseIds);
    return found.length >= caseIds.length * 3 ? found : undefined;
  }, 20_000, 'every warning, overdue and escalation');
  const counts = countByEffect(events);
  expect(counts.size).to.equal(caseIds.length * 3);
  expect([...counts.entries()].filter(([, n]) => n !== 1)).to.deep.equal([]);
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND reply_warned_at IS NOT NULL AND reply_overdue_at IS NOT NULL AND escalated_to = '371325'`,
    [caseIds],
  );
  expect(rows[0].n).to.equal(caseIds.length);
}

describe('npm run worker', function () {
  this.timeout(30_000);

  it('when DATABASE_URL and REDIS_URL are missing, then it says which and exits with 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], { env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(1);
    expect(output).to.include('"DATABASE_URL" is required').and.to.include('"REDIS_URL" is required');
  });
});

describe('deadline faults: killed workers, lost Redis data, lost scheduling', function () {
  this.timeout(60_000);
  const started: WorkerProcess[] = [];
  const queues: DeadlineQueue[] = [];
  const start = (redisUrl: string): WorkerProcess => {
    const worker = spawnWorker(redisUrl);
    started.push(worker);
    return worker;
  };
  const queueOn = async (redisUrl: string): Promise<DeadlineQueue> => {
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    const queue = createDeadlineQueue(redisUrl);
    queues.push(queue);
    return queue;
  };

  afterEach(async () => {
    for (const worker of started.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
    for (const queue of queues.splice(0)) await queue.close();
  });

  it('when a worker is killed with SIGKILL in the middle of its jobs, then another worker still applies every warning and overdue exactly once', async () => {
    const { pool } = harness();
    const redisUrl = redisDb(3);
    const queue = await queueOn(redisUrl);
    // Relayed already: the only jobs for these cases are the ones the spawned workers schedule.
    const caseIds = await insertDeadlineCases(pool, 30, { replyWarnIn: 1, replyByIn: 1.5, spreadSeconds: 0.02, outbox: 'synced' });
    // Holding the rows makes the first worker's jobs stop inside their transactions, where the kill lands.
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM cases WHERE id = ANY($1::uuid[]) FOR UPDATE', [caseIds]);
      const first = start(redisUrl);
      await eventually(async () => ((await queue.getActiveCount()) >= 4 ? true : undefined), 20_000, 'the first worker to take its jobs');
      // A job is active in Redis before its processor has reached the database, so the kill waits
      // until the worker's transactions are queued behind the held rows.
      await eventually(async () => {
        const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE OF c%'`);
        return rows[0].n >= 1 ? true : undefined;
      }, 20_000, 'the first worker to wait on the held rows');
      first.child.kill('SIGKILL');
      await first.exited;
      // Nothing can have been applied while the rows were held.
      expect(await deadlineEvents(pool, caseIds)).to.deep.equal([]);
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    const second = start(redisUrl);
    await expectEachEffectOnce(caseIds);
    expect(await stopGracefully(second)).to.equal(0);
  });

  it('when Redis loses its data under a running worker, then a restarted worker re-creates the jobs and every effect fires once', async () => {
    const { pool } = harness();
    const redisUrl = redisDb(4);
    const queue = await queueOn(redisUrl);
    const running = start(redisUrl);
    await reconciled(running);
    const caseIds = await insertDeadlineCases(pool, 20, { replyWarnIn: 6, replyByIn: 7, spreadSeconds: 0.02, outbox: 'synced' });
    // Scheduled here as the running worker's relay would, so that the flush surely comes before they are due.
    await scheduleDeadlineJobs(queue, await pendingDeadlineJobs(pool, caseIds), { now: () => new Date() });
    const refs = caseIds.flatMap((caseId): DeadlineJobRef[] => [{ caseId, kind: 'reply', effect: 'warning', version: 1 }, { caseId, kind: 'reply', effect: 'overdue', version: 1 }]);
    const jobsExist = async (): Promise<boolean> => (await Promise.all(refs.map((r) => queue.getJob(deadlineJobId(r))))).every(Boolean);
    expect(await jobsExist()).to.equal(true);
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    expect(await queue.getJob(deadlineJobId(refs[0] as DeadlineJobRef))).to.equal(undefined);
    expect(await deadlineEvents(pool, caseIds)).to.deep.equal([]);
    const restarted = start(redisUrl);
    await reconciled(restarted);
    // Re-created by the restart's reconciliation (long before the running worker's next sweep).
    expect(await jobsExist()).to.equal(true);
    await expectEachEffectOnce(caseIds);
    expect(await stopGracefully(running)).to.equal(0);
    expect(await stopGracefully(restarted)).to.equal(0);
  });

  it('when a case was committed but its scheduling was lost, then a starting worker schedules it and it fires once', async () => {
    const { pool } = harness();
    const redisUrl = redisDb(5);
    const queue = await queueOn(redisUrl);
    // The outbox row is marked as relayed yet no job exists anywhere: the crash window the outbox
    // closes, forced open, so that only reconciliation at start-up can find the case.
    const caseId = await insertDeadlineCase(pool, { replyWarnIn: 8, replyByIn: 9, outbox: 'synced' });
    const overdue: DeadlineJobRef = { caseId, kind: 'reply', effect: 'overdue', version: 1 };
    expect(await queue.getJob(deadlineJobId(overdue))).to.equal(undefined);
    const worker = start(redisUrl);
    await reconciled(worker);
    expect(await queue.getJob(deadlineJobId(overdue))).not.to.equal(undefined);
    await expectEachEffectOnce([caseId]);
    expect(await stopGracefully(worker)).to.equal(0);
  });

  it('when a relay scheduled the jobs but died before marking its outbox row, then relaying again adds no second job and no second effect', async () => {
    const { pool } = harness();
    // The harness's own queue: its in-process relay is the one that relays again.
    const queue = createDeadlineQueue(harness().redisUrl);
    queues.push(queue);
    const caseId = await insertDeadlineCase(pool, { replyWarnIn: 2, replyByIn: 3, outbox: 'none' });
    // What the dead relay did: scheduled the jobs, then died before marking the row (left unsynced).
    await scheduleDeadlineJobs(queue, await pendingDeadlineJobs(pool, [caseId]), { now: () => new Date() });
    await pool.query(`INSERT INTO outbox (case_id, topic, payload) VALUES ($1, 'case.register', jsonb_build_object('caseId', $1::uuid))`, [caseId]);
    await eventually(async () => {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE case_id = $1 AND deadlines_synced_at IS NULL`, [caseId]);
      return rows[0].n === 0 ? true : undefined;
    }, 10_000, 'the outbox row to be relayed again');
    const jobIds = (await queue.getRanges(['delayed', 'wait', 'active', 'completed'], 0, -1)).filter((id) => id.includes(caseId));
    expect(jobIds.sort()).to.deep.equal([
      deadlineJobId({ caseId, kind: 'reply', effect: 'overdue', version: 1 }),
      deadlineJobId({ caseId, kind: 'reply', effect: 'warning', version: 1 }),
    ]);
    await expectEachEffectOnce([caseId]);
  });
});
