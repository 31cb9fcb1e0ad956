import { AppError, notFound } from '../../errors.js';
import type { PoolClient } from '../../infra/db.js';
import type { Actor, CaseRecord, CaseStatus } from './case.js';
import { CASE_COLUMNS, CASE_FROM, toCaseRecord } from './case.repository.js';
import { CATALOGUE, type ActionData, type ActionName, type ActorKind } from './action-catalogue.js';
import { checkTransition, type Refusal } from './case-workflow.js';
import { CHANGEABLE_COLUMNS, type ColumnChanges } from './column-changes.js';

/** One timeline event of a change, typed by its action. */
export type CaseEventOf<A extends ActionName> = { readonly action: A; readonly note: string | null; readonly data: ActionData[A]; readonly public: boolean };

/** What one action changes on the case and writes to its timeline. */
export interface Effect<A extends ActionName = ActionName> {
  readonly assignedUnit: string | null;
  readonly coUnits: readonly string[];
  readonly note: string | null;
  readonly data: ActionData[A];
  readonly public: boolean;
  readonly set: ColumnChanges;
  /** Whether a deadline moved, paused or stopped: jobs for the old version must do nothing. */
  readonly deadlinesMoved: boolean;
  /** The status chosen among those the state table allows (a rating decides between closed and replied). */
  readonly status?: CaseStatus;
  /** Events of the same change written after the action's own (an overdue's escalation). */
  readonly also?: readonly CaseEventOf<ActionName>[];
}

/** What the writer needs of the locked case: its id, status and assignment. */
export type LockedCase = Pick<CaseRecord, 'id' | 'status' | 'coUnits'> & { readonly assignedUnit: { readonly code: string } | null };

