import { signalServerProcesses } from './child-processes.js';

// What a program stopped by Ctrl-C or SIGTERM exits with, as a shell reports a process killed by SIGINT.
const INTERRUPTED_EXIT_CODE = 130;
// Cleaning up takes seconds; this bounds it should a server hang on the way down.
const CLEANUP_LIMIT_MS = 30_000;

const cleanups = new Set<() => Promise<void>>();
let listening = false;
let interrupted = false;

function onInterrupt(): void {
  if (interrupted) return;
  interrupted = true;
  // The program's own work now fails as its servers stop under it; that must not end it before its cleanup.
  const expected = (): void => undefined;
  process.on('uncaughtException', expected);
  process.on('unhandledRejection', expected);
  setTimeout(() => {
    signalServerProcesses();
    process.exit(INTERRUPTED_EXIT_CODE);
  }, CLEANUP_LIMIT_MS).unref();
  void Promise.all(
    [...cleanups].reverse().map((cleanup) => cleanup().catch((error: unknown) => process.stderr.write(`cleaning up after the interruption failed: ${String(error)}\n`))),
  ).finally(() => process.exit(INTERRUPTED_EXIT_CODE));
}

/**
 * Runs `cleanup` if a short-lived program (a test run, a bench) is stopped by Ctrl-C or SIGTERM
 * before it is done, and returns the cleanup for the program to call when it is done (it is then
 * no longer run on an interruption). Node's default
 * would exit at once, leaving the servers it started in process groups of their own running and
 * their throw-away data directories (as root, clusters under /var/lib/hotline-hub) behind. Both
 * signals are one interruption: mocha passes Ctrl-C on to its worker as SIGINT, then SIGTERM.
 */
export function cleanUpOnInterrupt(cleanup: () => Promise<void>): () => Promise<void> {
  if (!listening) {
    listening = true;
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
  }
  // Once only: the program's own finally may call it while an interruption already runs it, and
  // two removals of one data directory at once can leave its cluster behind.
  let running: Promise<void> | undefined;
  const once = (): Promise<void> => (running ??= cleanup());
  cleanups.add(once);
  return () => {
    cleanups.delete(once);
    return once();
  };
}
