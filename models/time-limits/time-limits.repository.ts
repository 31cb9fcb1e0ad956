import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import { recordAudit } from '../accounts/audit.repository.js';
import { DEFAULT_POLICIES, DEFAULT_PROCEDURE_LIMITS, type ProcedureLimits, type TimeLimitPolicy } from './time-limit-policy.js';
import type { CalendarOverride } from './working-calendar.js';

/** The policy set in force and its version. */
export interface PolicySet {
  readonly version: number;
  readonly policies: readonly TimeLimitPolicy[];
  readonly procedureLimits: ProcedureLimits;
  readonly createdAt: Date;
}

/** The latest policy set (the defaults, as version 0, before any is stored). */
export async function currentPolicySet(db: Queryable): Promise<PolicySet> {
  const { rows } = await db.query<{ version: number; policies: TimeLimitPolicy[]; procedure_limits: Partial<ProcedureLimits> | null; created_at: Date }>(
    'SELECT version, policies, procedure_limits, created_at FROM time_limit_policy_sets ORDER BY version DESC LIMIT 1',
  );
  const row = rows[0];
  if (!row) return { version: 0, policies: DEFAULT_POLICIES, procedureLimits: DEFAULT_PROCEDURE_LIMITS, createdAt: new Date(0) };
  // A set stored before the procedure limits were policy (or naming only some) keeps the defaults for the rest.
  return { version: row.version, policies: row.policies, procedureLimits: { ...DEFAULT_PROCEDURE_LIMITS, ...row.procedure_limits }, createdAt: row.created_at };
}

/**
 * Stores a new policy set, numbered after the latest, with its audit row in the same transaction;
 * existing deadlines keep the version that produced them. Procedure limits not given are the
 * latest set's.
 */
export function storePolicySet(pool: Pool, policies: readonly Omit<TimeLimitPolicy, 'version'>[], procedureLimits: Partial<ProcedureLimits>, actorId: string | null): Promise<PolicySet> {
  return withTransaction(pool, async (client) => {
    // Two admins saving at once would otherwise both number their set after the same latest one.
    await client.query('LOCK TABLE time_limit_policy_sets IN SHARE ROW EXCLUSIVE MODE');
    const latest = await currentPolicySet(client);
    const versioned = policies.map((p) => ({ ...p, version: latest.version + 1 }));
    const limits: ProcedureLimits = { ...latest.procedureLimits, ...procedureLimits };
    // The number is given, not drawn from the identity: a rolled-back save would leave a gap
    // between the set's version and the version its policies carry.
    const { rows } = await client.query<{ version: number; created_at: Date }>(
      'INSERT INTO time_limit_policy_sets (version, policies, procedure_limits, created_by) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4) RETURNING version, created_at',
      [latest.version + 1, JSON.stringify(versioned), JSON.stringify(limits), actorId],
    );
    const row = rows[0] as { version: number; created_at: Date };
    await recordAudit(client, { actorId, action: 'replace', subjectType: 'time_limit_policy', subjectId: String(row.version),
      before: { policies: latest.policies, procedureLimits: latest.procedureLimits }, after: { policies: versioned, procedureLimits: limits } });
    return { version: row.version, policies: versioned, procedureLimits: limits, createdAt: row.created_at };
  });
}

/** Stores the default policies as version 1 when no set exists yet (first start). */
export async function seedDefaultPolicies(db: Queryable): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO time_limit_policy_sets (policies) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM time_limit_policy_sets)`,
    [JSON.stringify(DEFAULT_POLICIES)],
  );
  return rowCount === 1;
}

/** The calendar as stored: the overrides and the years whose official schedule was loaded. */
export interface StoredCalendar {
  readonly overrides: CalendarOverride[];
  readonly loadedYears: number[];
  /** Changes whenever the calendar does, so that processes know when to rebuild theirs. */
  readonly stamp: string;
}

/** Reads the calendar overrides and loaded years. */
export async function loadCalendar(db: Queryable): Promise<StoredCalendar> {
  const [overrides, years] = await Promise.all([
    db.query<{ date: string; kind: 'workday' | 'holiday'; note: string | null; updated_at: Date }>(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, note, updated_at FROM calendar_overrides ORDER BY date`,
    ),
    db.query<{ year: number; loaded_at: Date }>('SELECT year, loaded_at FROM calendar_loaded_years ORDER BY year'),
  ]);
  const latest = Math.max(0, ...overrides.rows.map((r) => r.updated_at.getTime()), ...years.rows.map((r) => r.loaded_at.getTime()));
  return {
    overrides: overrides.rows.map((r) => (r.note ? { date: r.date, kind: r.kind, note: r.note } : { date: r.date, kind: r.kind })),
    loadedYears: years.rows.map((r) => r.year),
    stamp: `${overrides.rows.length}:${years.rows.length}:${latest}`,
  };
}

/**
 * Upserts overrides; with `year`, replaces that whole year's overrides with these and marks the
 * year's official schedule as loaded (one request when the State Council publishes it).
 */
export function putCalendarOverrides(pool: Pool, overrides: readonly CalendarOverride[], options: { year?: number; actorId: string | null }): Promise<void> {
  return withTransaction(pool, async (client) => {
    await recordAudit(client, {
      actorId: options.actorId,
      action: options.year === undefined ? 'put' : 'load_year',
      subjectType: 'calendar',
      subjectId: String(options.year ?? 'overrides'),
      after: options.year === undefined ? { overrides } : { year: options.year, overrides },
    });
    if (options.year !== undefined) {
      await client.query(`DELETE FROM calendar_overrides WHERE date >= make_date($1, 1, 1) AND date < make_date($1 + 1, 1, 1)`, [options.year]);
      await client.query(
        `INSERT INTO calendar_loaded_years (year, loaded_by) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET loaded_at = now(), loaded_by = EXCLUDED.loaded_by`,
        [options.year, options.actorId],
      );
    }
    if (overrides.length === 0) return;
    await client.query(
      `INSERT INTO calendar_overrides (date, kind, note, updated_by)
       SELECT d::date, k, n, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS o (d, k, n)
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [overrides.map((o) => o.date), overrides.map((o) => o.kind), overrides.map((o) => o.note ?? null), options.actorId],
    );
  });
}

/** Removes the override of one date (the national calendar applies again), audited in the same transaction; false when there was none. */
export function deleteCalendarOverride(pool: Pool, date: string, actorId: string | null): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ kind: string; note: string | null }>('DELETE FROM calendar_overrides WHERE date = $1::date RETURNING kind, note', [date]);
    const removed = rows[0];
    if (!removed) return false;
    await recordAudit(client, { actorId, action: 'delete', subjectType: 'calendar', subjectId: date, before: { date, ...removed } });
    return true;
  });
}
