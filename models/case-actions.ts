import { AppError, badRequest, invalidState, notFound } from '../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../infra/db.js';
import { effectOf, type ColumnChanges, type Effect, type EffectContext } from './action-effects.js';

export type { ActionCommand, StaffActor } from './action-command.js';
import { OPEN_STATUSES, type Actor, type CaseRecord } from './case.js';

/** Actions a citizen takes from the public page, outside the staff state table. */
export type CitizenAction = 'rate' | 'citizen_escalation' | 'merged_in' | 'review' | 'result_feedback';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from './case.repository.js';
import type { ActionCommand, StaffActor } from './action-command.js';
import { checkTransition, nextStatus, type ActorKind, type CaseAction } from './case-workflow.js';
import type { UnitDirectory } from './unit-directory.js';

/** Whether a staff member may see the case at all (handlers: assigned or co-handling unit in their subtree). */
export function isVisibleTo(actor: { role: string; unitCode: string | null }, record: CaseRecord, units: UnitDirectory): boolean {
  if (actor.role !== 'handler') return true;
  const own = actor.unitCode;
  if (!own) return false;
  return [record.assignedUnit?.code, ...record.coUnits].some((code) => code !== undefined && units.isWithin(own, code));
}

/** How the state table sees this staff member on this case: a centre role, or the assigned or co-handling unit. */
export function actorKind(actor: StaffActor, record: CaseRecord): ActorKind | null {
  if (actor.role !== 'handler') return actor.role;
  if (actor.unitCode === null) return null;
  if (actor.unitCode === record.assignedUnit?.code) return 'assigned_handler';
  return record.coUnits.includes(actor.unitCode) ? 'co_handler' : null;
}

/** Reads a case and locks its row until the transaction ends. */
export async function lockCase(client: PoolClient, id: string): Promise<CaseRecord | undefined> {
  const { rows } = await client.query(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/**
 * Takes one action on a case: locks the row, checks the state table and the actor, then writes the
 * case, its event and the outbox row in the same transaction. Of two actions racing on one case the
 * second waits for the lock, then finds the case moved on and is refused with 409.
 */
export async function performAction(pool: Pool, caseId: string, command: ActionCommand, actor: StaffActor, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const record = await lockCase(client, caseId);
    if (!record || !isVisibleTo(actor, record, ctx.units)) throw notFound('Case');
    const refusal = checkTransition(command.action, record.status, actorKind(actor, record));
    if (refusal) throw new AppError(refusal.status, refusal.status === 403 ? 'forbidden' : 'invalid_state', refusal.reason);
    if (command.expectedVersion !== undefined && command.expectedVersion !== record.version) {
      throw new AppError(409, 'conflict', `The case changed (version ${record.version}, expected ${command.expectedVersion}); reload it`);
    }
    if (command.action === 'merge') {
      await mergeInto(client, record, command.intoCaseId, actor, ctx.units);
    } else {
      const effect = effectOf(command, actor, record, { ...ctx, now: ctx.now() });
      await writeTransition(client, record, command.action, effect, actor);
      if (command.action === 'reply' && record.type === 'petition' && record.receivedByUnit) {
        await feedBackToReceiver(client, record.id, record.receivedByUnit, actor);
      }
    }
    const updated = await lockCase(client, caseId);
    if (!updated) throw notFound('Case');
    return updated;
  });
}

/**
 * 将办理结果反馈诉求接收单位: a petition's result goes back to the unit that first received it (and,
 * through the outbox, out to the citizen through the channel it came in by).
 */
async function feedBackToReceiver(client: PoolClient, caseId: string, receiver: string, actor: StaffActor): Promise<void> {
  const replied = await lockCase(client, caseId);
  if (!replied) return;
  await writeTransition(client, replied, 'result_feedback', {
    assignedUnit: replied.assignedUnit?.code ?? null,
    coUnits: replied.coUnits,
    deadlinesMoved: false,
    note: '办理结果已反馈受理单位',
    data: { toUnit: receiver },
    public: false,
    status: replied.status,
    set: {},
  }, actor);
}

