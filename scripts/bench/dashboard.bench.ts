import crypto from 'node:crypto';
import os from 'node:os';
import zlib from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { createPool } from '../../infra/db.js';
import { createUser } from '../../models/accounts/user.repository.js';
import { launchChromium } from '../../test/support/chromium.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { signedInContext, staff, type Session } from './console.bench.js';
import { startSimulatedSystem } from './stats.bench.js';
import { cpuByProgram, cpuSince, type CpuByProgram } from './process-cpu.js';
import { callApi, percentile, startBenchSystem, waitUntilSettled, type BenchSystem } from './system.js';

/** One load of the dashboard: until every panel has its first answer drawn, and how much of that the API took. */
interface DashboardLoad {
  readonly renderMs: number;
  /** Time with at least one /api/ request in flight (the union of their intervals), from navigation start. */
  readonly apiMs: number;
  /** When the app asked its first question and had its last answer, from navigation start. */
  readonly firstApiMs: number;
  readonly lastApiMs: number;
  readonly requests: { readonly path: string; readonly ms: number }[];
  readonly gzipKb: number;
  readonly rawKb: number;
  /** CPU time of the load: the browser's processes, and the system's (Node.js, PostgreSQL, Redis). */
  readonly cpu: { readonly browserMs: number; readonly system: CpuByProgram };
}

// Chromium's processes (browser, renderers, GPU, utilities) are the bench's children; the system's are not among them.
const browserCpuMs = (): number => [...cpuByProgram(process.pid)].filter(([program]) => program.startsWith('chrom')).reduce((sum, [, ms]) => sum + ms, 0);

interface PageGlobals {
  readonly document: { querySelectorAll(selector: string): { readonly length: number }; querySelector(selector: string): unknown };
  readonly performance: { now(): number };
}

// The four panels that mark themselves loaded (charts, ranking, hot topics, repeats), the treemap
// with its tiles and ECharts' three charts with their shapes drawn.
// A function, not a string: the console's CSP refuses eval.
function fullyRendered(): number | false {
  const page = globalThis as unknown as PageGlobals;
  const ready = page.document.querySelectorAll('[data-loaded="true"]').length >= 4 && page.document.querySelector('[data-testid="chart-treemap"] svg rect') &&
    ['chart-bar', 'chart-line', 'chart-donut'].every((chart) => page.document.querySelector(`[data-testid="${chart}"] svg path`));
  return ready ? page.performance.now() : false;
}

const API_TIMING = `(() => performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
  .map((e) => ({ path: new URL(e.name).pathname + new URL(e.name).search, start: e.startTime, end: e.responseEnd })))()`;

const ASSETS = `performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\\.(js|css)$/.test(new URL(n).pathname))`;

function unionMs(intervals: readonly { start: number; end: number }[]): number {
  let total = 0;
  let reach = -Infinity;
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    if (i.end <= reach) continue;
    total += i.end - Math.max(i.start, reach);
    reach = i.end;
  }
  return total;
}

async function loadDashboard(context: BrowserContext, system: BenchSystem, period: string): Promise<DashboardLoad> {
  const page = await context.newPage();
  const [browserBefore, systemBefore] = [browserCpuMs(), cpuByProgram(system.pid)];
  await page.goto(`${system.baseUrl}/console/dashboard?period=${period}`);
  try {
    const renderMs = Number(await (await page.waitForFunction(fullyRendered, undefined, { timeout: 300_000, polling: 'raf' })).jsonValue());
    const cpu = { browserMs: browserCpuMs() - browserBefore, system: cpuSince(systemBefore, cpuByProgram(system.pid)) };
    const entries = ((await page.evaluate(API_TIMING)) as { path: string; start: number; end: number }[]).filter((e) => e.start < renderMs);
    // The scripts and styles the page fetched (the route's own chunk included), each gzipped (-9) as a proxy would send it.
    const assets = (await page.evaluate(ASSETS)) as string[];
    const files = await Promise.all(assets.map(async (url) => Buffer.from(await (await fetch(url)).arrayBuffer())));
    return {
      renderMs,
      apiMs: unionMs(entries),
      firstApiMs: Math.min(...entries.map((e) => e.start)),
      lastApiMs: Math.max(...entries.map((e) => e.end)),
      requests: entries.map((e) => ({ path: e.path.replace(/\?.*/, ''), ms: e.end - e.start })),
      rawKb: files.reduce((s, b) => s + b.length, 0) / 1024,
      gzipKb: files.reduce((s, b) => s + zlib.gzipSync(b, { level: 9 }).length, 0) / 1024,
      cpu,
    };
  } finally {
    await page.close();
  }
}

/** How many cases the dashboard is measured over: BENCH_DASHBOARD_CASES, else BENCH_STATS_CASES (200,000 by default); 1000000 is the issue's year. */
function dashboardBenchSize(): number {
  const cases = Number(process.env.BENCH_DASHBOARD_CASES ?? process.env.BENCH_STATS_CASES ?? 200_000);
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`BENCH_DASHBOARD_CASES must be a whole number, not "${process.env.BENCH_DASHBOARD_CASES}"`);
  return cases;
}

/** The system to measure, with a supervisor signed in and what its history holds. */
interface DashboardSystem {
  readonly system: BenchSystem;
  readonly supervisor: Session;
  readonly history: string;
}

