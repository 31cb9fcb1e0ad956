import type { Queryable } from '../../infra/db.js';

/** Deadlines of an arranged case, in seconds from the database clock; null leaves one unset. */
export interface DeadlineCaseOptions {
  readonly status?: string;
  readonly unitCode?: string | null;
  readonly acceptWarnIn?: number | null;
  readonly acceptByIn?: number | null;
  readonly replyWarnIn?: number | null;
  readonly replyByIn?: number | null;
  /** Spreads the deadlines of the i-th case by i * spreadSeconds. */
  readonly spreadSeconds?: number;
  /**
   * The case's outbox row: 'pending' as the API leaves it for the relay, 'synced' as if already
   * relayed (so nothing schedules it but reconciliation or the sweep), 'none' for no row at all.
   */
  readonly outbox?: 'pending' | 'synced' | 'none';
}

/**
 * Inserts cases whose deadlines fall due seconds away, straight into the tables: arrangement, so
 * that the deadline machinery can be tested on its own, apart from how intake computes deadlines.
 *
 * Why not intake and a short policy: a time-limit policy holds for every case of its type and
 * urgency, so one of seconds would shorten the deadlines of other tests' cases in the same run;
 * and these tests need states no action leaves behind: a row already taken by a job that was then
 * lost ('synced'), a case with no outbox row, hundreds of deadlines a fraction of a second apart.
 * Only the starting row is arranged: the warnings, overdues and escalations under test are written
 * by the deadline effects through the case writer, as in production.
 */
export async function insertDeadlineCases(db: Queryable, count: number, options: DeadlineCaseOptions = {}): Promise<string[]> {
  const at = (seconds: number | null | undefined): string =>
    seconds === null || seconds === undefined ? 'NULL::timestamptz' : `now() + make_interval(secs => ${Number(seconds)} + (i - 1) * $3::float8)`;
  const outbox = options.outbox ?? 'pending';
  const { rows } = await db.query<{ id: string }>(
    `WITH c AS (
       INSERT INTO cases (case_no, query_code, channel, type, content, status, assigned_unit_code, received_at,
                          accept_warn_at, accept_by, reply_warn_at, reply_by)
       SELECT 'DL' || nextval('case_no_seq'), '123456', 'hotline', 'complaint', '时限测试', $1, $2, now(),
              ${at(options.acceptWarnIn)}, ${at(options.acceptByIn)}, ${at(options.replyWarnIn)}, ${at(options.replyByIn)}
         FROM generate_series(1, $4::int) AS i
        WHERE $3::float8 IS NOT NULL
       RETURNING id
     ), o AS (
       INSERT INTO outbox (case_id, topic, payload, deadlines_synced_at)
       SELECT id, 'case.register', jsonb_build_object('caseId', id), CASE WHEN $5 = 'synced' THEN now() END
         FROM c WHERE $5 <> 'none'
     )
     SELECT id FROM c`,
    [options.status ?? 'in_progress', options.unitCode === undefined ? '371325105' : options.unitCode, options.spreadSeconds ?? 0, count, outbox],
  );
  return rows.map((r) => r.id);
}

/** Inserts one arranged case (see insertDeadlineCases). */
export async function insertDeadlineCase(db: Queryable, options: DeadlineCaseOptions = {}): Promise<string> {
  const [id] = await insertDeadlineCases(db, 1, options);
  if (!id) throw new Error('no case inserted');
  return id;
}

/** One system event a deadline wrote. */
export interface DeadlineEventRow {
  case_id: string;
  action: 'deadline_warning' | 'deadline_overdue' | 'escalate';
  kind: string;
  data: Record<string, unknown>;
  from_status: string;
  to_status: string;
  actor_role: string;
  actor_id: string | null;
  unit_code: string | null;
  public: boolean;
  created_at: Date;
}

/** The deadline events (warning, overdue, escalate) of these cases, in order. */
export async function deadlineEvents(db: Queryable, caseIds: readonly string[]): Promise<DeadlineEventRow[]> {
  const { rows } = await db.query<DeadlineEventRow>(
    `SELECT case_id, action, data->>'kind' AS kind, data, from_status, to_status, actor_role, actor_id, unit_code, public, created_at
       FROM case_events WHERE case_id = ANY($1::uuid[]) AND action IN ('deadline_warning', 'deadline_overdue', 'escalate')
      ORDER BY id`,
    [caseIds],
  );
  return rows;
}

/** Counts events per "case action kind" key: exactly-once means every count is 1. */
export function countByEffect(events: readonly DeadlineEventRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) {
    const key = `${e.case_id} ${e.action} ${e.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Polls `probe` until it returns a value other than undefined, within `timeoutMs`: waiting for an expected state, not a sleep. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
