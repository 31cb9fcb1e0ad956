import pg from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;
export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

// int8 (counts, bigserial ids) as JS numbers: our counters stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

/** Opens a connection pool sized for a 2-core machine running API and worker side by side. */
export function createPool(connectionString: string, max = 12): pg.Pool {
  // work_mem: a keyword search ANDs a unit's cases with the bigram index's matches; under the
  // default 4 MB the bitmap of a common word goes lossy and every case on its pages is read again
  // (a township's search for 路灯 over 5,000,000 cases: 3.1 s at 4 MB, 0.15 s at 32 MB).
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000, application_name: 'hotline-hub', options: '-c work_mem=32MB' });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor may a checked-out client between two queries (PostgreSQL stopping on Ctrl-C at the same
  // moment as we do): its next query fails, and that failure is handled where the query is.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/** Runs `work` in one transaction, committing on success and rolling back on any error. */
export async function withTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