/**
 * Closes `record` into another open case, writing an event on both so that both timelines show it.
 * Both rows are locked; the second lock is taken after the first, and a merge in the other
 * direction at the same moment is refused because each finds the other merged or closed.
 */
async function mergeInto(client: PoolClient, record: CaseRecord, intoCaseId: string, actor: StaffActor, units: UnitDirectory): Promise<void> {
  if (intoCaseId === record.id) throw badRequest('A case cannot be merged into itself', [{ path: 'body.intoCaseId', message: 'same case' }]);
  const target = await lockCase(client, intoCaseId);
  if (!target || !isVisibleTo(actor, target, units)) throw badRequest('Unknown case to merge into', [{ path: 'body.intoCaseId', message: 'no such case' }]);
  if (!OPEN_STATUSES.includes(target.status)) throw invalidState('The case to merge into is no longer open');
  const keepUnit = { assignedUnit: record.assignedUnit?.code ?? null, coUnits: record.coUnits, deadlinesMoved: true } as const;
  await writeTransition(client, record, 'merge', {
    ...keepUnit,
    note: `已与${target.caseNo}合并办理`,
    data: { intoCaseId: target.id, intoCaseNo: target.caseNo },
    public: true,
    set: { merged_into: target.id },
  }, actor);
  await writeTransition(client, target, 'merged_in', {
    assignedUnit: target.assignedUnit?.code ?? null,
    coUnits: target.coUnits,
    deadlinesMoved: false,
    note: `合并了重复诉求${record.caseNo}`,
    data: { fromCaseId: record.id, fromCaseNo: record.caseNo },
    public: false,
    status: target.status,
    set: {},
  }, actor);
}

// The only columns an action can write besides status and assignment; names never come from input.
const CHANGEABLE: readonly (keyof ColumnChanges)[] = [
  'accept_by', 'accept_warn_at', 'accept_warned_at', 'accept_overdue_at', 'reply_by', 'reply_warn_at', 'reply_warned_at',
  'reply_overdue_at', 'deadline_policy', 'clock_paused_at', 'pending_extension', 'extensions', 'reply', 'replied_at',
  'rating', 'reopen_count', 'supervised', 'last_citizen_escalation_at', 'merged_into', 'disclosure_outcome', 'disclosure_ground',
  'legal_basis', 'review_requested_at',
];

/** Writes an action's effect: the case row, its timeline event and the outbox row, in one statement. */
export async function writeTransition(client: PoolClient, record: CaseRecord, action: CaseAction | CitizenAction, effect: Effect, actor: Actor): Promise<void> {
  const changes = CHANGEABLE.filter((column) => column in effect.set);
  const values = changes.map((column) => {
    const value = effect.set[column];
    return column === 'extensions' || column === 'rating' ? JSON.stringify(value) : value;
  });
  const assignments = changes.map((column, i) => `${column} = $${14 + i}`);
  if (effect.deadlinesMoved) assignments.push('deadline_version = deadline_version + 1');
  await client.query(
    `WITH c AS (
       UPDATE cases SET status = $2, assigned_unit_code = $3, co_units = $4, version = version + 1, updated_at = now()
                        ${assignments.map((a) => `, ${a}`).join('')}
        WHERE id = $1 RETURNING id, status, assigned_unit_code
     ), e AS (
       INSERT INTO case_events (case_id, action, from_status, to_status, actor_id, actor_role, actor_unit, unit_code, note, data, public)
       SELECT c.id, $5, $6, c.status, $7, $8, $9, c.assigned_unit_code, $10, $11, $12 FROM c
       RETURNING id, case_id, to_status, unit_code
     )
     INSERT INTO outbox (case_id, event_id, topic, payload)
     SELECT e.case_id, e.id, 'case.' || $5, jsonb_build_object('caseId', e.case_id, 'eventId', e.id, 'status', e.to_status, 'unitCode', e.unit_code, 'previousUnit', $13::text)
       FROM e`,
    [
      record.id, effect.status ?? nextStatus(action as CaseAction, record.status), effect.assignedUnit, effect.coUnits, action, record.status,
      actor.id, actor.role, actor.unitCode, effect.note, effect.data, effect.public, record.assignedUnit?.code ?? null,
      ...values,
    ],
  );
}
