import type { ChildProcess } from 'node:child_process';

// The embedded servers run in process groups of their own, so that Ctrl-C reaches them only through
// the ordered shutdown. When that shutdown is cut short, they must still be told to stop, or they
// outlive this process holding their ports and data directories.
const running = new Map<ChildProcess, NodeJS.Signals>();

/** Remembers a detached server and the signal that stops it cleanly, until it exits. */
export function trackServerProcess(child: ChildProcess, stopSignal: NodeJS.Signals): void {
  running.set(child, stopSignal);
  child.once('exit', () => running.delete(child));
}

/** Sends every tracked server its stop signal: the last thing a process cut short does. */
export function signalServerProcesses(): void {
  for (const [child, signal] of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  }
}
