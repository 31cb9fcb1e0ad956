import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { findFreePort } from '../../infra/free-port.js';
import { livePidFrom, waitForPidFileGone } from '../../infra/pid-file.js';
import { embeddedPostgresDir, removeDataDir } from '../../infra/postgres-placement.js';

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly baseUrl: string;
}

// `npm start` as a user runs it, in its own process group so that a Ctrl-C can be sent to the group.
async function npmStart(dataDir: string, port: number, cwd = process.cwd()): Promise<Started> {
  const child = spawn('npm', ['start'], {
    cwd,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', REDIS_URL: '', ADMIN_PASSWORD: '', JWT_SECRET: '' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`npm start exited early: ${output}`);
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false);
    // The banner (with a first start's admin password) is printed right after the API listens.
    if (ready && output.includes('Hotline Hub is running')) return { child, output: () => output, baseUrl };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within 60 s: ${output}`);
}

// What a Ctrl-C in the terminal does: SIGINT to the whole foreground process group.
// npm itself ends by the same signal, possibly before the system has finished stopping: wait
// (bounded) for the servers it started to be gone, then read the clean shutdown from its log.
async function ctrlC(started: Started, dataDir: string): Promise<string> {
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  process.kill(-(started.child.pid ?? 0), 'SIGINT');
  await exited;
  const clusterDir = await embeddedPostgresDir(dataDir);
  const gone = Promise.all([waitForPidFileGone(path.join(clusterDir, 'postmaster.pid')), waitForPidFileGone(path.join(dataDir, 'redis', 'redis.pid'))]);
  const limit = new Promise((_, reject) => setTimeout(() => reject(new Error(`servers still running 30 s after Ctrl-C:\n${started.output()}`)), 30_000).unref());
  await Promise.race([gone, limit]);
  return started.output();
}

// Ctrl-C signals PostgreSQL and Redis at the same moment as the system, so a background loop's
// query in flight may fail and be logged on the way down; a clean shutdown is every step of the
// ordered stop completing, nothing fatal, and (checked by the caller) no server left running.
function expectCleanShutdown(output: string): void {
  expect(output).to.match(/"msg":"shutting down"/);
  expect(output).not.to.match(/shutdown step failed|"level":60/);
}

async function login(baseUrl: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  expect(res.status).to.equal(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

describe('npm start (embedded PostgreSQL and Redis, fresh data dir)', function () {
  this.timeout(180_000);
  let dataDir: string;

  before(async () => {
    // A 0700 folder, as every mkdtemp is: the start must not need its permissions changed.
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-start-'));
  });
  after(async () => {
    await removeDataDir(dataDir);
  });

  it('when started, stopped with Ctrl-C and started again, then the data is still there and the servers are gone', async () => {
    const first = await npmStart(dataDir, await findFreePort());
    const password = /admin with password (\S+)/.exec(first.output())?.[1];
    expect(password, first.output()).to.be.a('string');
    const token = await login(first.baseUrl, password ?? '');
    const mailbox = await fetch(`${first.baseUrl}/api/public/mailbox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phone: '13800000000', title: '重启测试', content: '重启之后这封信应当还在' }),
    });
    expect(mailbox.status).to.equal(201);
    const { caseNo, queryCode } = (await mailbox.json()) as { caseNo: string; queryCode: string };

    expectCleanShutdown(await ctrlC(first, dataDir));
    expect(await livePidFrom(path.join(await embeddedPostgresDir(dataDir), 'postmaster.pid'))).to.equal(undefined);
    expect(await livePidFrom(path.join(dataDir, 'redis', 'redis.pid'))).to.equal(undefined);

    const second = await npmStart(dataDir, await findFreePort());
    try {
      expect(second.output()).not.to.match(/admin with password/);
      await login(second.baseUrl, password ?? '');
      const tracked = await fetch(`${second.baseUrl}/api/public/cases/${caseNo}?code=${queryCode}`);
      expect(tracked.status).to.equal(200);
      expect(((await tracked.json()) as { title: string }).title).to.equal('重启测试');
      const secrets = JSON.parse(await fs.readFile(path.join(dataDir, 'secrets.json'), 'utf8')) as { jwtSecret: string };
      expect(secrets.jwtSecret).to.have.length.greaterThan(32);
      // A token from the first run still verifies: the generated JWT secret was kept in the data dir.
      const me = await fetch(`${second.baseUrl}/api/users`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).to.equal(200);
    } finally {
      expectCleanShutdown(await ctrlC(second, dataDir));
    }
  });
});

// A clone of this working tree (tracked and new files as they are now) with its own node_modules,
// hard-linked to save the copy: PostgreSQL's binaries are then only reachable through `home`.
async function cloneInto(home: string): Promise<string> {
  const clone = path.join(home, 'hotline-hub');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(file)) continue;
    await fs.mkdir(path.join(clone, path.dirname(file)), { recursive: true });
    await fs.copyFile(file, path.join(clone, file));
  }
  execFileSync('cp', ['-al', 'node_modules', path.join(clone, 'node_modules')]);
  return clone;
}

describe('npm start from a clone in a 0700 home folder (as root: /root)', function () {
  this.timeout(180_000);
  let home: string;

  before(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'hotline-hub-home-'));
  });
  after(async () => {
    await removeDataDir(path.join(home, 'hotline-hub', 'data'));
    await fs.rm(home, { recursive: true, force: true });
  });

  it('when started with the default DATA_DIR inside the clone, then it serves and the home keeps its 0700', async () => {
    const clone = await cloneInto(home);
    const dataDir = path.join(clone, 'data');
    const started = await npmStart(dataDir, await findFreePort(), clone);
    try {
      const password = /admin with password (\S+)/.exec(started.output())?.[1];
      await login(started.baseUrl, password ?? '');
      if (process.getuid?.() === 0) expect(started.output()).to.match(/PostgreSQL cluster: \/var\/lib\/hotline-hub\/clusters\/[0-9a-f]+ \(run as the system user 'postgres'/);
      expect((await fs.stat(home)).mode & 0o777).to.equal(0o700);
    } finally {
      expectCleanShutdown(await ctrlC(started, dataDir));
    }
  });
});
