import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

const CHANNEL = 'hotline-hub:config-changed';
// Pub/sub drops messages while a process is cut off from Redis; the poll catches up after that.
const POLL_MS = 10_000;

/** Configuration every process caches (routing rules, time-limit policies, the calendar), by name. */
export type ConfigReloaders = Readonly<Record<string, () => Promise<unknown>>>;

/** The cross-process signal that some cached configuration changed. */
export interface ConfigChangeWatch {
  /** Reloads `name` here, then tells every other process to reload it too. */
  announce(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** Subscribes to configuration changes on Redis, and polls every reloader as a safety net. */
export async function watchConfigChanges(redis: Redis, reloaders: ConfigReloaders, log: Logger): Promise<ConfigChangeWatch> {
  const subscriber = redis.duplicate({ enableAutoPipelining: false });
  const run = (name: string): void => {
    const reload = reloaders[name];
    reload?.().catch((error: unknown) => log.error({ err: error, config: name }, 'reloading configuration failed'));
  };
  subscriber.on('message', (_channel: string, name: string) => run(name));
  await subscriber.subscribe(CHANNEL);
  const poll = setInterval(() => Object.keys(reloaders).forEach(run), POLL_MS);
  poll.unref();
  return {
    announce: async (name) => {
      await reloaders[name]?.();
      await redis.publish(CHANNEL, name);
    },
    stop: async () => {
      clearInterval(poll);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
