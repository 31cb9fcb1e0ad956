import { loadConfig } from '../config.js';
import { startBackingServices } from '../infra/backing-services.js';
import { createPool } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { prepareDatabase } from '../models/bootstrap.js';
import { start as startServer } from '../server.js';
import { start as startWorker } from '../worker.js';

/** `npm start`: the whole system in one process, on embedded services unless URLs are given. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const services = await startBackingServices(config, log);
  const stops: (() => Promise<void>)[] = [services.stop];
  let stopping = false;
  const shutdown = async (signal: string, exitCode = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => log.error({ err: error }, 'shutdown step failed'));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    const pool = createPool(services.databaseUrl, 2);
    const report = await prepareDatabase(pool, config.adminPassword).finally(() => pool.end());
    // The deadline worker runs in-process too (`npm run worker` adds more; they share the work). It
    // starts first, so that an API answering /readyz means the whole system is up.
    const worker = await startWorker({ databaseUrl: services.databaseUrl, redisUrl: services.redisUrl, log });
    stops.push(worker.stop);
    const server = await startServer({ ...services, port: config.port, host: config.host, log, routingModelThreshold: config.routingModelThreshold });
    stops.push(server.stop);
    log.info({ url: server.url, migrationsApplied: report.migrationsApplied, unitsSeeded: report.unitsSeeded }, 'Hotline Hub is up');
    const lines = [
      '',
      `  Hotline Hub is running at ${server.url}`,
      `  Citizen page: ${server.url}/   API: ${server.url}/api   OpenAPI: ${server.url}/api/openapi.json`,
      report.generatedAdminPassword
        ? `  Log in as admin with password ${report.generatedAdminPassword} (shown once; set ADMIN_PASSWORD to choose it)`
        : '  Log in as admin with your ADMIN_PASSWORD (POST /api/auth/login)',
      `  Data: ${services.embedded.postgres || services.embedded.redis ? config.dataDir : 'external servers'}   Stop: Ctrl-C`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    log.fatal({ err: error }, 'start-up failed');
    await shutdown('startup-failure', 1);
  }
}

void main();
