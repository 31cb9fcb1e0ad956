import type { Pool } from '../infra/db.js';
import type { LoopTask } from '../infra/scheduler.js';
import { pruneOutbox } from '../models/db/outbox.js';

const BATCH = 5_000;

/** Deletes, every few minutes and a batch at a time, the outbox rows every consumer handled longer ago than the retention. */
export function outboxPruneTask(pool: Pool, retentionHours: number, everyMs = 300_000): LoopTask {
  return { name: 'outbox pruning', everyMs, run: async () => (await pruneOutbox(pool, retentionHours, BATCH)) === BATCH };
}
