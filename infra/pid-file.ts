import fs from 'node:fs/promises';

/** Reads the pid on the first line of a server's pid file, if that process is still alive. */
export async function livePidFrom(pidFile: string): Promise<number | undefined> {
  const text = await fs.readFile(pidFile, 'utf8').catch(() => undefined);
  const pid = Number.parseInt(text?.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Stops a server left running by a previous process that died without shutting it down. */
export async function stopOrphan(pidFile: string, signal: NodeJS.Signals, timeoutMs = 15_000): Promise<void> {
  const pid = await livePidFrom(pidFile);
  if (pid === undefined) return;
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await livePidFrom(pidFile)) === undefined) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Process ${pid} from ${pidFile} did not stop within ${timeoutMs} ms`);
}

/** Resolves once the server owning `pidFile` has exited (the file is gone or its process is dead). */
export async function waitForPidFileGone(pidFile: string): Promise<void> {
  while ((await livePidFrom(pidFile)) !== undefined) await new Promise((r) => setTimeout(r, 100));
}
