import crypto from 'node:crypto';
import { createPool, type Pool } from '../../infra/db.js';
import { createUser, type StaffRole } from '../../models/accounts/user.repository.js';
import { pendingCaseCount } from '../../models/insights/hot-topics/term-index.js';
import { startSimulatedSystem, timeQuery, type QueryTiming } from './stats.bench.js';
import { callApi, startBenchSystem, UNTHROTTLED_STAFF, waitUntilSettled, type BenchSystem } from './system.js';

/** The unit whose queue is timed: the one holding the most open cases, and its county. */
interface BusiestUnit {
  readonly township: string;
  readonly county: string;
  readonly openCases: number;
}

async function busiestTownship(pool: Pool): Promise<BusiestUnit> {
  const { rows } = await pool.query<{ code: string; parent_code: string; open: string }>(
    `SELECT u.code, u.parent_code, count(*) AS open FROM cases c JOIN units u ON u.code = c.assigned_unit_code
      WHERE u.kind = 'township' AND c.status IN ('dispatched', 'in_progress')
      GROUP BY u.code, u.parent_code ORDER BY count(*) DESC LIMIT 1`,
  );
  const top = rows[0];
  if (!top) throw new Error('no open case is assigned to a township: simulate a history first');
  return { township: top.code, county: top.parent_code, openCases: Number(top.open) };
}

/** A staff account made for the bench through the repository, logged in over HTTP like anyone else. */
async function benchLogin(system: BenchSystem, pool: Pool, role: StaffRole, unitCode: string | null): Promise<string> {
  const username = `bench-${role}-${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(12).toString('base64url');
  await createUser(pool, { username, password, role, unitCode }, null);
  const login = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username, password });
  return login.accessToken;
}

/** Times the staff read paths at the size of the history in the database. */
async function benchReadPaths(system: BenchSystem, runs: number): Promise<{ unit: BusiestUnit; total: number; termIndexQueued: number; timings: QueryTiming[] }> {
  const pool = createPool(system.databaseUrl, 2);
  try {
    const unit = await busiestTownship(pool);
    const { rows: counts } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    const { rows: samples } = await pool.query<{ id: string; phone: string }>(
      `SELECT id, citizen->>'phone' AS phone FROM cases WHERE assigned_unit_code = $1 AND citizen ? 'phone' ORDER BY created_at DESC LIMIT 1`,
      [unit.township],
    );
    const sample = samples[0];
    if (!sample) throw new Error(`no case of ${unit.township} has a caller's phone`);
    const township = await benchLogin(system, pool, 'handler', unit.township);
    const county = await benchLogin(system, pool, 'handler', unit.county);
    const supervisor = await benchLogin(system, pool, 'supervisor', null);
    const sim = { system, adminToken: supervisor };
    const dashed = `${sample.phone.slice(0, 3)}-${sample.phone.slice(3, 7)}-${sample.phone.slice(7)}`;
    const timings = [
      await timeQuery(sim, 'queue, township, open, first page', '/api/cases?status=dispatched,in_progress&limit=50', runs, township),
      await timeQuery(sim, 'queue, township, all, first page', '/api/cases?limit=50', runs, township),
      await timeQuery(sim, 'queue, county subtree, open, first page', '/api/cases?status=dispatched,in_progress&limit=50', runs, county),
      await timeQuery(sim, 'search keyword 路灯 (common), city', `/api/cases?q=${encodeURIComponent('路灯')}&limit=50`, runs, supervisor),
      await timeQuery(sim, 'search keyword 狂犬 (absent), city', `/api/cases?q=${encodeURIComponent('狂犬')}&limit=50`, runs, supervisor),
      await timeQuery(sim, 'search keyword 路灯, township handler', `/api/cases?q=${encodeURIComponent('路灯')}&limit=50`, runs, township),
      await timeQuery(sim, "search caller's phone, city", `/api/cases?phone=${encodeURIComponent(dashed)}`, runs, supervisor),
      await timeQuery(sim, 'case detail with its timeline', `/api/cases/${sample.id}`, runs, township),
    ];
    // A history just simulated leaves every case for the term indexer, whose catch-up shares the CPU with the paths timed.
    return { unit, total: Number(counts[0]?.n ?? 0), termIndexQueued: await pendingCaseCount(pool), timings };
  } finally {
    await pool.end();
  }
}

/**
 * The read-paths section of `npm run bench`: a simulated history of BENCH_READ_CASES cases (200,000
 * by default), or the one already under BENCH_READ_DATA_DIR (written by `npm run simulate`, left as found
 * but for the bench's own accounts).
 */
export async function runReadPathsBench(): Promise<void> {
  const kept = process.env.BENCH_READ_DATA_DIR;
  const runs = Number(process.env.BENCH_READ_RUNS ?? 100);
  let system: BenchSystem;
  if (kept) {
    system = await startBenchSystem(UNTHROTTLED_STAFF, kept);
  } else {
    const cases = Number(process.env.BENCH_READ_CASES ?? 200_000);
    process.stdout.write(`\nSimulating ${cases.toLocaleString('en')} cases for the read-paths section...\n`);
    system = (await startSimulatedSystem(cases, UNTHROTTLED_STAFF)).system;
  }
  try {
    const { settledAfterMs } = await waitUntilSettled(system);
    const { unit, total, termIndexQueued, timings } = await benchReadPaths(system, runs);
    const lines = [
      `\nStaff read paths over ${total.toLocaleString('en')} cases (township ${unit.township}: ${unit.openCases.toLocaleString('en')} open)`,
      settledAfterMs === null ? '  (the system was still busy 3 minutes after start-up; timed anyway)' : `  (timed once the system had settled, ${(settledAfterMs / 1000).toFixed(0)} s after /readyz)`,
      ...(termIndexQueued > 0 ? [`  (${termIndexQueued.toLocaleString('en')} cases were still queued for the term indexer after the runs)`] : []),
      `  ${'query (through HTTP)'.padEnd(42)} ${'first ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'runs'.padStart(5)}`,
      ...timings.map((t) => `  ${t.label.padEnd(42)} ${t.firstMs.toFixed(1).padStart(9)} ${t.p50Ms.toFixed(1).padStart(8)} ${t.p99Ms.toFixed(1).padStart(8)} ${String(t.runs).padStart(5)}`),
      '  (aim: p99 under 50 ms each at 5,000,000 cases)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await system.stop();
  }
}
