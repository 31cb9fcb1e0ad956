import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPool } from '../../infra/db.js';
import { launchChromium } from '../../test/support/chromium.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { callApi, percentile, startBenchSystem, type BenchSystem } from './system.js';

const TANYI = '371325105';
const OPEN_CASES = 10_000;
const PASSWORD = 'bench-console-password';

export interface Session {
  readonly accessToken: string;
  readonly expiresIn: number;
  readonly user: Record<string, unknown>;
}

export async function staff(system: BenchSystem, adminToken: string, username: string, role: string, unitCode?: string): Promise<Session> {
  await callApi(system.baseUrl, 'POST', '/api/users', { username, password: PASSWORD, role, ...(unitCode ? { unitCode } : {}) }, adminToken);
  return callApi<Session>(system.baseUrl, 'POST', '/api/auth/login', { username, password: PASSWORD });
}

/** A browser profile at 1366×768 signed in as `session`, as after the login form; its pages share its cache. */
export async function signedInContext(browser: Browser, session: Session): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const stored = JSON.stringify({ token: session.accessToken, user: session.user, expiresAt: Date.now() + session.expiresIn * 1000 });
  await context.addInitScript(`sessionStorage.setItem('hotline-hub.session', ${JSON.stringify(stored)})`);
  return context;
}

/** Opens `path` signed in, in a profile of its own: what is timed is the screen, not the typing. */
export async function openAs(browser: Browser, system: BenchSystem, session: Session, path: string): Promise<{ page: Page; requests: string[]; startedAt: number }> {
  const page = await (await signedInContext(browser, session)).newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`));
  const startedAt = performance.now();
  await page.goto(`${system.baseUrl}${path}`);
  return { page, requests, startedAt };
}

/** JS and CSS the desk loads before it is usable, each file gzipped (-9) as a server or proxy would send it. */
async function initialTransfer(browser: Browser, system: BenchSystem, operator: Session): Promise<{ files: number; rawKb: number; gzipKb: number }> {
  const bodies: Promise<Buffer>[] = [];
  const context = await browser.newContext();
  const stored = JSON.stringify({ token: operator.accessToken, user: operator.user, expiresAt: Date.now() + 3_600_000 });
  await context.addInitScript(`sessionStorage.setItem('hotline-hub.session', ${JSON.stringify(stored)})`);
  const page = await context.newPage();
  page.on('response', (res) => {
    if (/\.(js|css)$/.test(new URL(res.url()).pathname)) bodies.push(res.body());
  });
  await page.goto(`${system.baseUrl}/console/intake`);
  await page.getByRole('button', { name: '提交工单' }).waitFor();
  await page.waitForLoadState('networkidle');
  const files = await Promise.all(bodies);
  await context.close();
  const raw = files.reduce((sum, b) => sum + b.length, 0);
  const gzip = files.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0);
  return { files: files.length, rawKb: raw / 1024, gzipKb: gzip / 1024 };
}

async function timeToInteractive(browser: Browser, system: BenchSystem, operator: Session, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const { page, startedAt } = await openAs(browser, system, operator, '/console/intake');
    await page.getByRole('button', { name: '提交工单' }).waitFor();
    await page.getByLabel('来电号码').fill('1');
    times.push(performance.now() - startedAt);
    await page.context().close();
  }
  return times.sort((a, b) => a - b);
}

async function seedOpenCases(system: BenchSystem): Promise<void> {
  const pool = createPool(system.databaseUrl, 1);
  try {
    await pool.query(
      `INSERT INTO cases (case_no, query_code, channel, type, title, content, status, assigned_unit_code, received_at, created_at,
                          accept_warn_at, accept_by, reply_warn_at, reply_by)
       SELECT 'BQ' || lpad(i::text, 8, '0'), '123456', 'hotline', 'complaint', '队列测试工单 ' || i, '路灯不亮，队列基准 ' || i,
              'dispatched', $1, now() - make_interval(mins => i), now() - make_interval(mins => i),
              now() + interval '18 hours', now() + interval '1 day', now() + interval '4 days', now() + interval '5 days'
         FROM generate_series(1, $2::int) AS i`,
      [TANYI, OPEN_CASES],
    );
    await pool.query('ANALYZE cases');
  } finally {
    await pool.end();
  }
}

/** The console's section of `npm run bench`: transfer size, the desk's time to interactive, a queue of 10,000 open cases. */
export async function runConsoleBench(): Promise<void> {
  const build = await ensureConsoleBuilt();
  const system = await startBenchSystem();
  const browser = await launchChromium();
  try {
    const admin = await callApi<Session>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
    const operator = await staff(system, admin.accessToken, 'bench-console-operator', 'operator');
    const handler = await staff(system, admin.accessToken, 'bench-console-handler', 'handler', TANYI);
    const transfer = await initialTransfer(browser, system, operator);
    const tti = await timeToInteractive(browser, system, operator, 5);

    await seedOpenCases(system);
    const served: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const started = performance.now();
      await callApi(system.baseUrl, 'GET', '/api/cases?status=dispatched&limit=50', undefined, handler.accessToken);
      served.push(performance.now() - started);
    }
    served.sort((a, b) => a - b);

    const queue = await openAs(browser, system, handler, '/console/queue');
    await queue.page.getByRole('link', { name: 'BQ00000001' }).waitFor({ timeout: 60_000 });
    const firstRows = performance.now() - queue.startedAt;
    await queue.page.getByText('实时更新中').waitFor();
    const listFetches = (): number => queue.requests.filter((r) => /^GET \/api\/cases\?/.test(r)).length;
    const before = listFetches();
    const arrivals: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      const created = await callApi<{ caseNo: string }>(
        system.baseUrl,
        'POST',
        '/api/cases',
        { channel: 'hotline', type: 'complaint', content: `探沂镇路灯不亮 基准 ${i}`, address: '临沂市费县探沂镇', citizen: { phone: '13800000000' } },
        operator.accessToken,
      );
      await queue.page.getByRole('link', { name: created.caseNo }).waitFor({ timeout: 30_000 });
      arrivals.push(performance.now() - started);
    }
    arrivals.sort((a, b) => a - b);
    const lines = [
      `\nStaff console (Chromium headless, 1366×768, localhost)${build.built ? `; built first in ${(build.ms / 1000).toFixed(1)} s` : ''}`,
      `  desk initial JS+CSS: ${transfer.files} files, ${transfer.rawKb.toFixed(0)} kB raw, ${transfer.gzipKb.toFixed(0)} kB gzip (aim < 400 kB)`,
      `  desk time to interactive (navigation to typing in 来电号码): p50 ${percentile(tti, 50).toFixed(0)} ms, max ${(tti.at(-1) ?? 0).toFixed(0)} ms over ${tti.length} loads`,
      `  queue of ${OPEN_CASES} open cases in one unit, first page (50) served: p50 ${percentile(served, 50).toFixed(0)} ms, p95 ${percentile(served, 95).toFixed(0)} ms (aim < 300 ms)`,
      `  queue page to its first rows in the browser: ${firstRows.toFixed(0)} ms`,
      `  live insertions: ${arrivals.length} new cases on the open queue, intake to row shown p50 ${percentile(arrivals, 50).toFixed(0)} ms, max ${(arrivals.at(-1) ?? 0).toFixed(0)} ms; list fetched again ${listFetches() - before} times`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await browser.close();
    await system.stop();
  }
}
