import { AppError, badRequest, notFound } from '../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../infra/db.js';
import type { Actor, CaseRecord } from './case.js';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from './case.repository.js';
import { checkTransition, TRANSITIONS, type ActorKind, type CaseAction } from './case-workflow.js';
import type { UnitDirectory } from './unit-directory.js';

/** An action as the API validated it. */
export type ActionCommand =
  | { readonly action: 'dispatch'; readonly unitCode: string; readonly coUnits?: readonly string[]; readonly note?: string; readonly expectedVersion?: number }
  | { readonly action: 'accept'; readonly note?: string; readonly expectedVersion?: number }
  | { readonly action: 'forward'; readonly unitCode: string; readonly note?: string; readonly expectedVersion?: number }
  | { readonly action: 'return'; readonly reason: string; readonly expectedVersion?: number };

/** A staff member taking an action. */
export interface StaffActor extends Actor {
  readonly id: string;
  readonly role: 'admin' | 'supervisor' | 'operator' | 'handler';
}

/** What one action changes on the case and writes to its timeline. */
interface Effect {
  readonly assignedUnit: string | null;
  readonly coUnits: readonly string[];
  readonly note: string | null;
  readonly data: Record<string, unknown>;
  readonly public: boolean;
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

function requireUnit(units: UnitDirectory, code: string, field: string): string {
  const unit = units.get(code);
  if (!unit) throw badRequest('Unknown unit', [{ path: `body.${field}`, message: `no unit has the code "${code}"` }]);
  return unit.name;
}

function effectOf(command: ActionCommand, actor: StaffActor, record: CaseRecord, units: UnitDirectory): Effect {
  switch (command.action) {
    case 'dispatch': {
      const name = requireUnit(units, command.unitCode, 'unitCode');
      const co = [...new Set(command.coUnits ?? [])].filter((c) => c !== command.unitCode);
      co.forEach((code, i) => requireUnit(units, code, `coUnits.${i}`));
      return { assignedUnit: command.unitCode, coUnits: co, note: `已派单至${name}`, data: { unitCode: command.unitCode, coUnits: co, ...(command.note ? { instruction: command.note } : {}) }, public: true };
    }
    case 'accept':
      return { assignedUnit: record.assignedUnit?.code ?? null, coUnits: record.coUnits, note: `${record.assignedUnit?.name ?? ''}已签收`, data: command.note ? { remark: command.note } : {}, public: true };
    case 'forward': {
      const name = requireUnit(units, command.unitCode, 'unitCode');
      // 下派: only down the forwarding unit's own tree, so that the parent keeps sight of the case.
      if (!actor.unitCode || command.unitCode === actor.unitCode || !units.isWithin(actor.unitCode, command.unitCode)) {
        throw badRequest('A case can only be forwarded to a unit below your own', [{ path: 'body.unitCode', message: `${command.unitCode} is not below ${actor.unitCode}` }]);
      }
      return { assignedUnit: command.unitCode, coUnits: record.coUnits, note: `已转派至${name}`, data: { unitCode: command.unitCode, fromUnit: actor.unitCode, ...(command.note ? { instruction: command.note } : {}) }, public: true };
    }
    case 'return':
      // 退单 goes back to the centre's manual queue; the dispute itself is internal.
      return { assignedUnit: null, coUnits: [], note: command.reason, data: { returnedBy: record.assignedUnit?.code ?? null }, public: false };
  }
}

async function lockCase(client: PoolClient, id: string): Promise<CaseRecord | undefined> {
  const { rows } = await client.query(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/**
 * Takes one action on a case: locks the row, checks the state table and the actor, then writes the
 * case, its event and the outbox row in the same transaction. Of two actions racing on one case the
 * second waits for the lock, then finds the case moved on and is refused with 409.
 */
export async function performAction(pool: Pool, caseId: string, command: ActionCommand, actor: StaffActor, units: UnitDirectory): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const record = await lockCase(client, caseId);
    if (!record || !isVisibleTo(actor, record, units)) throw notFound('Case');
    const refusal = checkTransition(command.action, record.status, actorKind(actor, record));
    if (refusal) throw new AppError(refusal.status, refusal.status === 403 ? 'forbidden' : 'invalid_state', refusal.reason);
    if (command.expectedVersion !== undefined && command.expectedVersion !== record.version) {
      throw new AppError(409, 'conflict', `The case changed (version ${record.version}, expected ${command.expectedVersion}); reload it`);
    }
    const effect = effectOf(command, actor, record, units);
    await writeTransition(client, record, command.action, effect, actor);
    const updated = await lockCase(client, caseId);
    if (!updated) throw notFound('Case');
    return updated;
  });
}

async function writeTransition(client: PoolClient, record: CaseRecord, action: CaseAction, effect: Effect, actor: StaffActor): Promise<void> {
  await client.query(
    `WITH c AS (
       UPDATE cases SET status = $2, assigned_unit_code = $3, co_units = $4, version = version + 1, updated_at = now()
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
      record.id, TRANSITIONS[action].to, effect.assignedUnit, effect.coUnits, action, record.status,
      actor.id, actor.role, actor.unitCode, effect.note, effect.data, effect.public, record.assignedUnit?.code ?? null,
    ],
  );
}
