import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from './logger.js';
import { trackServerProcess } from './child-processes.js';
import { findFreePort } from './free-port.js';
import { stopOrphan } from './pid-file.js';

/** A redis-server child process on a free loopback port. */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Installs redis-server from the OS packages when this is Debian/Ubuntu and we are root; else says what to install. */
export function ensureRedisServerInstalled(log: Logger): void {
  if (hasRedisServer()) return;
  const canApt = process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (canApt) {
    log.info('redis-server is missing; installing it with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
    if (install.status === 0 && hasRedisServer()) return;
  }
  throw new Error(
    'redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install -y redis-server`; ' +
      'Fedora: `sudo dnf install redis`; macOS: `brew install redis`) or set REDIS_URL to an existing Redis.',
  );
}

/**
 * Starts redis-server with its append-only file in `dir` and `password` required of every client,
 * resolving once it accepts connections; on `port` when given (a restart that clients must find
 * again), else on a free one.
 */
export async function startRedisServer(dir: string, password: string, log: Logger, port?: number): Promise<RedisServer> {
  ensureRedisServerInstalled(log);
  const redisDir = path.resolve(dir);
  await fs.mkdir(redisDir, { recursive: true });
  const pidFile = path.join(redisDir, 'redis.pid');
  // Two servers appending to one AOF would corrupt it: stop one orphaned by a killed process.
  await stopOrphan(pidFile, 'SIGTERM');
  const listenPort = port ?? (await findFreePort());
  // The password goes in a file only we can read: on the command line every local user would see it in ps.
  const configFile = path.join(redisDir, 'redis.conf');
  await fs.writeFile(configFile, `requirepass ${password}\n`, { mode: 0o600 });
  await fs.chmod(configFile, 0o600);
  const child: ChildProcess = spawn(
    'redis-server',
    [
      configFile,
      '--port', String(listenPort),
      '--bind', '127.0.0.1',
      '--dir', redisDir,
      '--pidfile', pidFile,
      '--appendonly', 'yes',
      '--appendfsync', 'everysec',
      '--save', '',
      // BullMQ requires that Redis never evicts its keys.
      '--maxmemory-policy', 'noeviction',
      '--daemonize', 'no',
    ],
    // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and Redis
    // must outlive the workers and servers that still talk to it in the ordered shutdown.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  trackServerProcess(child, 'SIGTERM');
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      log.debug({ redis: chunk.toString().trim() });
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${output.slice(-2000)}`)));
    child.once('error', reject);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `redis://:${encodeURIComponent(password)}@127.0.0.1:${listenPort}`,
    port: listenPort,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
