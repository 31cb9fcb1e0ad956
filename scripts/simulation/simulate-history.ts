import type { Pool, Queryable } from '../../infra/db.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import { rebuildStatistics } from '../../models/insights/stats/rollup.js';
import { loadSimulationMix, type SimulationMix } from './simulation-mix.js';
import { SIMULATED_CASES_SQL, SIMULATED_EVENTS_SQL, SIMULATION_PLAN_SQL } from './simulation-sql.js';

/** The fingerprint every simulated case carries: tells them from real cases. */
export const SIMULATED_MARK = 'simulated';

/** What to generate. */
export interface SimulationOptions {
  readonly cases: number;
  /** The period the cases are received in; events after `now` are not written (those cases stay open). */
  readonly from: Date;
  readonly to: Date;
  /** Cases per statement: each batch is one transaction of about ten times as many events. */
  readonly batchSize?: number;
  /** Batches generated at once, on as many connections (default 2: one per core here). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** How far a simulation has got. */
export interface SimulationProgress {
  readonly cases: number;
  readonly events: number;
  readonly total: number;
  readonly elapsedMs: number;
}

/** What a simulation wrote, and how long each part took. */
export interface SimulationReport extends SimulationProgress {
  readonly from: Date;
  readonly cutoff: Date;
  readonly insertMs: number;
  readonly vacuumMs: number;
  /** Summing the past days into the statistics rollups (they do not know events written into the past). */
  readonly rollupMs: number;
}

/** Cases already in the database: real ones (refuse to mix with them) and earlier simulations. */
export async function countExistingCases(db: Queryable): Promise<{ real: number; simulated: number }> {
  const { rows } = await db.query<{ real: number; simulated: number }>(
    `SELECT count(*) FILTER (WHERE intake_fingerprint IS DISTINCT FROM $1)::int AS real,
            count(*) FILTER (WHERE intake_fingerprint = $1)::int AS simulated
       FROM cases`,
    [SIMULATED_MARK],
  );
  return rows[0] ?? { real: 0, simulated: 0 };
}

function batchParams(mix: SimulationMix, first: number, last: number, total: number, from: Date, cutoff: Date): unknown[] {
  return [
    first, last, total, from, (cutoff.getTime() - from.getTime()) / 1000, cutoff, CITY_CODE, SIMULATED_MARK,
    mix.units, mix.addresses, mix.types, mix.categories, mix.titles, mix.contents, mix.sliceStart, mix.sliceLength, mix.channels,
  ];
}

/**
 * Writes a synthetic history straight into `cases` and `case_events`: `cases` requests received
 * evenly over the period, each with the timeline the API would have written (register, dispatch,
 * accept, forward down the tree, return and re-dispatch, extension, yellow and red cards,
 * escalation, 催办, reply, rating, reopen, return visit). Generated in SQL, one batch per
 * statement, so nothing crosses the wire but the parameters. Ends with VACUUM ANALYZE (the
 * planner needs the new statistics, index-only scans the visibility map) and a rebuild of the
 * statistics rollups, which never see events written into days they have sealed.
 */
export async function simulateHistory(pool: Pool, options: SimulationOptions): Promise<SimulationReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 20_000;
  const { rows } = await pool.query<{ now: Date }>('SELECT now() AS now');
  const now = rows[0]?.now ?? new Date();
  const cutoff = options.to < now ? options.to : now;
  if (cutoff <= options.from) throw new Error('the period to simulate has not begun yet');
  const mix = await loadSimulationMix(pool);
  let cases = 0;
  let events = 0;
  let next = 1;
  // Generating is CPU-bound in PostgreSQL: one connection per core keeps both busy.
  const worker = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      // A batch sorts its events in memory instead of spilling them to temporary files.
      await client.query("SET work_mem = '128MB'");
      while (next <= options.cases) {
        const first = next;
        const last = Math.min(options.cases, first + batchSize - 1);
        next = last + 1;
        const { rows: written } = await client.query<{ cases: number; events: number }>(
          `WITH ${SIMULATION_PLAN_SQL}, ${SIMULATED_EVENTS_SQL}, ${SIMULATED_CASES_SQL}
           SELECT (SELECT count(*) FROM inserted_cases)::int AS cases, (SELECT count(*) FROM inserted_events)::int AS events`,
          batchParams(mix, first, last, options.cases, options.from, cutoff),
        );
        cases += written[0]?.cases ?? 0;
        events += written[0]?.events ?? 0;
        options.onProgress?.({ cases, events, total: options.cases, elapsedMs: performance.now() - started });
      }
    } finally {
      await client.query('RESET work_mem').catch(() => undefined);
      client.release();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  const insertMs = performance.now() - started;
  await pool.query('VACUUM (ANALYZE) cases, case_events');
  const vacuumMs = performance.now() - started - insertMs;
  await rebuildStatistics(pool);
  const elapsedMs = performance.now() - started;
  return { cases, events, total: options.cases, from: options.from, cutoff, insertMs, vacuumMs, rollupMs: elapsedMs - insertMs - vacuumMs, elapsedMs };
}
