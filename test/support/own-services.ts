import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createPool, type Pool } from '../../infra/db.js';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../../infra/embedded-postgres.js';
import { findFreePort } from '../../infra/free-port.js';
import { cleanUpOnInterrupt } from '../../infra/interrupt-cleanup.js';
import { removeDataDir } from '../../infra/postgres-placement.js';
import { startRedisServer, type RedisServer } from '../../infra/redis-server.js';
import { eventually } from './deadline-cases.js';
import { intakeBody } from './factories.js';

/**
 * PostgreSQL and Redis of one fault test, apart from the harness's: they can be stopped and
 * restarted on the same ports without touching any other test.
 */
export interface OwnServices {
  readonly databaseUrl: string;
  readonly databaseOwnerUrl: string;
  readonly redisUrl: string;
  readonly pool: Pool;
  stopPostgres(): Promise<void>;
  startPostgres(): Promise<void>;
  stopRedis(): Promise<void>;
  startRedis(): Promise<void>;
  stop(): Promise<void>;
}

const log = pino({ level: 'silent' });

/** Starts a PostgreSQL and a redis-server on a throw-away data directory. */
export async function startOwnServices(): Promise<OwnServices> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-faults-'));
  const password = crypto.randomBytes(12).toString('hex');
  const pgPort = await findFreePort();
  const redisPort = await findFreePort();
  const passwords = { owner: password, app: `${password}-app` };
  let postgres: EmbeddedPostgresServer | undefined = await startEmbeddedPostgres(dir, passwords, log, pgPort);
  let redis: RedisServer | undefined = await startRedisServer(path.join(dir, 'redis'), password, log, redisPort);
  const databaseUrl = postgres.url;
  const pool = createPool(databaseUrl, 2);
  // Ctrl-C in the middle of a fault test stops these servers too, as it stops the harness's.
  const stop = cleanUpOnInterrupt(async () => {
    await pool.end();
    await redis?.stop();
    await postgres?.stop();
    await removeDataDir(dir);
  });
  return {
    databaseUrl,
    databaseOwnerUrl: postgres.ownerUrl,
    redisUrl: redis.url,
    pool,
    stopPostgres: async () => {
      await postgres?.stop();
      postgres = undefined;
    },
    startPostgres: async () => {
      postgres = await startEmbeddedPostgres(dir, passwords, log, pgPort);
    },
    stopRedis: async () => {
      await redis?.stop();
      redis = undefined;
    },
    startRedis: async () => {
      redis = await startRedisServer(path.join(dir, 'redis'), password, log, redisPort);
    },
    stop,
  };
}

/** The whole system started as its own OS process, as `npm start` runs it on external services. */
export interface ApiProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export const JWT_SECRET = 'fault-tests-jwt-secret-0123456789abcdef';
export const ADMIN_PASSWORD = 'fault-tests-admin-password';

/** Spawns scripts/start.ts on `services` and waits until /readyz answers 200. */
export async function startApiProcess(services: Pick<OwnServices, 'databaseUrl' | 'databaseOwnerUrl' | 'redisUrl'>): Promise<ApiProcess> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      // An external setup as docs/security.md asks for it: the application's role and the owner's.
      DATABASE_URL: services.databaseUrl,
      DATABASE_OWNER_URL: services.databaseOwnerUrl,
      REDIS_URL: services.redisUrl,
      JWT_SECRET,
      ADMIN_PASSWORD,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const api = { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
  // Bounded generously: migrations and the first start of the worker on a machine busy with other work.
  await waitUntilReady(api, 150_000).catch(async (error: unknown) => {
    await killApiProcess(api);
    throw error;
  });
  return api;
}

/** Polls /readyz until it answers 200; fails at once when the process has exited. */
export async function waitUntilReady(api: ApiProcess, timeoutMs: number): Promise<void> {
  await eventually(async () => {
    if (api.child.exitCode !== null || api.child.signalCode !== null) throw new Error(`the API process exited: ${api.output()}`);
    const res = await fetch(`${api.url}/readyz`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    return res?.status === 200 ? true : undefined;
  }, timeoutMs, 'the API process to be ready');
}

/** Kills the process with SIGKILL (if it still runs) and waits for it to be gone. */
export async function killApiProcess(api: ApiProcess): Promise<void> {
  if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGKILL');
  await api.exited;
}

/** One answer of the API; status 0 when none came (the connection failed or the request hung). */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, any>;
  readonly failure?: string;
}

/** Sends a JSON request; a request that gets no answer within `timeoutMs` rejects (a hang). */
export async function call(url: string, method: string, pathName: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Answer> {
  const res = await fetch(`${url}${pathName}`, {
    method,
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

/** Logs in as the first-start admin and creates an operator; returns the operator's token. */
export async function operatorToken(url: string): Promise<string> {
  const admin = await call(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  const username = `operator-${crypto.randomBytes(4).toString('hex')}`;
  const created = await call(url, 'POST', '/api/users', { token: admin.body.accessToken, body: { username, password: 'a-long-test-password', role: 'operator' } });
  if (created.status !== 201) throw new Error(`could not create an operator: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await call(url, 'POST', '/api/auth/login', { body: { username, password: 'a-long-test-password' } });
  return login.body.accessToken as string;
}

/** What one intake of the load got. */
export interface IntakeOutcome {
  readonly key: string;
  readonly answer: Answer;
}

/**
 * Registers cases with a few concurrent clients until stopped, each with its own Idempotency-Key,
 * keeping every answer. A request without an answer in time fails the load (a hang).
 */
export function startIntakeLoad(url: string, token: string, clients = 4): { readonly outcomes: IntakeOutcome[]; stop(): Promise<void> } {
  const outcomes: IntakeOutcome[] = [];
  let running = true;
  const loop = async (): Promise<void> => {
    while (running) {
      const key = crypto.randomUUID();
      const answer = await call(url, 'POST', '/api/cases', { token, body: intakeBody(), headers: { 'Idempotency-Key': key } }).catch(
        (error: Error): Answer => ({ status: 0, body: {}, failure: `${error.name}: ${error.message}` }),
      );
      outcomes.push({ key, answer });
    }
  };
  const loops = Array.from({ length: clients }, loop);
  return {
    outcomes,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
