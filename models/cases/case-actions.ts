import { badRequest, invalidState, notFound } from '../../errors.js';
import { withTransaction, type Pool, type PoolClient } from '../../infra/db.js';
import { effectOf, type EffectContext } from './action-effects.js';
import type { ActionCommand, StaffActor } from './action-command.js';
import { OPEN_STATUSES, type CaseRecord } from './case.js';
import type { ActorKind } from './case-workflow.js';
import { changeCase, lockCase } from './case-writer.js';
import type { UnitDirectory } from '../org/unit-directory.js';
import { assertDisputeAllows, isProcedureCommand, procedureEffect } from '../procedures/procedure-effects.js';
import { standingFirstDispatch } from './first-dispatch.js';
import { isDisclosureHeadOf } from '../accounts/user.repository.js';

export type { ActionCommand, StaffActor } from './action-command.js';
export { lockCase } from './case-writer.js';

/** Whether a staff member may see the case at all (handlers: assigned or co-handling unit in their subtree). */
export function isVisibleTo(actor: { role: string; unitCode: string | null }, record: CaseRecord, units: UnitDirectory): boolean {
  if (actor.role !== 'handler') return true;
  const own = actor.unitCode;
  if (!own) return false;
  // A contested case stays in sight of the unit its dispute names until the centre decides.
  return [record.assignedUnit?.code, ...record.coUnits, record.procedures.dispute?.suggestedUnitCode ?? undefined].some((code) => code !== undefined && units.isWithin(own, code));
}

/** How the state table sees this staff member on this case: a centre role, or the assigned or co-handling unit. */
export function actorKind(actor: StaffActor, record: CaseRecord): ActorKind | null {
  if (actor.role !== 'handler') return actor.role;
  if (actor.unitCode === null) return null;
  if (actor.unitCode === record.assignedUnit?.code) return 'assigned_handler';
  return record.coUnits.includes(actor.unitCode) ? 'co_handler' : null;
}

/** The kind of a staff member for this case; a handler outside its units (or a case it cannot see) is none. */
function staffKind(actor: StaffActor, units: UnitDirectory) {
  return (record: CaseRecord): ActorKind | null => {
    if (!isVisibleTo(actor, record, units)) throw notFound('Case');
    return actorKind(actor, record);
  };
}

/**
 * Takes one staff action on a case through the case writer: lock, state table for this actor,
 * effect, event and outbox row, in one transaction. Of two actions racing on one case the second
 * waits for the lock, then finds the case moved on and is refused with 409.
 */
export async function performAction(pool: Pool, caseId: string, command: ActionCommand, actor: StaffActor, ctx: Omit<EffectContext, 'now'> & { now: () => Date }): Promise<CaseRecord> {
  return withTransaction(pool, async (client) => {
    const kind = staffKind(actor, ctx.units);
    const base = { actor, kind, expectedVersion: command.expectedVersion };
    if (command.action === 'merge') {
      await mergeInto(client, caseId, command.intoCaseId, actor, base, ctx.units);
    } else {
      const before = await changeCase(client, caseId, {
        ...base,
        action: command.action,
        effect: async (record) => {
          // A return or re-dispatch may be the one that undoes the first dispatch (first-dispatch accuracy).
          const undoing = (command.action === 'return' || command.action === 'dispatch') && record.status !== 'registered';
          const standing = undoing ? await standingFirstDispatch(client, record.id) : null;
          const disclosureHead = await headsOfficeHolding(client, command.action, actor, record);
          return effectFor(command, actor, record, { ...ctx, now: ctx.now(), standingFirstDispatch: standing, disclosureHead });
        },
      });
      if (command.action === 'reply' && before.type === 'petition' && before.receivedByUnit) {
        await feedBackToReceiver(client, caseId, before.receivedByUnit, actor, kind);
      }
    }
    const updated = await lockCase(client, caseId);
    if (!updated) throw notFound('Case');
    return updated;
  });
}

/** For an extension decision on a disclosure request: whether the actor's account, as it stands now, heads the office holding it. */
async function headsOfficeHolding(client: PoolClient, action: ActionCommand['action'], actor: StaffActor, record: CaseRecord): Promise<boolean> {
  const deciding = action === 'approve_extension' || action === 'reject_extension';
  const office = record.assignedUnit?.code;
  if (!deciding || record.type !== 'disclosure' || actor.role !== 'handler' || !office) return false;
  return isDisclosureHeadOf(client, actor.id, office);
}

function effectFor(command: Exclude<ActionCommand, { action: 'merge' }>, actor: StaffActor, record: CaseRecord, ctx: EffectContext) {
  if (isProcedureCommand(command)) return procedureEffect(command, actor, record, ctx);
  assertDisputeAllows(command.action, actor, record);
  return effectOf(command, actor, record, ctx);
}

/**
 * 将办理结果反馈诉求接收单位: a petition's result goes back to the unit that first received it (and,
 * through the outbox, out to the citizen through the channel it came in by).
 */
async function feedBackToReceiver(client: PoolClient, caseId: string, receiver: string, actor: StaffActor, kind: (record: CaseRecord) => ActorKind | null): Promise<void> {
  await changeCase(client, caseId, {
    action: 'result_feedback',
    actor,
    kind,
    effect: (replied) => ({
      assignedUnit: replied.assignedUnit?.code ?? null,
      coUnits: replied.coUnits,
      deadlinesMoved: false,
      note: '办理结果已反馈受理单位',
      data: { toUnit: receiver },
      public: false,
      set: {},
    }),
  });
}

/**
 * Closes a case into another open case, writing an event on both so that both timelines show it.
 * Both rows are locked; the second lock is taken after the first, and a merge in the other
 * direction at the same moment is refused because each finds the other merged or closed.
 */
async function mergeInto(
  client: PoolClient,
  caseId: string,
  intoCaseId: string,
  actor: StaffActor,
  base: { kind: (record: CaseRecord) => ActorKind | null; expectedVersion?: number },
  units: UnitDirectory,
): Promise<void> {
  if (intoCaseId === caseId) throw badRequest('A case cannot be merged into itself', [{ path: 'body.intoCaseId', message: 'same case' }]);
  const merged = await changeCase(client, caseId, {
    ...base,
    actor,
    action: 'merge',
    effect: async (record) => {
      const target = await lockCase(client, intoCaseId);
      if (!target || !isVisibleTo(actor, target, units)) throw badRequest('Unknown case to merge into', [{ path: 'body.intoCaseId', message: 'no such case' }]);
      if (!OPEN_STATUSES.includes(target.status)) throw invalidState('The case to merge into is no longer open');
      return {
        assignedUnit: record.assignedUnit?.code ?? null,
        coUnits: record.coUnits,
        deadlinesMoved: true,
        note: `已与${target.caseNo}合并办理`,
        data: { intoCaseId: target.id, intoCaseNo: target.caseNo },
        public: true,
        set: { merged_into: target.id },
      };
    },
  });
  await changeCase(client, intoCaseId, {
    action: 'merged_in',
    actor,
    kind: base.kind,
    effect: (target) => ({
      assignedUnit: target.assignedUnit?.code ?? null,
      coUnits: target.coUnits,
      deadlinesMoved: false,
      note: `合并了重复诉求${merged.caseNo}`,
      data: { fromCaseId: merged.id, fromCaseNo: merged.caseNo },
      public: false,
      set: {},
    }),
  });
}
