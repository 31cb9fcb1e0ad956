import { withTransaction, type Pool, type PoolClient } from '../../../infra/db.js';
import { ARRIVAL_ACTIONS, EVENT_METRICS, FIRST_UNDONE_ROLLUP_SQL, countEventsSql, sqlList } from './metrics.js';

// Any constant shared by every process: serialises sealing, so that a day is summed once.
const SEAL_LOCK_KEY = 7_301_234_512_346;

/**
 * A day is sealed once it has been over for this long: an action's event carries the time its
 * transaction began, so a transaction still open across midnight must have committed by then.
 */
export const SEAL_MARGIN = '15 minutes';

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

const ARRIVALS = `e.action IN (${sqlList(ARRIVAL_ACTIONS)})`;

/**
 * Arrivals of [$1, $2) into a subtree their case had reached before: per arrival and per root at
 * or above its unit, with the previous arrival there (from the case's whole past). `cases` limits
 * the history read to the cases that have an arrival in the range.
 */
function repeatArrivalsSql(everything: boolean): string {
  const cases = everything ? '' : `AND e.case_id IN (SELECT e.case_id FROM case_events e WHERE ${ARRIVALS} AND e.created_at >= $1 AND e.created_at < $2)`;
  return `INSERT INTO stat_repeat_arrivals (event_id, root, at, prev_at)
    SELECT id, root, created_at, prev_at FROM (
      SELECT h.id, h.created_at, a.root, lag(h.created_at) OVER (PARTITION BY h.case_id, a.root ORDER BY h.id) AS prev_at
        FROM (SELECT e.id, e.case_id, e.created_at, e.unit_code FROM case_events e
               WHERE ${ARRIVALS} AND e.created_at < $2 AND e.unit_code IS NOT NULL ${cases}) h
        JOIN (SELECT u.code AS unit, r.code AS root FROM units u JOIN units r ON u.path LIKE r.path || '%') a ON a.unit = h.unit_code
    ) w
   WHERE prev_at IS NOT NULL AND created_at >= $1`;
}

// The seal before the first one (as migration 006 stores it): no events are in the rollups yet.
const NOTHING_SEALED = new Date(0);

// The unit's first reply to the case after a red card, among events before $2.
const FIRST_REPLY = `(SELECT min(r.created_at) FROM case_events r
   WHERE r.case_id = k.case_id AND r.action = 'reply' AND r.id > k.event_id AND r.unit_code = k.unit_code AND r.created_at < $2)`;

/** Seals the reply red cards of [$1, $2) and fills in the answers that came before $2 to older ones. */
async function sealRedCards(client: PoolClient, from: Date, to: Date): Promise<void> {
  await client.query(
    `INSERT INTO stat_red_cards (event_id, case_id, unit_code, at, answered_at)
     SELECT k.event_id, k.case_id, k.unit_code, k.at, ${FIRST_REPLY}
       FROM (SELECT e.id AS event_id, e.case_id, e.unit_code, e.created_at AS at FROM case_events e
              WHERE e.action = 'deadline_overdue' AND e.data->>'kind' = 'reply' AND e.created_at >= $1 AND e.created_at < $2 AND e.unit_code IS NOT NULL) k`,
    [from, to],
  );
  await client.query(`UPDATE stat_red_cards k SET answered_at = ${FIRST_REPLY} WHERE k.answered_at IS NULL AND k.at < $1`, [from, to]);
}

async function sealRange(client: PoolClient, from: Date, to: Date): Promise<void> {
  const everything = from.getTime() === NOTHING_SEALED.getTime();
  // Sorting a year of arrivals by case is the big step of a first seal: let it use memory.
  await client.query(`SET LOCAL work_mem = '256MB'`);
  const columns = EVENT_METRICS.map((m) => m.column).join(', ');
  await client.query(
    `INSERT INTO stat_unit_days (day, unit_code, ${columns})
     ${countEventsSql('e.created_at >= $1 AND e.created_at < $2', true)}`,
    [from, to],
  );
  await client.query(repeatArrivalsSql(everything), [from, to]);
  await sealRedCards(client, from, to);
  // By registration, not receipt: a case entered today with last week's receipt time is sealed
  // with today and added to last week's day.
  await client.query(
    `INSERT INTO stat_case_mix_days (day, channel, division_code, received)
     SELECT (c.received_at AT TIME ZONE 'Asia/Shanghai')::date, c.channel, coalesce(c.division_code, ''), count(*)
       FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2 GROUP BY 1, 2, 3
     ON CONFLICT (day, channel, division_code) DO UPDATE SET received = stat_case_mix_days.received + EXCLUDED.received`,
    [from, to],
  );
  // An undoing sealed today is filed under the day of the first dispatch it undid.
  await client.query(
    `INSERT INTO stat_first_undone_days (day, registered_day, unit_code, undone) ${FIRST_UNDONE_ROLLUP_SQL('e.created_at >= $1 AND e.created_at < $2')}`,
    [from, to],
  );
  await client.query(
    `INSERT INTO stat_repeat_days (day, root, repeats)
     SELECT (at AT TIME ZONE 'Asia/Shanghai')::date, root, count(*) FROM stat_repeat_arrivals WHERE at >= $1 AND at < $2 GROUP BY 1, 2`,
    [from, to],
  );
}

/**
 * Sums every day that has ended (by SEAL_MARGIN) into the rollups and records how far they go;
 * later days are counted from the events at query time. Returns the seal: events before it are
 * in the rollups. Safe from any number of processes; after the first time, a day's work at most.
 * `until` (a midnight, Asia/Shanghai, not after the default) seals less: tests use it to seal in steps.
 */
export async function sealStatistics(pool: Pool, until?: Date): Promise<Date> {
  const { rows } = await pool.query<{ sealed_until: Date; target: Date }>(
    `SELECT sealed_until, date_trunc('day', (now() - interval '${SEAL_MARGIN}') AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' AS target
       FROM stat_seal`,
  );
  const state = rows[0];
  if (!state) throw new Error('stat_seal has no row: migration 006 did not run');
  if (until && (until > state.target || (until.getTime() + SHANGHAI_MS) % DAY_MS !== 0)) throw new Error(`cannot seal until ${until.toISOString()}`);
  const target = until ?? state.target;
  if (state.sealed_until >= target) return state.sealed_until;
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
    // Another process may have sealed while this one waited for the lock.
    const { rows: current } = await client.query<{ sealed_until: Date }>('SELECT sealed_until FROM stat_seal');
    const from = current[0]?.sealed_until ?? state.sealed_until;
    if (from >= target) return from;
    await sealRange(client, from, target);
    await client.query('UPDATE stat_seal SET sealed_until = $1, sealed_at = now()', [target]);
    return target;
  });
}

/**
 * Forgets the rollups and seals again from the first event: after events were written into the
 * past (a simulation, an import) or a unit moved in the tree. Takes a while over a big history.
 */
export async function rebuildStatistics(pool: Pool, until?: Date): Promise<Date> {
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SEAL_LOCK_KEY]);
    await client.query('TRUNCATE stat_unit_days, stat_repeat_arrivals, stat_repeat_days, stat_red_cards, stat_case_mix_days, stat_first_undone_days');
    await client.query('UPDATE stat_seal SET sealed_until = $1, sealed_at = now()', [NOTHING_SEALED]);
  });
  const sealed = await sealStatistics(pool, until);
  await pool.query('ANALYZE stat_unit_days, stat_repeat_arrivals, stat_repeat_days, stat_red_cards, stat_case_mix_days, stat_first_undone_days');
  return sealed;
}
