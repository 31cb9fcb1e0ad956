import { withTransaction, type Pool, type PoolClient, type Queryable } from '../../infra/db.js';
import type { Actor, CaseStatus } from '../cases/case.js';
import { writeChange, type CaseEventOf } from '../cases/case-writer.js';
import type { ColumnChanges } from '../cases/column-changes.js';
import {
  clockRunningSql,
  DEADLINE_COLUMNS,
  DEADLINE_EVENTS,
  escalationTarget,
  judgeEffect,
  OPEN_DEADLINE_STATUSES,
  type DeadlineEffect,
  type DeadlineJobRef,
  type DeadlineKind,
  type DeadlineOutcome,
  isUnitDeadline,
} from './deadline-rules.js';

export type { DeadlineEffect, DeadlineJobRef, DeadlineKind, DeadlineOutcome } from './deadline-rules.js';

/** An effect still to apply, and when it falls due by the database clock. */
export interface PendingDeadlineJob {
  readonly ref: DeadlineJobRef;
  readonly fireAt: Date;
}

interface LockedCase {
  status: CaseStatus;
  co_units: string[];
  clock_paused_at: Date | null;
  deadline_version: number;
  fire_at: Date | null;
  applied_at: Date | null;
  due: Date | null;
  assigned_unit_code: string | null;
  escalated_to: string | null;
  parent_code: string | null;
  parent_kind: string | null;
  /** A petition the office has not decided on yet: its acceptance limit is the decision's (受理). */
  awaits_petition_decision: boolean;
  db_now: Date;
}

type EffectEvent = CaseEventOf<'deadline_warning' | 'deadline_overdue' | 'escalate'>;

const SYSTEM: Actor = { id: null, role: 'system', unitCode: null };

const LABELS: Readonly<Record<DeadlineKind, string>> = { accept: '签收', reply: '办理', arbitrate: '管辖争议仲裁', third_party: '第三方提出意见' };

// Every effect of a case as rows (kind, effect, fire_at, applied_at): one query shape for the
// pending list and the sweep, built from the column table so that the two cannot disagree.
const EFFECT_ROWS = `CROSS JOIN LATERAL (VALUES ${Object.entries(DEADLINE_COLUMNS)
  .flatMap(([kind, effects]) => Object.entries(effects).map(([effect, col]) => `('${kind}', '${effect}', c.${col.at}, c.${col.applied})`))
  .join(', ')}) AS e (kind, effect, fire_at, applied_at)`;
const EFFECT_PENDING = `e.fire_at IS NOT NULL AND e.applied_at IS NULL
  AND CASE e.kind WHEN 'accept' THEN ${clockRunningSql('accept')} WHEN 'arbitrate' THEN ${clockRunningSql('arbitrate')}
    WHEN 'third_party' THEN ${clockRunningSql('third_party')} ELSE ${clockRunningSql('reply')} END`;
