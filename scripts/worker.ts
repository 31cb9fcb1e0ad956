import { loadConfig } from '../config.js';
import { createLogger } from '../infra/logger.js';
import { start } from '../worker.js';

/** `npm run worker`: the deadline worker as its own process, joining a system's PostgreSQL and Redis. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.databaseUrl || !config.redisUrl) {
    const missing = [config.databaseUrl ? null : 'DATABASE_URL', config.redisUrl ? null : 'REDIS_URL'].filter(Boolean).join(' and ');
    log.fatal(`npm run worker needs ${missing}: a separate worker joins the PostgreSQL and Redis of a running system (npm start already runs one in-process)`);
    process.exit(1);
  }
  const worker = await start({ databaseUrl: config.databaseUrl, redisUrl: config.redisUrl, log, outboundAllowHosts: config.outboundAllowHosts });
  log.info('deadline worker is up');
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown step failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
