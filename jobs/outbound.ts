import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import type { LoopTask } from '../infra/scheduler.js';
import { outboundRelayTask } from './outbound-relay.js';
import { createOutboundQueue, DEFAULT_RETRY, type RetryPolicy } from './outbound.queue.js';
import { createOutboundWorker, type OutboundWorkerOptions } from './outbound.worker.js';

/** What the outbound machinery needs, and its tuning. */
export interface OutboundOptions extends OutboundWorkerOptions {
  readonly pool: Pool;
  readonly redisUrl: string;
  readonly log: Logger;
  readonly retry?: Partial<RetryPolicy>;
  readonly relayIntervalMs?: number;
}

/**
 * Starts replying through the source channel (按来源渠道回复): the BullMQ worker that sends, and
 * the relay task (for the process's scheduler) that turns outbox rows into outbound jobs. Several
 * processes can run it at once: the relay shares the outbox by row locks, the queue shares the jobs.
 * Stop the scheduler first, then this.
 */
export function startOutbound(options: OutboundOptions): { readonly relay: LoopTask; stop(): Promise<void> } {
  const log = options.log.child({ component: 'outbound' });
  const queue = createOutboundQueue(options.redisUrl, { ...DEFAULT_RETRY, ...options.retry });
  const worker = createOutboundWorker(options.redisUrl, options.pool, log, options);
  return {
    relay: outboundRelayTask({ pool: options.pool, queue, intervalMs: options.relayIntervalMs }),
    stop: async () => {
      // Lets the messages in flight finish and record their outcome.
      await worker.close();
      await queue.close();
    },
  };
}
