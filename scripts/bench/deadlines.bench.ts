import { Redis } from 'ioredis';
import { createPool, type Pool } from '../../infra/db.js';
import { startDatabaseClock } from '../../infra/db-clock.js';
import { createDeadlineQueue } from '../../jobs/deadline.queue.js';
import { reconcileDeadlines } from '../../jobs/reconcile-deadlines.js';
import { sweepDueDeadlines } from '../../models/time-limits/deadline-effects.js';
import { percentile, type BenchSystem } from './system.js';

/** What the deadline section measured. */
export interface DeadlineBenchResult {
  readonly openCases: number;
  readonly jobsAdded: number;
  readonly scheduleMs: number;
  readonly bytesPerJob: number;
  readonly sweepMs: number;
  readonly falling: number;
  readonly fired: number;
  readonly lateP50Ms: number;
  readonly lateP99Ms: number;
  readonly lateMaxMs: number;
}

const TOWNSHIP = '371325105';

/**
 * Inserts `count` in-progress cases straight into the table, in batches; `deadlines` is the SQL
 * setting reply_warn_at, reply_by and reply_warned_at from the row number i (1..count).
 */
async function insertCases(pool: Pool, count: number, deadlines: string, outbox: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (let from = 1; from <= count; from += 20_000) {
    const to = Math.min(count, from + 19_999);
    const { rows } = await pool.query<{ id: string }>(
      `WITH c AS (
         INSERT INTO cases (case_no, query_code, channel, type, content, status, assigned_unit_code, received_at, reply_warn_at, reply_by, reply_warned_at)
         SELECT 'BD' || nextval('case_no_seq'), '123456', 'hotline', 'complaint', '时限基准测试', 'in_progress', $1, now(), d.warn_at, d.due, d.warned_at
           FROM generate_series($2::int, $3::int) AS i CROSS JOIN LATERAL (${deadlines}) AS d
         RETURNING id
       ), o AS (
         INSERT INTO outbox (case_id, topic, payload) SELECT id, 'case.register', jsonb_build_object('caseId', id) FROM c WHERE $4::boolean
       )
       SELECT id FROM c`,
      [TOWNSHIP, from, to, outbox],
    );
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

/** (a) and (b): schedules every open case's deadlines (100,000 of them days away) as start-up reconciliation does. */
async function benchScheduling(pool: Pool, system: BenchSystem, cases: number): Promise<Pick<DeadlineBenchResult, 'openCases' | 'jobsAdded' | 'scheduleMs' | 'bytesPerJob' | 'sweepMs'>> {
  // No outbox rows: the running system must not schedule them before the timed run does.
  await insertCases(pool, cases, `SELECT now() + interval '2 days' + i * interval '1 second' AS warn_at, now() + interval '3 days' + i * interval '1 second' AS due, NULL::timestamptz AS warned_at`, false);
  const redis = new Redis(system.redisUrl);
  const queue = createDeadlineQueue(system.redisUrl);
  const clock = await startDatabaseClock(pool);
  try {
    const jobsBefore = await queue.getDelayedCount();
    const memoryBefore = await usedMemory(redis);
    const started = performance.now();
    const report = await reconcileDeadlines(pool, queue, clock);
    const scheduleMs = performance.now() - started;
    const jobsAdded = (await queue.getDelayedCount()) - jobsBefore;
    const bytesPerJob = ((await usedMemory(redis)) - memoryBefore) / jobsAdded;
    const sweepStarted = performance.now();
    await sweepDueDeadlines(pool, 500);
    return { openCases: report.openCases, jobsAdded, scheduleMs, bytesPerJob, sweepMs: performance.now() - sweepStarted };
  } finally {
    clock.stop();
    await queue.close();
    redis.disconnect();
  }
}

/** (c): 10,000 reply deadlines spread over one minute, scheduled by the system's own outbox relay and fired by its worker. */
async function benchLateness(pool: Pool, count: number): Promise<Pick<DeadlineBenchResult, 'falling' | 'fired' | 'lateP50Ms' | 'lateP99Ms' | 'lateMaxMs'>> {
  const leadSeconds = 15;
  // The warnings are behind them (applied), so that what falls due in the minute is the overdues.
  const ids = await insertCases(
    pool,
    count,
    `SELECT now() - interval '1 hour' AS warn_at, now() + make_interval(secs => ${leadSeconds} + 60.0 * i / ${count}) AS due, now() AS warned_at`,
    true,
  );
  const waitUntil = Date.now() + (leadSeconds + 60 + 60) * 1000;
  let fired = 0;
  while (Date.now() < waitUntil) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1::uuid[]) AND reply_overdue_at IS NOT NULL`, [ids]);
    fired = rows[0]?.n ?? 0;
    if (fired === count) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  // Both times from the database clock: the event's creation and the deadline it fired for.
  const { rows } = await pool.query<{ late_ms: number }>(
    `SELECT extract(epoch FROM e.created_at - c.reply_by)::float8 * 1000 AS late_ms
       FROM case_events e JOIN cases c ON c.id = e.case_id
      WHERE e.case_id = ANY($1::uuid[]) AND e.action = 'deadline_overdue'
      ORDER BY 1`,
    [ids],
  );
  const late = rows.map((r) => r.late_ms);
  return { falling: count, fired, lateP50Ms: percentile(late, 50), lateP99Ms: percentile(late, 99), lateMaxMs: late.at(-1) ?? Number.NaN };
}

/** The deadline section: scheduling 100,000 open cases, Redis memory per job, lateness under 10,000 deadlines in a minute. */
export async function benchDeadlines(system: BenchSystem, options: { openCases?: number; falling?: number } = {}): Promise<DeadlineBenchResult> {
  const pool = createPool(system.databaseUrl, 4);
  try {
    const scheduling = await benchScheduling(pool, system, options.openCases ?? 100_000);
    const lateness = await benchLateness(pool, options.falling ?? 10_000);
    return { ...scheduling, ...lateness };
  } finally {
    await pool.end();
  }
}