export const OPEN = `c.status IN (${OPEN_DEADLINE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * The earliest instant an effect of the case can still fire (not applied, its clock running): the
 * expression of migration 068's index, argument for argument, so that the sweep reads only the
 * cases due now.
 */
export const NEXT_EFFECT_AT = `LEAST(${Object.entries(DEADLINE_COLUMNS)
  .flatMap(([kind, effects]) =>
    Object.values(effects).map((col) => `CASE WHEN c.${col.applied} IS NULL AND ${clockRunningSql(kind as DeadlineKind)} THEN c.${col.at} END`),
  )
  .join(', ')})`;

interface EffectRow {
  id: string;
  deadline_version: number;
  kind: DeadlineKind;
  effect: DeadlineEffect;
  fire_at: Date;
}

const toPending = (r: EffectRow): PendingDeadlineJob => ({
  ref: { caseId: r.id, kind: r.kind, effect: r.effect, version: r.deadline_version },
  fireAt: r.fire_at,
});

/**
 * Every effect not yet applied of the given cases (or of all open cases, up to `limit`) whose
 * deadline is set and running, at the case's current deadline version, earliest first.
 */
export async function pendingDeadlineJobs(db: Queryable, caseIds: readonly string[] | 'all-open', limit?: number): Promise<PendingDeadlineJob[]> {
  if (caseIds !== 'all-open' && caseIds.length === 0) return [];
  const { rows } = await db.query<EffectRow>(
    `SELECT c.id, c.deadline_version, e.kind, e.effect, e.fire_at
       FROM cases c ${EFFECT_ROWS}
      WHERE ${OPEN} AND ($1::uuid[] IS NULL OR c.id = ANY($1::uuid[])) AND ${EFFECT_PENDING}
      ORDER BY e.fire_at, c.id
      LIMIT $2`,
    [caseIds === 'all-open' ? null : caseIds, limit ?? null],
  );
  return rows.map(toPending);
}

/** How long until this effect falls due by the database clock, in ms (0 when due); null when it is no longer pending. */
export async function deadlineDueInMs(db: Queryable, ref: DeadlineJobRef): Promise<number | null> {
  const col = DEADLINE_COLUMNS[ref.kind][ref.effect];
  const { rows } = await db.query<{ ms: number }>(
    `SELECT greatest(0, extract(epoch FROM c.${col.at} - clock_timestamp()) * 1000)::float8 AS ms
       FROM cases c WHERE c.id = $1 AND c.deadline_version = $2 AND c.${col.at} IS NOT NULL AND c.${col.applied} IS NULL`,
    [ref.caseId, ref.version],
  );
  return rows[0]?.ms ?? null;
}

async function lockForEffect(client: PoolClient, ref: DeadlineJobRef): Promise<LockedCase | undefined> {
  const col = DEADLINE_COLUMNS[ref.kind][ref.effect];
  const due = DEADLINE_COLUMNS[ref.kind].overdue.at;
  const { rows } = await client.query<LockedCase>(
    `SELECT c.status, c.co_units, c.clock_paused_at, c.deadline_version, c.${col.at} AS fire_at, c.${col.applied} AS applied_at, c.${due} AS due,
            c.assigned_unit_code, c.escalated_to, u.parent_code, p.kind AS parent_kind, clock_timestamp() AS db_now,
            (c.type = 'petition' AND c.petition_decision IS NULL AND u.kind = 'petitions_office') AS awaits_petition_decision
       FROM cases c LEFT JOIN units u ON u.code = c.assigned_unit_code LEFT JOIN units p ON p.code = u.parent_code
      WHERE c.id = $1
      FOR UPDATE OF c`,
    [ref.caseId],
  );
  return rows[0];
}

function eventsOf(ref: DeadlineJobRef, row: LockedCase): { events: EffectEvent[]; escalateTo: string | null } {
  const due = row.due?.toISOString() ?? null;
  const label = ref.kind === 'accept' && row.awaits_petition_decision ? '受理决定' : LABELS[ref.kind];
  if (ref.effect === 'warning') {
    return { events: [{ action: DEADLINE_EVENTS.warning, note: `${label}时限即将届满（黄牌预警）`, data: { kind: ref.kind, due }, public: false }], escalateTo: null };
  }
  // 《政府信息公开条例》 art. 32: the office now decides without the third party's view (third_party_no_answer).
  const note = ref.kind === 'third_party' ? '第三方逾期未提出意见，由行政机关依照条例决定是否公开' : `${label}已超时（红牌）`;
  const events: EffectEvent[] = [{ action: DEADLINE_EVENTS.overdue, note, data: { kind: ref.kind, due }, public: false }];
  // The centre late on its own arbitration, or a third party late: no unit's red card, nobody to escalate to.
  if (!isUnitDeadline(ref.kind)) return { events, escalateTo: null };
  const target = escalationTarget({ unitCode: row.assigned_unit_code, parentCode: row.parent_code, parentKind: row.parent_kind });
  // Escalated once: a second overdue (accept and reply) to the same unit adds no second escalation.
  const escalateTo = target !== null && target !== row.escalated_to ? target : null;
  if (escalateTo) events.push({ action: DEADLINE_EVENTS.escalate, note: '超时升级督办', data: { toUnit: escalateTo, kind: ref.kind }, public: false });
  return { events, escalateTo };
}

/**
 * Writes the applied flag and the events of one due effect through the case writer: the system's
 * annotation of the timeline, which leaves the case's version alone. An overdue also supervises
 * the case, and escalates it once.
 */
async function writeEffect(client: PoolClient, ref: DeadlineJobRef, row: LockedCase): Promise<void> {
  const { events, escalateTo } = eventsOf(ref, row);
  const [first, ...also] = events;
  if (!first) return;
  const applied = DEADLINE_COLUMNS[ref.kind][ref.effect].applied as keyof ColumnChanges;
  const supervises = ref.effect === 'overdue' && isUnitDeadline(ref.kind);
  const set: ColumnChanges = { [applied]: row.db_now, ...(supervises ? { supervised: true } : {}), ...(escalateTo ? { escalated_to: escalateTo } : {}) };
  const locked = { id: ref.caseId, status: row.status, coUnits: row.co_units, assignedUnit: row.assigned_unit_code ? { code: row.assigned_unit_code } : null };
  await writeChange(client, locked, first.action, 'system', SYSTEM, {
    assignedUnit: row.assigned_unit_code,
    coUnits: row.co_units,
    note: first.note,
    data: first.data,
    public: false,
    set,
    deadlinesMoved: false,
    also,
  });
}

// How long the sweep waits for a case someone else holds: a job's or an action's transaction
// lasts milliseconds, so a longer hold is left for the next sweep rather than stalling this one.
const SWEEP_LOCK_TIMEOUT = '2s';
const LOCK_NOT_AVAILABLE = '55P03';

async function applyEffect(pool: Pool, ref: DeadlineJobRef, lockTimeout?: string): Promise<DeadlineOutcome> {
  return withTransaction(pool, async (client) => {
    if (lockTimeout) await client.query(`SET LOCAL lock_timeout = '${lockTimeout}'`);
    const row = await lockForEffect(client, ref);
    if (!row) return 'not_applicable';
    const verdict = judgeEffect(
      { status: row.status, clockPausedAt: row.clock_paused_at, deadlineVersion: row.deadline_version, fireAt: row.fire_at, appliedAt: row.applied_at },
      ref,
      row.db_now,
    );
    if (verdict !== 'apply') return verdict;
    await writeEffect(client, ref, row);
    return 'applied';
  });
}

/**
 * Applies one effect of a deadline if, with the case locked, it is still the current version,
 * still running, not yet applied and due by the database clock: the flag, the event(s) and their
 * outbox rows in one transaction. An overdue also flags the case as supervised and escalates it
 * once to the unit above. Safe to call any number of times, from any number of processes.
 */
export async function applyDeadlineEffect(pool: Pool, ref: DeadlineJobRef): Promise<DeadlineOutcome> {
  return applyEffect(pool, ref);
}

/** Effects due by the database clock and not applied, earliest first, at most $1 of them. */
const DUE_EFFECTS_SQL = `SELECT c.id, c.deadline_version, e.kind, e.effect, e.fire_at
   FROM cases c ${EFFECT_ROWS}
  WHERE ${OPEN} AND ${NEXT_EFFECT_AT} <= now() AND e.fire_at <= clock_timestamp() AND ${EFFECT_PENDING}
  ORDER BY e.fire_at, c.id
  LIMIT $1`;

/**
 * Applies effects that are due by the database clock but not applied — the repair for jobs lost
 * to a crash, a worker past its retries or a Redis without its data. It waits briefly for a case
 * a job or an action holds (the row lock makes it exactly once with them and with other sweeps)
 * and leaves one held longer to the next sweep. Returns how many effects it applied.
 */
export async function sweepDueDeadlines(pool: Pool, limit: number): Promise<number> {
  const { rows } = await pool.query<EffectRow>(DUE_EFFECTS_SQL, [limit]);
  let applied = 0;
  // One at a time and earliest first, so that a warning lands before the overdue of the same deadline.
  for (const { ref } of rows.map(toPending)) {
    const outcome = await applyEffect(pool, ref, SWEEP_LOCK_TIMEOUT).catch((error: unknown) => {
      if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return 'locked' as const;
      throw error;
    });
    if (outcome === 'applied') applied += 1;
  }
  return applied;
}
