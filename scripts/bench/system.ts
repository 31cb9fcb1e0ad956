import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DataDirSecrets } from '../../infra/data-dir-secrets.js';
import { findFreePort } from '../../infra/free-port.js';
import { cleanUpOnInterrupt } from '../../infra/interrupt-cleanup.js';
import { embeddedPostgresDir, removeDataDir } from '../../infra/postgres-placement.js';
import { cpuByProgram } from './process-cpu.js';

/** A system started for a benchmark: `npm start` in a child process on a throw-away data dir. */
export interface BenchSystem {
  readonly baseUrl: string;
  readonly dataDir: string;
  readonly adminPassword: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** The system's Node.js process, under which its PostgreSQL and Redis run. */
  readonly pid: number;
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = 'bench-admin-password';

/**
 * The environment of a system whose staff accounts are the bench's load generators, not people at
 * a desk: the staff rate limit would answer a long run with 429, which the bench refuses to count.
 */
export const UNTHROTTLED_STAFF: Readonly<Record<string, string>> = { STAFF_RATE_LIMIT: '100000000' };

/**
 * Starts the system as a user would (embedded PostgreSQL and Redis), waiting until /readyz answers.
 * On a throw-away data dir, unless `keptDataDir` names one to use and leave in place (e.g. a
 * history written beforehand by `npm run simulate`).
 */
export async function startBenchSystem(extraEnv: Record<string, string> = {}, keptDataDir?: string): Promise<BenchSystem> {
  const dataDir = keptDataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-bench-')));
  const port = await findFreePort();
  // The V8 flag of package.json's start script, so that the system measured is the one users run.
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD, LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.resume();
  const exited = new Promise((r) => child.once('exit', r));
  // Ctrl-C reaches the system too, which stops its servers; the throw-away data directory is ours to remove.
  const stop = cleanUpOnInterrupt(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    if (!keptDataDir) await removeDataDir(dataDir);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  // A kept history may have migrations to apply over millions of rows, on a loaded machine:
  // waiting a minute was not enough, and giving up left the system running unowned.
  const deadline = Date.now() + (keptDataDir ? 30 : 1) * 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error('the system exited during start-up');
    }
    if (await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the system was not ready within ${keptDataDir ? 30 : 1} minutes`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // The embedded PostgreSQL's URL, as the schema owner (benches set up data in bulk and analyse it):
  // its port is in the pid file, its password in secrets.json.
  const pid = (await fs.readFile(path.join(await embeddedPostgresDir(dataDir), 'postmaster.pid'), 'utf8')).split('\n');
  const secrets = JSON.parse(await fs.readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as DataDirSecrets;
  const databaseUrl = `postgres://hotline:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${pid[3]}/hotline_hub`;
  return {
    baseUrl,
    dataDir,
    adminPassword: ADMIN_PASSWORD,
    databaseUrl,
    redisUrl: await embeddedRedisUrl(dataDir, secrets.redisPassword),
    pid: child.pid ?? 0,
    stop,
  };
}

/**
 * Waits until the system's own work after start-up is done: its programs together (Node.js,
 * PostgreSQL, Redis) use under a fifth of one core for three seconds in a row. At 5,000,000
 * cases the reconciliation of the deadline queue takes more than a second of CPU half a minute
 * after /readyz answers, and timings taken across it measure the start, not the read paths.
 * Gives up after `maxMs` and says how long it waited.
 */
export async function waitUntilSettled(system: BenchSystem, maxMs = 180_000): Promise<{ settledAfterMs: number | null }> {
  const started = Date.now();
  let quiet = 0;
  let before = cpuByProgram(system.pid);
  while (Date.now() - started < maxMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const after = cpuByProgram(system.pid);
    const used = [...after].reduce((sum, [program, ms]) => sum + ms - (before.get(program) ?? 0), 0);
    before = after;
    quiet = used < 200 ? quiet + 1 : 0;
    if (quiet >= 3) return { settledAfterMs: Date.now() - started };
  }
  return { settledAfterMs: null };
}

/**
 * The embedded Redis's URL: redis-server titles its process with the address it listens on
 * ('redis-server 127.0.0.1:PORT'), and its pid is in the pid file.
 */
async function embeddedRedisUrl(dataDir: string, password: string): Promise<string> {
  const pid = (await fs.readFile(path.join(dataDir, 'redis', 'redis.pid'), 'utf8')).trim();
  const title = execFileSync('ps', ['-o', 'args=', '-p', pid], { encoding: 'utf8' });
  const port = /127\.0\.0\.1:(\d+)/.exec(title)?.[1];
  if (!port) throw new Error(`cannot tell the embedded Redis's port from its process title: ${title}`);
  return `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}

/** Calls the API as JSON. */
export async function callApi<T>(baseUrl: string, method: string, urlPath: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Creates `count` operators and returns their tokens: load spreads over accounts as at a real desk. */
export async function operatorTokens(system: BenchSystem, count: number): Promise<string[]> {
  const admin = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username: 'admin', password: system.adminPassword });
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const username = `bench-op-${i}`;
    await callApi(system.baseUrl, 'POST', '/api/users', { username, password: 'bench-operator-password', role: 'operator' }, admin.accessToken);
    const login = await callApi<{ accessToken: string }>(system.baseUrl, 'POST', '/api/auth/login', { username, password: 'bench-operator-password' });
    tokens.push(login.accessToken);
  }
  return tokens;
}

/** Percentile of a sorted array of numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
