import autocannon from 'autocannon';
import pg from 'pg';
import { benchIntakeBody } from './case-texts.js';
import { intakeStatementAlone, type StatementLoad } from './intake-statement.bench.js';
import { cpuByProgram, cpuSince, type CpuByProgram } from './process-cpu.js';
import { callApi, operatorTokens, percentile, type BenchSystem } from './system.js';

/** One measured load. */
export interface LoadResult {
  readonly label: string;
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** Runs autocannon against POST /api/cases, rotating bodies and operator tokens. */
export async function loadIntake(system: BenchSystem, tokens: readonly string[], options: { label: string; connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  let i = 0;
  const result = await autocannon({
    url: `${system.baseUrl}/api/cases`,
    method: 'POST',
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          i += 1;
          return { ...req, body: JSON.stringify(benchIntakeBody(i)), headers: { ...req.headers, authorization: `Bearer ${tokens[i % tokens.length]}` } };
        },
      },
    ],
  });
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  // A figure that includes refusals (a rate limit, a 409) measures the refusal: fail loudly instead.
  if (failed > 0) {
    const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => `${code}: ${stat.count}`).join(', ');
    throw new Error(`${options.label}: ${result.non2xx} non-2xx answers (${codes}), ${result.errors} errors, ${result.timeouts} timeouts out of ${ok + failed}`);
  }
  return {
    label: options.label,
    requests: ok,
    perSecond: ok / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * The floor under intake: the same JSON body as one durable INSERT into a one-column table of the
 * same PostgreSQL, from `concurrency` connections for `seconds`.
 */
export async function bareInsert(databaseUrl: string, seconds: number, concurrency: number): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  await pool.query('CREATE TABLE IF NOT EXISTS bench_bare_insert (body jsonb NOT NULL)');
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        next += 1;
        const body = JSON.stringify(benchIntakeBody(next));
        const t0 = performance.now();
        await pool.query('INSERT INTO bench_bare_insert (body) VALUES ($1)', [body]);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.query('DROP TABLE bench_bare_insert');
  await pool.end();
  latencies.sort((a, b) => a - b);
  return { label: 'bare INSERT of the body, 16 conn.', requests: latencies.length, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: 0 };
}

/** Waits until the background work a case causes (socket push, deadline jobs, term index) is done. */
async function backgroundSettled(databaseUrl: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    for (;;) {
      const { rows } = await pool.query<{ pending: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL OR deadlines_synced_at IS NULL)
             OR EXISTS (SELECT 1 FROM term_index_queue) AS pending`,
      );
      if (!rows[0]?.pending) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await pool.end();
  }
}

/** The CPU time per case of each of the system's programs, over a load and the background work it left. */
export interface IntakeCpu {
  readonly cases: number;
  readonly msPerCase: CpuByProgram;
}

/** Deletes every routing rule through the API, so that intake runs with no rule to match. */
async function deleteAllRules(system: BenchSystem): Promise<void> {
  const admin = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
  const { items } = await callApi<{ items: { id: string }[] }>(system.baseUrl, 'GET', '/api/routing-rules', undefined, admin.accessToken);
  for (const rule of items) {
    const res = await fetch(`${system.baseUrl}/api/routing-rules/${rule.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin.accessToken}` } });
    if (res.status !== 204) throw new Error(`deleting rule ${rule.id}: ${res.status}`);
  }
}

/**
 * The intake section: HTTP at saturation and at 1,000/s with the default routing rules, the bare
 * insert for comparison, the intake statement alone (one and fifty a commit), and HTTP at
 * saturation again with no rules (routing off); with the CPU each case cost the system's programs
 * in the saturated run, background work included.
 */
export async function benchIntake(system: BenchSystem, seconds: number): Promise<{ loads: LoadResult[]; statement: StatementLoad[]; cpu: IntakeCpu }> {
  const tokens = await operatorTokens(system, 20);
  await loadIntake(system, tokens, { label: 'warm-up', connections: 8, seconds: 2 });
  await backgroundSettled(system.databaseUrl);
  const cpuBefore = cpuByProgram(system.pid);
  const saturated = await loadIntake(system, tokens, { label: 'POST /api/cases, routed, 16 conn.', connections: 16, seconds });
  await backgroundSettled(system.databaseUrl);
  const used = cpuSince(cpuBefore, cpuByProgram(system.pid));
  const cpu = { cases: saturated.requests, msPerCase: new Map([...used].map(([program, ms]) => [program, ms / saturated.requests])) };
  const paced = await loadIntake(system, tokens, { label: 'POST /api/cases, routed, at 1,000/s', connections: 32, seconds, rate: 1000 });
  const bare = await bareInsert(system.databaseUrl, seconds, 16);
  await backgroundSettled(system.databaseUrl);
  const statement = [await intakeStatementAlone(system.databaseUrl, seconds, 1), await intakeStatementAlone(system.databaseUrl, seconds, 50)];
  await backgroundSettled(system.databaseUrl);
  await deleteAllRules(system);
  const unrouted = await loadIntake(system, tokens, { label: 'POST /api/cases, no rules, 16 conn.', connections: 16, seconds });
  return { loads: [saturated, paced, bare, unrouted], statement, cpu };
}
