import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { startBackingServices } from '../infra/backing-services.js';
import { createPool } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { prepareDatabase } from '../models/db/bootstrap.js';
import { countExistingCases, simulateHistory, type SimulationProgress } from './simulation/simulate-history.js';

const USAGE = `npm run simulate -- [--cases N] [--year YYYY] [--force]

Writes a synthetic year of cases and their timelines into the database (DATABASE_URL, or the
embedded PostgreSQL under DATA_DIR), for statistics and benchmarks.
  --cases N     how many cases (default 1000000; about ten events each)
  --year YYYY   the calendar year they are received in (default: the 365 days up to now)
  --force       run even though the database holds real cases`;

interface Options {
  readonly cases: number;
  readonly from: Date;
  readonly to: Date;
  readonly force: boolean;
}

function parseOptions(argv: readonly string[]): Options | undefined {
  const { values } = parseArgs({
    args: [...argv],
    options: { cases: { type: 'string' }, year: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return undefined;
  const cases = Number(values.cases ?? 1_000_000);
  if (!Number.isInteger(cases) || cases < 1 || cases > 20_000_000) throw new Error(`--cases must be a whole number from 1 to 20000000, not "${values.cases}"`);
  if (values.year === undefined) {
    const to = new Date();
    return { cases, from: new Date(to.getTime() - 365 * 86_400_000), to, force: values.force ?? false };
  }
  const year = Number(values.year);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Error(`--year must be a year such as 2025, not "${values.year}"`);
  // The year as Linyi lives it: from midnight of 1 January, Asia/Shanghai (UTC+8, no daylight saving).
  return { cases, from: new Date(`${year}-01-01T00:00:00+08:00`), to: new Date(`${year + 1}-01-01T00:00:00+08:00`), force: values.force ?? false };
}

function printProgress(p: SimulationProgress): void {
  const rate = p.cases / (p.elapsedMs / 1000);
  process.stdout.write(`\r  ${p.cases.toLocaleString('en')} / ${p.total.toLocaleString('en')} cases, ${p.events.toLocaleString('en')} events, ${rate.toFixed(0)} cases per s   `);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  // An external database needs nothing started (and no JWT secret: this signs no tokens).
  const services = config.databaseUrl ? { databaseUrl: config.databaseUrl, stop: async () => undefined } : await startBackingServices(config, log);
  const pool = createPool(services.databaseUrl, 3);
  try {
    await prepareDatabase(pool, config.adminPassword);
    const existing = await countExistingCases(pool);
    if (existing.real > 0 && !options.force) {
      throw new Error(`The database holds ${existing.real} real cases; synthetic history would be mixed into their statistics. Use --force to do it anyway.`);
    }
    if (existing.simulated > 0) log.warn({ simulated: existing.simulated }, 'adding to an earlier simulation');
    process.stdout.write(`Simulating ${options.cases.toLocaleString('en')} cases received ${options.from.toISOString()} .. ${options.to.toISOString()}\n`);
    const report = await simulateHistory(pool, { cases: options.cases, from: options.from, to: options.to, onProgress: printProgress });
    process.stdout.write(
      `\n  done: ${report.cases.toLocaleString('en')} cases, ${report.events.toLocaleString('en')} events (${(report.events / report.cases).toFixed(1)} per case) ` +
        `in ${(report.elapsedMs / 1000).toFixed(0)} s (insert ${(report.insertMs / 1000).toFixed(0)} s, VACUUM ANALYZE ${(report.vacuumMs / 1000).toFixed(0)} s, statistics rollups ${(report.rollupMs / 1000).toFixed(0)} s); ` +
        `events after ${report.cutoff.toISOString()} are not written, so the latest cases are still open\n`,
    );
  } finally {
    await pool.end();
    await services.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
