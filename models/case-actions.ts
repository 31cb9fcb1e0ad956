import { AppError, notFound } from '../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../infra/db.js';
import { effectOf, type ColumnChanges, type Effect, type EffectContext } from './action-effects.js';
import type { Actor, CaseRecord } from './case.js';

/** Actions a citizen takes from the public page, outside the staff state table. */
export type CitizenAction = 'rate' | 'citizen_escalation';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from './case.repository.js';
import { checkTransition, nextStatus, type ActorKind, type CaseAction, type Satisfaction } from './case-workflow.js';
import type { UnitDirectory } from './unit-directory.js';

interface Versioned {
  readonly expectedVersion?: number;
}

/** An action as the API validated it. */
export type ActionCommand = Versioned &
  (
    | { readonly action: 'dispatch'; readonly unitCode: string; readonly coUnits?: readonly string[]; readonly note?: string }
    | { readonly action: 'accept'; readonly note?: string }
    | { readonly action: 'forward'; readonly unitCode: string; readonly note?: string }
    | { readonly action: 'return'; readonly reason: string }
    | { readonly action: 'request_extension'; readonly days: number; readonly reason: string }
    | { readonly action: 'approve_extension'; readonly note?: string }
    | { readonly action: 'reject_extension'; readonly reason: string }
    | { readonly action: 'request_amendment'; readonly note: string }
    | { readonly action: 'amendment_received'; readonly note?: string }
    | { readonly action: 'reply'; readonly reply: string }
    | { readonly action: 'close'; readonly note?: string; readonly satisfaction?: Satisfaction; readonly comment?: string }
    | { readonly action: 'reopen'; readonly reason: string }
    | { readonly action: 'supervise'; readonly note: string }
  );

/** A staff member taking an action. */
export interface StaffActor extends Actor {
  readonly id: string;
  readonly role: 'admin' | 'supervisor' | 'operator' | 'handler';
}

/** Whether a staff member may see the case at all (handlers: assigned or co-handling unit in their subtree). */
export function isVisibleTo(actor: { role: string; unitCode: string | null }, record: CaseRecord, units: UnitDirectory): boolean {
  if (actor.role !== 'handler') return true;
  const own = actor.unitCode;
  if (!own) return false;
  return [record.assignedUnit?.code, ...record.coUnits].some((code) => code !== undefined && units.isWithin(own, code));
}

function actorKind(actor: StaffActor, record: CaseRecord): ActorKind | null {
  if (actor.role !== 'handler') return actor.role;
  return actor.unitCode !== null && actor.unitCode === record.assignedUnit?.code ? 'assigned_handler' : null;
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
    const effect = effectOf(command, actor, record, { ...ctx, now: ctx.now() });
    await writeTransition(client, record, command.action, effect, actor);
    const updated = await lockCase(client, caseId);
    if (!updated) throw notFound('Case');
    return updated;
  });
}

// The only columns an action can write besides status and assignment; names never come from input.
const CHANGEABLE: readonly (keyof ColumnChanges)[] = [
  'accept_by', 'accept_warn_at', 'accept_warned_at', 'accept_overdue_at', 'reply_by', 'reply_warn_at', 'reply_warned_at',
  'reply_overdue_at', 'deadline_policy', 'clock_paused_at', 'pending_extension', 'extensions', 'reply', 'replied_at',
  'rating', 'reopen_count', 'supervised', 'last_citizen_escalation_at',
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
