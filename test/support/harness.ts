import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config.js';
import { startBackingServices, type BackingServices } from '../../infra/backing-services.js';
import { removeDataDir } from '../../infra/postgres-placement.js';
import { createPool, type Pool } from '../../infra/db.js';
import { prepareDatabase } from '../../models/db/bootstrap.js';
import { applicationRoleOf } from '../../models/db/application-role.js';
import { start, type RunningServer } from '../../server.js';
import { start as startWorker } from '../../worker.js';

/** The services one test run shares: real PostgreSQL and Redis, and the API on a free port. */
export interface Harness {
  readonly baseUrl: string;
  readonly pool: Pool;
  readonly databaseUrl: string;
  /** The schema owner's: for tests that must reach past the application's privileges. */
  readonly databaseOwnerUrl: string;
  readonly ownerPool: Pool;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  readonly adminPassword: string;
  /** Opens /metrics and the details of /readyz. */
  readonly metricsToken: string;
  /** The throw-away DATA_DIR, removed with its embedded cluster when the harness stops. */
  readonly dataDir: string;
}

/**
 * Many tests write letters from one phone number: the shared server's mailbox caps and captcha
 * thresholds stay out of their way. test/api/mailbox-abuse.test.ts runs its own server with low ones.
 */
const UNLIMITED_MAILBOX = {
  MAILBOX_PHONE_MAX: '1000000',
  MAILBOX_GLOBAL_MAX: '1000000',
  MAILBOX_CAPTCHA_GLOBAL: '1000000',
  MAILBOX_CAPTCHA_PHONE: '1000000',
  MAILBOX_CAPTCHA_IP: '1000000',
};

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
  // mkdtemp makes a 0700 folder: as root, the embedded PostgreSQL's cluster lives where its user can reach it.
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-test-'));
  // What has been started so far, undone in reverse order when a later step fails: a failed
  // start-up must not leave PostgreSQL, Redis or a data directory behind.
  const stops: (() => Promise<void>)[] = [() => removeDataDir(dataDir)];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const adminPassword = 'admin-password-for-tests';
    // The receivers tests start listen on loopback: allow-listed as an operator would list an internal gateway.
    const config = loadConfig({ ...process.env, ...UNLIMITED_MAILBOX, DATA_DIR: dataDir, ADMIN_PASSWORD: adminPassword, PORT: '0', OUTBOUND_ALLOW_HOSTS: '127.0.0.1,localhost' });
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
    const services: BackingServices = await startBackingServices(config, log);
    stops.push(services.stop);
    const setupPool = createPool(services.databaseOwnerUrl, 2);
    await prepareDatabase(setupPool, adminPassword, applicationRoleOf(services)).finally(() => setupPool.end());
    const metricsToken = 'metrics-token-for-tests';
    const server: RunningServer = await start({ ...services, port: 0, host: '127.0.0.1', log, metricsToken, staffRateLimit: config.staffRateLimit, outboundAllowHosts: config.outboundAllowHosts, mailbox: config.mailbox });
    stops.push(server.stop);
    // The deadline worker in-process, as npm start runs it, so that tests see deadlines fire.
    const worker = await startWorker({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, log, outboxRetentionHours: config.outboxRetentionHours, outboundAllowHosts: config.outboundAllowHosts });
    stops.push(worker.stop);
    const pool = createPool(services.databaseUrl, 4);
    stops.push(() => pool.end());
    const ownerPool = createPool(services.databaseOwnerUrl, 1);
    stops.push(() => ownerPool.end());
    current = {
      baseUrl: server.url,
      pool,
      databaseUrl: services.databaseUrl,
      databaseOwnerUrl: services.databaseOwnerUrl,
      ownerPool,
      redisUrl: services.redisUrl,
      jwtSecret: services.jwtSecret,
      adminPassword,
      metricsToken,
      dataDir,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => undefined);
    throw error;
  }
}

let stopping: Promise<void> | undefined;

/** Stops everything startHarness started, once: an interrupted run may ask while the run's end already stops it. */
export function stopHarness(): Promise<void> {
  stopping ??= (current?.stop() ?? Promise.resolve()).finally(() => {
    current = undefined;
  });
  return stopping;
}
