import type { Queryable } from './db.js';

/** The database's time, read without a round trip: deadlines count from it, not from this host. */
export interface DatabaseClock {
  now(): Date;
  stop(): void;
}

// Re-measured now and then: hosts drift by milliseconds an hour, far inside what a deadline cares about.
const RESYNC_MS = 60_000;

/** Measures this host's offset from the database clock (halfway through a round trip) and keeps it fresh. */
export async function startDatabaseClock(db: Queryable): Promise<DatabaseClock> {
  let offsetMs = 0;
  const measure = async (): Promise<void> => {
    const sent = Date.now();
    const { rows } = await db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    const received = Date.now();
    const dbNow = rows[0]?.now.getTime() ?? received;
    offsetMs = dbNow - (sent + received) / 2;
  };
  await measure();
  const timer = setInterval(() => void measure().catch(() => undefined), RESYNC_MS);
  timer.unref();
  return { now: () => new Date(Date.now() + offsetMs), stop: () => clearInterval(timer) };
}
