import { spawn } from 'node:child_process';
import { expect } from 'chai';
import { eventually } from '../support/deadline-cases.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts the fixture and returns it with the pid of the detached server it started. */
async function startStuck(env: Record<string, string>): Promise<{ child: ReturnType<typeof spawn>; server: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/stuck-shutdown.ts'], {
    env: { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const server = await eventually(async () => {
    const pid = /server (\d+)/.exec(output)?.[1];
    return pid ? Number(pid) : undefined;
  }, 60_000, 'the fixture to start its server');
  return { child, server, exited };
}

describe('a shutdown cut short', function () {
  this.timeout(90_000);

  it('when the ordered shutdown outlives SHUTDOWN_TIMEOUT_MS, then the process exits 1 and its detached servers are stopped too', async () => {
    const { child, server, exited } = await startStuck({ SHUTDOWN_TIMEOUT_MS: '1000' });
    expect(alive(server)).to.equal(true);
    child.kill('SIGINT');
    expect(await exited).to.equal(1);
    await eventually(async () => (alive(server) ? undefined : true), 10_000, 'the detached server to stop');
  });

  it('when a second Ctrl-C comes while the shutdown hangs, then the process exits 130 and its detached servers are stopped too', async () => {
    const { child, server, exited } = await startStuck({ SHUTDOWN_TIMEOUT_MS: '600000' });
    child.kill('SIGINT');
    // The first signal starts the shutdown; a second within SAME_SIGNAL_WINDOW_MS (1 s) is the same
    // keypress seen twice (npm passes it on), so the second Ctrl-C must come after that window.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(child.exitCode).to.equal(null);
    child.kill('SIGINT');
    expect(await exited).to.equal(130);
    await eventually(async () => (alive(server) ? undefined : true), 10_000, 'the detached server to stop');
  });
});
