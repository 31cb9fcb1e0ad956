import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { checkRisingTerms } from '../models/hot-topics/rising-alerts.js';
import { indexNewCaseTerms } from '../models/hot-topics/term-index.js';

/** How often the term index catches up with intake, and how often rising terms are checked. */
export interface HotTopicsLoopOptions {
  readonly pool: Pool;
  readonly log: Logger;
  readonly now: () => Date;
  readonly indexEveryMs?: number;
  readonly checkEveryMs?: number;
}

/** A running loop. */
export interface HotTopicsLoop {
  stop(): Promise<void>;
}

/**
 * Off the intake path: segments new cases into the term index (hot topics, repeats, duplicates)
 * a batch at a time until the queue is empty, and checks for terms rising past their threshold,
 * which warns the centre through the outbox. Several workers take turns by advisory locks.
 */
export function startHotTopicsLoop(options: HotTopicsLoopOptions): HotTopicsLoop {
  let running: Promise<void> | undefined;
  const index = async (): Promise<void> => {
    while ((await indexNewCaseTerms(options.pool, 500)).indexed > 0);
  };
  const guarded = (work: () => Promise<unknown>, what: string) => (): void => {
    if (running) return;
    running = work()
      .then(() => undefined)
      .catch((error: unknown) => options.log.warn({ err: error }, `${what} failed; the next tick retries`))
      .finally(() => (running = undefined));
  };
  const indexTimer = setInterval(guarded(index, 'term indexing'), options.indexEveryMs ?? 5_000);
  const checkTimer = setInterval(guarded(() => checkRisingTerms(options.pool, options.now()), 'hot-topic check'), options.checkEveryMs ?? 60_000);
  return {
    stop: async () => {
      clearInterval(indexTimer);
      clearInterval(checkTimer);
      await running;
    },
  };
}
