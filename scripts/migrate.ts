import { loadConfig } from '../config.js';
import { startBackingServices } from '../infra/backing-services.js';
import { createPool } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { prepareDatabase } from '../models/db/bootstrap.js';

/** `npm run migrate`: applies pending migrations and seeds, then exits. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const services = await startBackingServices(config, log);
  const pool = createPool(services.databaseUrl, 2);
  try {
    const report = await prepareDatabase(pool, config.adminPassword);
    log.info({ migrationsApplied: report.migrationsApplied, unitsSeeded: report.unitsSeeded }, 'database is current');
    if (report.generatedAdminPassword) process.stdout.write(`admin password (shown once): ${report.generatedAdminPassword}\n`);
  } finally {
    await pool.end();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
