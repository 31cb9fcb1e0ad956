import { runProcess } from '../infra/process-lifecycle.js';
import { start } from '../worker.js';

/**
 * `npm run worker`: the deadline worker as its own process, joining a system's PostgreSQL and Redis
 * (a separate worker cannot start them; `npm start` already runs one worker in-process).
 */
runProcess(
  async ({ config, log, onStop }) => {
    const { databaseUrl, redisUrl } = config;
    // Required by runProcess below; the checks only narrow the types.
    if (!databaseUrl || !redisUrl) throw new Error('DATABASE_URL and REDIS_URL are required');
    const worker = await start({ databaseUrl, redisUrl, log, outboxRetentionHours: config.outboxRetentionHours, outboundAllowHosts: config.outboundAllowHosts });
    onStop(worker.stop);
    log.info('deadline worker is up');
  },
  { required: ['DATABASE_URL', 'REDIS_URL'] },
);