/** Reads a case and locks its row until the transaction ends. */
export async function lockCase(client: PoolClient, id: string): Promise<CaseRecord | undefined> {
  const { rows } = await client.query(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** Throws the refusal of the state table, if any. */
export function assertAllowed(refusal: Refusal): void {
  if (refusal) throw new AppError(refusal.status, refusal.status === 403 ? 'forbidden' : 'invalid_state', refusal.reason);
}

/**
 * Writes one change of a case whose row the caller holds locked: checks the action against the
 * state table for this actor kind, then writes the case row, the event(s) and one outbox row per
 * event in one statement, bumping the version unless the catalogue says the action only annotates
 * the timeline. Every change of a case, by anyone, ends here.
 */
export async function writeChange<A extends ActionName>(client: PoolClient, record: LockedCase, action: A, kind: ActorKind | null, actor: Actor, effect: Effect<A>): Promise<void> {
  assertAllowed(checkTransition(action, record.status, kind, effect.status));
  const spec = CATALOGUE[action];
  const status = effect.status ?? (typeof spec.to === 'string' && spec.to !== 'same' ? spec.to : record.status);
  const changes = CHANGEABLE_COLUMNS.filter((column) => column in effect.set);
  const values = changes.map((column) => {
    const value = effect.set[column];
    return column === 'extensions' || column === 'rating' ? JSON.stringify(value) : value;
  });
  const assignments = changes.map((column, i) => `, ${column} = $${12 + i}`);
  if (effect.deadlinesMoved) assignments.push(', deadline_version = deadline_version + 1');
  const events = [{ action, note: effect.note, data: effect.data, public: effect.public }, ...(effect.also ?? [])].map((event, ord) => {
    const eventSpec = CATALOGUE[event.action];
    // Actions that move no deadline are marked consumed for the deadline scheduler at once.
    return { ord, ...event, topic: eventSpec.topic, deadlines: effect.deadlinesMoved || eventSpec.bumpsVersion };
  });
  await client.query(
    `WITH t AS MATERIALIZED (SELECT clock_timestamp() AS at),
     c AS (
       UPDATE cases SET status = $2, assigned_unit_code = $3, co_units = $4, version = version + $5::int, updated_at = t.at
                        ${assignments.join('')}
         FROM t WHERE id = $1 RETURNING id, status, assigned_unit_code
     ), e AS (
       INSERT INTO case_events (case_id, action, from_status, to_status, actor_id, actor_role, actor_unit, unit_code, note, data, public, created_at)
       SELECT c.id, v.action, $6, c.status, $7, $8, $9, c.assigned_unit_code, v.note, v.data, v.public, t.at
         FROM c CROSS JOIN t CROSS JOIN jsonb_to_recordset($10::jsonb) AS v (ord int, action text, note text, data jsonb, public boolean)
        ORDER BY v.ord
       RETURNING id, case_id, action, to_status, unit_code, data, created_at
     )
     INSERT INTO outbox (case_id, event_id, topic, payload, created_at, deadlines_synced_at)
     SELECT e.case_id, e.id, v.topic,
            jsonb_build_object('caseId', e.case_id, 'eventId', e.id, 'status', e.to_status, 'unitCode', e.unit_code, 'previousUnit', $11::text) || e.data,
            e.created_at, CASE WHEN v.deadlines THEN NULL ELSE e.created_at END
       FROM e JOIN jsonb_to_recordset($10::jsonb) AS v (action text, topic text, deadlines boolean) ON v.action = e.action
      ORDER BY e.id`,
    [
      record.id, status, effect.assignedUnit, effect.coUnits, CATALOGUE[action].bumpsVersion ? 1 : 0, record.status,
      actor.id, actor.role, actor.unitCode, JSON.stringify(events), record.assignedUnit?.code ?? null,
      ...values,
    ],
  );
}

/** One change as a caller asks for it: the action, who takes it, and how to work out its effect. */
export interface ChangeRequest<A extends ActionName> {
  readonly action: A;
  readonly actor: Actor;
  /** The actor's kind for this case (a handler is the assigned or a co-handling unit, or neither). */
  readonly kind: (record: CaseRecord) => ActorKind | null;
  /** Refuses with 409 when the case's version is another (optimistic concurrency of the API). */
  readonly expectedVersion?: number;
  /** Runs with the row locked and the transition allowed; throws to refuse (domain rules). */
  readonly effect: (record: CaseRecord) => Effect<A> | Promise<Effect<A>>;
}

/**
 * Locks the case, checks the state table for the actor, works out the effect and writes it (see
 * writeChange). Of two changes racing on one case the second waits for the lock, then finds the
 * case moved on and is refused with 409. Returns the case as it was before the change.
 */
export async function changeCase<A extends ActionName>(client: PoolClient, caseId: string, request: ChangeRequest<A>): Promise<CaseRecord> {
  const record = await lockCase(client, caseId);
  if (!record) throw notFound('Case');
  const kind = request.kind(record);
  // The actor and the status are checked before the effect runs, so that its rules see only a legal action.
  assertAllowed(checkTransition(request.action, record.status, kind));
  if (request.expectedVersion !== undefined && request.expectedVersion !== record.version) {
    throw new AppError(409, 'conflict', `The case changed (version ${record.version}, expected ${request.expectedVersion}); reload it`);
  }
  await writeChange(client, record, request.action, kind, request.actor, await request.effect(record));
  return record;
}

/** The kind of a non-staff actor, from its role: citizens, channels and the system are one kind each. */
export function kindOfRole(role: Actor['role']): ActorKind | null {
  return role === 'citizen' || role === 'channel' || role === 'system' || role === 'operator' || role === 'supervisor' || role === 'admin' ? role : null;
}

/**
 * The state table's check for intake, the writer's one creating path (the single statement of
 * insertRegisteredCase): who may register a case, and that the routing rules may dispatch it.
 */
export function assertMayRegister(actor: Actor, routed: boolean): void {
  const kind = kindOfRole(actor.role);
  if (!kind || !CATALOGUE.register.by.includes(kind)) assertAllowed({ status: 403, reason: 'register is not yours to take' });
  if (routed) assertAllowed(checkTransition('dispatch', 'registered', 'system'));
}
