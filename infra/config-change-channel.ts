import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

const CHANNEL = 'hotline-hub:routing-rules-changed';
// Pub/sub drops messages while a process is cut off from Redis; the poll catches up after that.
const POLL_MS = 10_000;

/** The cross-process signal that the routing rules changed. */
export interface RuleChangeWatch {
  /** Tells every process (this one included) to reload now. */
  announce(): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribes to rule changes on Redis and polls as a safety net; `reload` is called on each signal. */
export async function watchRuleChanges(redis: Redis, reload: () => Promise<unknown>, log: Logger): Promise<RuleChangeWatch> {
  const subscriber = redis.duplicate({ enableAutoPipelining: false });
  const run = (): void => {
    reload().catch((error: unknown) => log.error({ err: error }, 'reloading routing rules failed'));
  };
  subscriber.on('message', run);
  await subscriber.subscribe(CHANNEL);
  const poll = setInterval(run, POLL_MS);
  poll.unref();
  return {
    announce: async () => {
      await reload();
      await redis.publish(CHANNEL, String(Date.now()));
    },
    stop: async () => {
      clearInterval(poll);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
