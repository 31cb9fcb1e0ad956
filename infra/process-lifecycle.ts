import { loadConfig, type Config, type RequiredSetting } from '../config.js';
import { signalServerProcesses } from './child-processes.js';
import { createLogger, type Logger } from './logger.js';

/** What a process's start-up is given: its configuration, its logger, and where to register stop steps. */
export interface ProcessScope {
  readonly config: Config;
  readonly log: Logger;
  /** Registers a step of the ordered shutdown; steps run in the reverse order of registration. */
  onStop(stop: () => Promise<void>): void;
}

// One Ctrl-C reaches this process more than once: the terminal signals the whole process group,
// and npm forwards the signal it got to its child. Copies within this window are the same key
// press; a signal after it is the operator pressing Ctrl-C again. (The npm scripts run Node with
// tsx as a loader, not the tsx command: that one SIGKILLs its child unless the child confirms a
// signal within 30 ms, which a busy machine missed, and the shutdown died half-way.)
const SAME_SIGNAL_WINDOW_MS = 1_000;
const FORCED_EXIT_CODE = 130;
// Ctrl-C in a terminal stops PostgreSQL and Redis at the same moment as us: a step waiting on them
// (a queue draining, a loop's query) would wait forever, and the servers still need stopping after it.
const STEP_LIMIT_MS = 10_000;

/**
 * Runs a long-lived process. Everything from reading the configuration on sits inside the error
 * path: a failed start-up is logged and undoes what it had started (in reverse order) before the
 * process exits 1. SIGINT/SIGTERM run the ordered shutdown; a second Ctrl-C, or the shutdown
 * outliving SHUTDOWN_TIMEOUT_MS, stops the process at once. An uncaught exception or an
 * unhandled rejection is logged and shuts down with exit code 1: the state is unknown after it.
 */
export function runProcess(start: (scope: ProcessScope) => Promise<void>, options: { required?: readonly RequiredSetting[] } = {}): void {
  let config: Config;
  try {
    config = loadConfig(process.env, options.required);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  const stops: (() => Promise<void>)[] = [];
  let stoppingSince: number | undefined;

  const shutdown = async (reason: string, exitCode: number): Promise<void> => {
    if (stoppingSince !== undefined) return;
    stoppingSince = Date.now();
    log.info({ signal: reason }, 'shutting down');
    setTimeout(() => {
      log.fatal({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown took too long; stopping now');
      signalServerProcesses();
      process.exit(exitCode || 1);
    }, config.shutdownTimeoutMs).unref();
    for (const stop of stops.reverse()) {
      const outcome = await Promise.race([
        stop().then(() => 'done' as const),
        new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), STEP_LIMIT_MS).unref()),
      ]).catch((error: unknown) => {
        log.error({ err: error }, 'shutdown step failed');
        return 'failed' as const;
      });
      if (outcome === 'late') log.warn({ limitMs: STEP_LIMIT_MS }, 'shutdown step still waiting (its PostgreSQL or Redis is already gone); moving on to the next');
    }
    process.exit(exitCode);
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stoppingSince !== undefined && Date.now() - stoppingSince > SAME_SIGNAL_WINDOW_MS) {
      log.warn({ signal }, 'second signal: stopping now without finishing the shutdown');
      signalServerProcesses();
      process.exit(FORCED_EXIT_CODE);
    }
    void shutdown(signal, 0);
  };
  const onFatal = (what: string) => (error: unknown): void => {
    log.fatal({ err: error }, what);
    void shutdown(what, 1);
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // However this process ends, even by running out of work with a shutdown step left waiting,
  // the servers it started in groups of their own are told to stop rather than left running.
  process.on('exit', signalServerProcesses);
  process.on('uncaughtException', onFatal('uncaught exception'));
  process.on('unhandledRejection', onFatal('unhandled rejection'));
  start({ config, log, onStop: (stop) => void stops.push(stop) }).catch(onFatal('start-up failed'));
}
