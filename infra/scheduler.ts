import type { Logger } from './logger.js';

/** One background loop: a round of work, how often it runs, and how it backs off. */
export interface LoopTask {
  readonly name: string;
  /** Wait between rounds that found nothing more to do. */
  readonly everyMs: number;
  /** One round; resolves true when more work is waiting, and the next round starts at once. */
  run(): Promise<boolean>;
  /** Starts with a round at once rather than after `everyMs`. */
  readonly immediate?: boolean;
  readonly maxBackoffMs?: number;
}

/** The loops of one process. */
export interface Scheduler {
  /** Runs a task's round now (or joins the one in flight): one round at a time per task. */
  runNow(name: string): Promise<boolean>;
  /** Stops every loop: no new round starts, and the rounds in flight are awaited. */
  stop(): Promise<void>;
}

const DEFAULT_MAX_BACKOFF_MS = 5_000;

/**
 * Runs background loops (outbox consumers, sweeps, periodic jobs) the one way: a round, at once
 * again while work is waiting, else after the task's interval; exponential back-off while a round
 * fails (PostgreSQL or Redis away), logged with the count of failures; one round at a time per
 * task; a stop that wakes the sleeping loops and waits for the rounds in flight.
 */
export function startScheduler(log: Logger, tasks: readonly LoopTask[]): Scheduler {
  let stopped = false;
  const wakes = new Set<() => void>();
  const inFlight = new Map<string, Promise<boolean>>();
  const byName = new Map(tasks.map((task) => [task.name, task]));

  const round = (task: LoopTask): Promise<boolean> => {
    let current = inFlight.get(task.name);
    if (!current) {
      current = task.run().finally(() => inFlight.delete(task.name));
      inFlight.set(task.name, current);
    }
    return current;
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        wakes.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakes.add(wake);
    });
  const loop = async (task: LoopTask): Promise<void> => {
    let failures = 0;
    if (!task.immediate) await sleep(task.everyMs);
    while (!stopped) {
      let more = false;
      try {
        more = await round(task);
        failures = 0;
      } catch (error) {
        failures += 1;
        log.warn({ err: error, task: task.name, failures }, `${task.name} failed; retrying`);
      }
      if (stopped) break;
      if (more && failures === 0) continue;
      await sleep(failures === 0 ? task.everyMs : Math.min(task.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, task.everyMs * 2 ** failures));
    }
  };
  const loops = tasks.map(loop);

  return {
    runNow: (name) => {
      const task = byName.get(name);
      if (!task) return Promise.reject(new Error(`no task named ${name}`));
      return round(task);
    },
    stop: async () => {
      stopped = true;
      for (const wake of [...wakes]) wake();
      await Promise.all(loops);
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
