import type { Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import { checkRisingTerms } from '../models/insights/hot-topics/rising-alerts.js';
import { indexNewCaseTerms } from '../models/insights/hot-topics/term-index.js';

/** How often the term index catches up with intake, and how often rising terms are checked. */
export interface HotTopicsLoopOptions {
  readonly pool: Pool;
  readonly now: () => Date;
  readonly indexEveryMs?: number;
  readonly checkEveryMs?: number;
}

/**
 * Off the intake path: segments new cases into the term index (hot topics, repeats, duplicates)
 * a batch at a time until the queue is empty, and checks for terms rising past their threshold,
 * which warns the centre through the outbox. Several workers take turns by advisory locks.
 */
export function hotTopicsTasks(options: HotTopicsLoopOptions): LoopTask[] {
  return [
    { name: 'term indexing', everyMs: options.indexEveryMs ?? 5_000, run: async () => (await indexNewCaseTerms(options.pool, 500)).indexed > 0 },
    {
      name: 'hot-topic check',
      everyMs: options.checkEveryMs ?? 60_000,
      run: async () => {
        await checkRisingTerms(options.pool, options.now());
        return false;
      },
    },
  ];
}
