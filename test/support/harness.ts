import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config.js';
import { startBackingServices, type BackingServices } from '../../infra/backing-services.js';
import { createPool, type Pool } from '../../infra/db.js';
import { prepareDatabase } from '../../models/bootstrap.js';
import { start, type RunningServer } from '../../server.js';
import { start as startWorker } from '../../worker.js';

/** The services one test run shares: real PostgreSQL and Redis, and the API on a free port. */
export interface Harness {
  readonly baseUrl: string;
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  readonly adminPassword: string;
}

let current: (Harness & { stop(): Promise<void> }) | undefined;

/** The running harness; the root hooks start it before any test. */
export function harness(): Harness {
  if (!current) throw new Error('The test harness is not running (test/support/hooks.ts starts it)');
  return current;
}

/**
 * Starts the system as `npm start` does, on a throw-away data directory (or on DATABASE_URL /
 * REDIS_URL when they are set), with the API on a free port.
 */
export async function startHarness(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-test-'));
  // The embedded PostgreSQL runs as the 'postgres' user when we are root: it must reach the directory.
  await fs.chmod(dataDir, 0o755);
  const adminPassword = 'admin-password-for-tests';
  // The receivers tests start listen on loopback: allow-listed as an operator would list an internal gateway.
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword, PORT: '0', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost' });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const services: BackingServices = await startBackingServices(config, log);
  const setupPool = createPool(services.databaseUrl, 2);
  await prepareDatabase(setupPool, adminPassword).finally(() => setupPool.end());
  const server: RunningServer = await start({ ...services, port: 0, host: '127.0.0.1', log, outboundAllowHosts: config.outboundAllowHosts });
  // The deadline worker in-process, as npm start runs it, so that tests see deadlines fire.
  const worker = await startWorker({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, log, outboundAllowHosts: config.outboundAllowHosts });
  const pool = createPool(services.databaseUrl, 4);
  current = {
    baseUrl: server.url,
    pool,
    databaseUrl: services.databaseUrl,
    redisUrl: services.redisUrl,
    jwtSecret: services.jwtSecret,
    adminPassword,
    stop: async () => {
      await worker.stop();
      await server.stop();
      await pool.end();
      await services.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Stops everything startHarness started. */
export async function stopHarness(): Promise<void> {
  await current?.stop();
  current = undefined;
}