async function simulatedSystem(): Promise<DashboardSystem> {
  const cases = dashboardBenchSize();
  process.stdout.write(`\nSimulating ${cases.toLocaleString('en')} cases for the dashboard section...\n`);
  const sim = await startSimulatedSystem(cases);
  try {
    const supervisor = await staff(sim.system, sim.adminToken, 'bench-dashboard-supervisor', 'supervisor');
    return { system: sim.system, supervisor, history: `${sim.simulation.cases.toLocaleString('en')} cases, ${sim.simulation.events.toLocaleString('en')} events` };
  } catch (error) {
    await sim.system.stop();
    throw error;
  }
}

/** A data dir written beforehand (`npm run simulate`), left as found but for the bench's account. */
async function keptSystem(dataDir: string): Promise<DashboardSystem> {
  const system = await startBenchSystem({}, dataDir);
  const pool = createPool(system.databaseUrl, 2);
  try {
    const username = `bench-dashboard-${crypto.randomBytes(4).toString('hex')}`;
    const password = crypto.randomBytes(12).toString('base64url');
    await createUser(pool, { username, password, role: 'supervisor', unitCode: null }, null);
    const supervisor = await callApi<Session>(system.baseUrl, 'POST', '/api/auth/login', { username, password });
    const { rows } = await pool.query<{ cases: string; events: string }>(
      `SELECT (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM case_events) AS events`,
    );
    return { system, supervisor, history: `${Number(rows[0]?.cases).toLocaleString('en')} cases, ${Number(rows[0]?.events).toLocaleString('en')} events (${dataDir})` };
  } catch (error) {
    await system.stop();
    throw error;
  } finally {
    await pool.end();
  }
}

/**
 * The dashboard section of `npm run bench`: a simulated year (or the history under
 * BENCH_DASHBOARD_DATA_DIR), then the supervisor's 监督 screen opened cold and warm for 本月 (the
 * default) and 本年, timed in headless Chromium to the first full render (every panel drawn), with
 * the API's share of that time.
 */
export async function runDashboardBench(): Promise<void> {
  await ensureConsoleBuilt();
  const kept = process.env.BENCH_DASHBOARD_DATA_DIR;
  const { system, supervisor, history } = kept ? await keptSystem(kept) : await simulatedSystem();
  const browser = await launchChromium();
  try {
    const runs = Number(process.env.BENCH_DASHBOARD_RUNS ?? 3);
    // The first load is a supervisor's first visit to a running system, not a race with its start-up
    // (the worker's seal, the API's read-ahead of the repeats, the term indexer).
    const { settledAfterMs } = await waitUntilSettled(system);
    const lines = [
      `\nSupervision dashboard (Chromium headless, 1366×768) over ${kept ? 'the history of' : 'a simulated year of'} ${history}`,
      settledAfterMs === null ? '  (the system was still busy 3 minutes after start-up; measured anyway)' : `  (measured once the system had settled, ${(settledAfterMs / 1000).toFixed(0)} s after /readyz)`,
    ];
    for (const period of ['month', 'year']) {
      const loads: DashboardLoad[] = [];
      // One profile per period: its first load is cold, the later ones have its cache, as a returning supervisor's would.
      const context = await signedInContext(browser, supervisor);
      try {
        for (let i = 0; i <= runs; i += 1) loads.push(await loadDashboard(context, system, period));
      } finally {
        await context.close();
      }
      const [first, ...warm] = loads;
      if (!first) continue;
      const sorted = [...warm].sort((a, b) => a.renderMs - b.renderMs);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? first;
      const slowest = [...median.requests].sort((a, b) => b.ms - a.ms).slice(0, 4).map((r) => `${r.path} ${r.ms.toFixed(0)}`);
      lines.push(
        `  ${period === 'month' ? '本月' : '本年'}: first load ${first.renderMs.toFixed(0)} ms (API ${first.apiMs.toFixed(0)} ms, ${((first.apiMs / first.renderMs) * 100).toFixed(0)} %); ` +
          `then, with the browser's cache, p50 ${percentile(warm.map((l) => l.renderMs).sort((a, b) => a - b), 50).toFixed(0)} ms over ${warm.length} (API ${median.apiMs.toFixed(0)} ms, ${((median.apiMs / median.renderMs) * 100).toFixed(0)} %) (aim < 2,000 ms)`,
        `    median load: first API request at ${median.firstApiMs.toFixed(0)} ms, last answer at ${median.lastApiMs.toFixed(0)} ms, drawn at ${median.renderMs.toFixed(0)} ms; slowest API calls (ms): ${slowest.join(', ')}`,
        `    its CPU time (ms, on ${os.cpus().length} cores): Chromium ${median.cpu.browserMs.toFixed(0)}, ${[...median.cpu.system].filter(([, ms]) => ms > 0).map(([program, ms]) => `${program} ${ms.toFixed(0)}`).join(', ')}`,
      );
      if (period === 'month') lines.push(`  dashboard initial JS+CSS (login to full render): ${first.rawKb.toFixed(0)} kB raw, ${first.gzipKb.toFixed(0)} kB gzip (aim < 400 kB)`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await system.stop();
  }
}
