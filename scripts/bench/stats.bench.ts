import { createPool } from '../../infra/db.js';
import { simulateHistory, type SimulationReport } from '../simulation/simulate-history.js';
import { callApi, percentile, startBenchSystem, type BenchSystem } from './system.js';

/** A bench system holding a simulated year: shared by the sections that query history. */
export interface SimulatedSystem {
  readonly system: BenchSystem;
  readonly simulation: SimulationReport;
  readonly adminToken: string;
}

/** One timed query: the first call, and p50/p99 over the runs after it. */
export interface QueryTiming {
  readonly label: string;
  readonly firstMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly runs: number;
}

/** How many cases to simulate: BENCH_STATS_CASES, by default 200,000 (a few minutes); 1000000 for the full year of the aim. */
export function statsBenchSize(): number {
  const cases = Number(process.env.BENCH_STATS_CASES ?? 200_000);
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`BENCH_STATS_CASES must be a whole number, not "${process.env.BENCH_STATS_CASES}"`);
  return cases;
}

/** Starts the system as `npm start` does and writes a year of synthetic history into its database while it runs. */
export async function startSimulatedSystem(cases: number, extraEnv: Record<string, string> = {}): Promise<SimulatedSystem> {
  const system = await startBenchSystem(extraEnv);
  try {
    const pool = createPool(system.databaseUrl, 2);
    const to = new Date();
    const simulation = await simulateHistory(pool, { cases, from: new Date(to.getTime() - 365 * 86_400_000), to }).finally(() => pool.end());
    const login = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
    return { system, simulation, adminToken: login.accessToken };
  } catch (error) {
    await system.stop();
    throw error;
  }
}

/** Calls `path` once, then `runs` more times one after another, timing each over HTTP (as admin unless `token` says otherwise). */
export async function timeQuery(sim: Pick<SimulatedSystem, 'system' | 'adminToken'>, label: string, path: string, runs: number, token = sim.adminToken): Promise<QueryTiming> {
  const once = async (): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${sim.system.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return performance.now() - started;
  };
  const firstMs = await once();
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await once());
  times.sort((a, b) => a - b);
  return { label, firstMs, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), runs };
}

/** Times unit statistics (city and one county, the full year) and the rankings. */
export async function benchStats(sim: SimulatedSystem, runs: number): Promise<QueryTiming[]> {
  const period = `from=${encodeURIComponent(sim.simulation.from.toISOString())}&to=${encodeURIComponent(sim.simulation.cutoff.toISOString())}`;
  return [
    await timeQuery(sim, 'units, city (60 rows)', `/api/stats/units?${period}`, runs),
    await timeQuery(sim, 'units, county 371325 (Fei county)', `/api/stats/units?${period}&parent=371325`, runs),
    await timeQuery(sim, 'units, city, CSV', `/api/stats/units?${period}&format=csv`, runs),
    await timeQuery(sim, 'rankings, counties', `/api/stats/rankings?${period}&group=counties`, runs),
    await timeQuery(sim, 'rankings, departments', `/api/stats/rankings?${period}&group=departments`, runs),
  ];
}

export function printStats(sim: SimulatedSystem, timings: readonly QueryTiming[]): void {
  const s = sim.simulation;
  const lines = [
    `\nStatistics over a simulated year (BENCH_STATS_CASES=${s.cases}; set 1000000 for the full-size year)`,
    `  simulate: ${s.cases.toLocaleString('en')} cases, ${s.events.toLocaleString('en')} events in ${(s.elapsedMs / 1000).toFixed(0)} s ` +
      `(insert ${(s.insertMs / 1000).toFixed(0)} s, VACUUM ANALYZE ${(s.vacuumMs / 1000).toFixed(0)} s, rollups ${(s.rollupMs / 1000).toFixed(0)} s), ${(s.cases / (s.insertMs / 1000)).toFixed(0)} cases per s`,
    `  ${'query (full year, through HTTP)'.padEnd(40)} ${'first ms'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'runs'.padStart(5)}`,
    ...timings.map((t) => `  ${t.label.padEnd(40)} ${t.firstMs.toFixed(0).padStart(9)} ${t.p50Ms.toFixed(0).padStart(8)} ${t.p99Ms.toFixed(0).padStart(8)} ${String(t.runs).padStart(5)}`),
    '  (aim: under 2,000 ms each at 1,000,000 cases)',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The statistics section of `npm run bench`: its own system, so the other sections' cases do not mix in. */
export async function runStatsBench(): Promise<void> {
  const cases = statsBenchSize();
  process.stdout.write(`\nSimulating ${cases.toLocaleString('en')} cases for the statistics section...\n`);
  const sim = await startSimulatedSystem(cases);
  try {
    printStats(sim, await benchStats(sim, Number(process.env.BENCH_STATS_RUNS ?? 10)));
  } finally {
    await sim.system.stop();
  }
}
