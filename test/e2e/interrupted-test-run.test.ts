import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import { expect } from 'chai';
import { eventually } from '../support/deadline-cases.js';

interface InterruptedRun {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Ctrl-C in a terminal: SIGINT to every process of the run's group. */
  interrupt(): void;
}

/** `mocha` on the fixture spec with the project's hooks, in a process group of its own as a terminal starts it. */
function startRun(env: Record<string, string> = {}): InterruptedRun {
  const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', 'test/fixtures/interrupted-run.spec.ts'], {
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { output: () => output, exited, interrupt: () => process.kill(-(child.pid as number), 'SIGINT') };
}

const exists = (file: string): Promise<boolean> => fs.access(file).then(() => true, () => false);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('a test run interrupted with Ctrl-C', function () {
  this.timeout(120_000);

  it('when it is interrupted while its tests run, then it exits 130 with its PostgreSQL, Redis, cluster and data directory gone', async () => {
    const run = startRun();
    const services = await eventually(async () => {
      const line = /services (\{.*\})/.exec(run.output())?.[1];
      return line ? (JSON.parse(line) as { dataDir: string; clusterDir: string; postgresPort: number; redisPort: number }) : undefined;
    }, 90_000, 'the run to start its harness');
    expect(await exists(services.clusterDir)).to.equal(true);
    expect(await listening(services.postgresPort)).to.equal(true);
    run.interrupt();
    expect(await run.exited, run.output()).to.equal(130);
    expect(await exists(services.clusterDir)).to.equal(false);
    expect(await exists(services.dataDir)).to.equal(false);
    expect(await listening(services.postgresPort)).to.equal(false);
    expect(await listening(services.redisPort)).to.equal(false);
  });

  it('when it is interrupted while its harness starts, then the start-up finishes and is undone: no PostgreSQL and no cluster are left', async () => {
    const run = startRun({ TEST_LOG_LEVEL: 'info' });
    const postgres = await eventually(async () => {
      const line = run.output().split('\n').find((l) => l.includes('embedded PostgreSQL started'));
      return line ? (JSON.parse(line) as { dir: string; port: number }) : undefined;
    }, 90_000, 'the run to start its PostgreSQL');
    run.interrupt();
    expect(await run.exited, run.output()).to.equal(130);
    expect(await exists(postgres.dir)).to.equal(false);
    expect(await listening(postgres.port)).to.equal(false);
  });
});
