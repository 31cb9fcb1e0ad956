import { badRequest, invalidState } from '../../errors.js';
import type { CaseRecord, GrantedExtension } from './case.js';
import type { ActionCommand, StaffActor } from './action-command.js';
import type { ColumnChanges } from './column-changes.js';
import type { Effect } from './case-writer.js';
import { assertExtensionAllowed, extendDeadline, isProvisional, resumeAfterPause, warningTime, type ExtensionRule, type Limit } from '../time-limits/time-limit-policy.js';
import type { Deadline, DeadlineBasis, TimeLimits } from '../time-limits/time-limits.js';
import type { UnitDirectory } from '../org/unit-directory.js';
import { acceptPetitionEffect, awaitsPetitionDecision, rejectPetitionEffect } from '../petitions/petition-decision.js';
import type { ActionData } from './action-catalogue.js';
import { pauseReason } from '../procedures/procedure-state.js';
import { assertExtensionDecider } from '../procedures/extension-approver.js';
import { noticeDate } from '../time-limits/working-calendar.js';
import { thirdPartyAnswer } from '../procedures/third-party.js';
import { isAnsweredDirectly, returnVisitEffect } from './direct-answer.js';
import type { StandingFirstDispatch } from './first-dispatch.js';

/** What effects need besides the case: the org tree, the time limits, and the database clock's now. */
export type { Effect } from './case-writer.js';

export interface EffectContext {
  readonly units: UnitDirectory;
  readonly timeLimits: TimeLimits;
  readonly now: Date;
  /** For a return or re-dispatch: the case's first dispatch if nothing has undone it yet. */
  readonly standingFirstDispatch?: StandingFirstDispatch | null;
  /** For an extension decision: whether the actor's account heads the disclosure office holding the case. */
  readonly disclosureHead?: boolean;
}

/** The name of the unit a body names, or a 400 on that field when it does not exist or is disabled. */
export function requireUnit(units: UnitDirectory, code: string, field: string): string {
  const unit = units.get(code);
  if (!unit) throw badRequest('Unknown unit', [{ path: `body.${field}`, message: `no unit has the code "${code}"` }]);
  if (unit.disabled) throw badRequest('Disabled unit', [{ path: `body.${field}`, message: `unit "${code}" is disabled` }]);
  return unit.name;
}

/** The case stays with its unit and co-handling units. */
export const keep = (record: CaseRecord): Pick<Effect, 'assignedUnit' | 'coUnits'> => ({ assignedUnit: record.assignedUnit?.code ?? null, coUnits: record.coUnits });

/** Whether something done at `at` met the deadline (no deadline: on time). */
function isOnTime(at: Date, due: Date | null): boolean {
  return due === null || at.getTime() <= due.getTime();
}

/** The deadlines a dispatch starts, recorded on its event so that statistics need no history replay. */
function deadlineFacts(changes: ColumnChanges, record: CaseRecord): Record<string, string | null> {
  return { acceptBy: changes.accept_by?.toISOString() ?? null, replyBy: record.deadlines.replyBy?.toISOString() ?? null };
}

/** A new acceptance deadline for the unit the case now goes to (dispatch, re-dispatch, forward). */
export function newAcceptDeadline(record: CaseRecord, ctx: EffectContext): ColumnChanges {
  const accept = ctx.timeLimits.acceptDeadline(record.type, record.urgency, ctx.now);
  return {
    accept_by: accept.due,
    accept_warn_at: accept.warnAt,
    accept_warned_at: null,
    accept_overdue_at: null,
    accept_provisional: accept.provisional,
    deadline_policy: { ...record.deadlines.policy, accept: accept.basis },
  };
}

/**
 * The reply deadline moved to `due`: its warning is recomputed and effects not yet due may fire again.
 * A due moved from a provisional one stays provisional, as the part counted before may still move.
 */
function movedReplyDeadline(record: CaseRecord, due: Date, now: Date, provisional: boolean): ColumnChanges {
  const basis = record.deadlines.policy?.reply as DeadlineBasis | undefined;
  const warnAt = warningTime(record.receivedAt, due, basis?.warnAt);
  return {
    reply_by: due,
    reply_warn_at: warnAt,
    reply_provisional: record.deadlines.replyProvisional || provisional,
    ...(warnAt > now ? { reply_warned_at: null } : {}),
    ...(due > now ? { reply_overdue_at: null } : {}),
  };
}

function extensionOf(record: CaseRecord, days: number): { rule: ExtensionRule | undefined; limit: Limit } {
  const rule = (record.deadlines.policy?.reply as DeadlineBasis | undefined)?.extension;
  // Petition extensions are natural days (《信访工作条例》 art. 34); the others are working days.
  return { rule, limit: { unit: rule?.maxTotal.unit ?? 'working_days', amount: days } };
}

function dispatchEffect(command: Extract<ActionCommand, { action: 'dispatch' }>, record: CaseRecord, ctx: EffectContext): Effect {
  const name = requireUnit(ctx.units, command.unitCode, 'unitCode');
  const co = [...new Set(command.coUnits ?? [])].filter((c) => c !== command.unitCode);
  co.forEach((code, i) => requireUnit(ctx.units, code, `coUnits.${i}`));
  return {
    assignedUnit: command.unitCode,
    coUnits: co,
    note: `已派单至${name}`,
    data: {
      unitCode: command.unitCode,
      coUnits: co,
      ...deadlineFacts(newAcceptDeadline(record, ctx), record),
      ...(command.note ? { instruction: command.note } : {}),
      // Only a registered case has never been dispatched (a returned one waits as 'returned').
      ...(record.status === 'registered' ? { first: true as const } : (ctx.standingFirstDispatch ?? {})),
    },
    public: true,
    set: newAcceptDeadline(record, ctx),
    deadlinesMoved: true,
  };
}

function forwardEffect(command: Extract<ActionCommand, { action: 'forward' }>, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect {
  const name = requireUnit(ctx.units, command.unitCode, 'unitCode');
  // 下派: only down the forwarding unit's own tree, so that the parent keeps sight of the case.
  if (!actor.unitCode || command.unitCode === actor.unitCode || !ctx.units.isWithin(actor.unitCode, command.unitCode)) {
    throw badRequest('A case can only be forwarded to a unit below your own', [{ path: 'body.unitCode', message: `${command.unitCode} is not below ${actor.unitCode}` }]);
  }
  return {
    assignedUnit: command.unitCode,
    coUnits: record.coUnits,
    note: `已转派至${name}`,
    data: { unitCode: command.unitCode, fromUnit: actor.unitCode, ...deadlineFacts(newAcceptDeadline(record, ctx), record), ...(command.note ? { instruction: command.note } : {}) },
    public: true,
    set: newAcceptDeadline(record, ctx),
    deadlinesMoved: true,
  };
}

function extensionEffects(command: ActionCommand, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect | undefined {
  const pending = record.deadlines.pendingExtension;
  const granted = record.deadlines.extensions.map((e) => e.days);
  switch (command.action) {
    case 'request_extension': {
      if (pending) throw invalidState('An extension request is already waiting for a decision');
      if (record.deadlines.pausedAt) throw invalidState('The clock is stopped while the applicant amends the request');
      const { rule, limit } = extensionOf(record, command.days);
      assertExtensionAllowed(rule, granted, limit);
      const request = { days: command.days, reason: command.reason, requestedBy: actor.id, requestedAt: ctx.now.toISOString() };
      return { ...keep(record), note: command.reason, data: { days: command.days, unit: limit.unit }, public: false, set: { pending_extension: request }, deadlinesMoved: false };
    }
    case 'approve_extension': {
      const approvedAs = assertExtensionDecider(actor, record, ctx.disclosureHead === true);
      if (!pending || !record.deadlines.replyBy) throw invalidState('No extension request is waiting');
      const { rule, limit } = extensionOf(record, pending.days);
      assertExtensionAllowed(rule, granted, limit);
      const due = extendDeadline(ctx.timeLimits.calendar, record.deadlines.replyBy, limit);
      const extension: GrantedExtension = { days: pending.days, reason: pending.reason, approvedBy: actor.id, approvedAt: ctx.now.toISOString(), previousReplyBy: record.deadlines.replyBy.toISOString() };
      return {
        ...keep(record),
        // 《政府信息公开条例》 art. 33 and 《信访工作条例》 art. 34: the applicant is told why.
        note: `因${pending.reason}，答复期限延长至${noticeDate(due)}`,
        data: { days: pending.days, unit: limit.unit, replyBy: due.toISOString(), previousReplyBy: extension.previousReplyBy, approvedAs },
        public: true,
        set: { ...movedReplyDeadline(record, due, ctx.now, isProvisional(ctx.timeLimits.calendar, record.deadlines.replyBy, due, limit.unit)), pending_extension: null, extensions: [...record.deadlines.extensions, extension] },
        deadlinesMoved: true,
      };
    }
    case 'reject_extension': {
      const decidedAs = assertExtensionDecider(actor, record, ctx.disclosureHead === true);
      if (!pending) throw invalidState('No extension request is waiting');
      return { ...keep(record), note: command.reason, data: { days: pending.days, decidedAs }, public: false, set: { pending_extension: null }, deadlinesMoved: false };
    }
    default:
      return undefined;
  }
}

/**
 * Starts a paused reply clock again (补正 answered, a third party's view received): the working
 * days left at the pause carry on after today (resumeAfterPause).
 */
export function resumeClock(record: CaseRecord, ctx: EffectContext): { set: ColumnChanges; data: { replyBy: string; pausedAt: string } } {
  const pausedAt = record.deadlines.pausedAt;
  if (!pausedAt || !record.deadlines.replyBy) throw invalidState('The reply clock is not paused');
  const due = resumeAfterPause(ctx.timeLimits.calendar, record.deadlines.replyBy, pausedAt, ctx.now);
  return {
    // The days left are counted from the pause under the calendar, whatever the policy's unit.
    set: { ...movedReplyDeadline(record, due, ctx.now, isProvisional(ctx.timeLimits.calendar, pausedAt, due, 'working_days')), clock_paused_at: null },
    data: { replyBy: due.toISOString(), pausedAt: pausedAt.toISOString() },
  };
}

function amendmentEffects(command: ActionCommand, record: CaseRecord, ctx: EffectContext): Effect | undefined {
  switch (command.action) {
    case 'request_amendment':
      if (record.type !== 'disclosure') throw invalidState('Only a disclosure request can be sent back for amendment (补正)');
      if (record.deadlines.pausedAt) throw invalidState('An amendment is already awaited');
      // 《政府信息公开条例》 art. 30: the limit does not run while the applicant completes the request.
      return { ...keep(record), note: command.note, data: {}, public: true, set: { clock_paused_at: ctx.now }, deadlinesMoved: true };
    case 'amendment_received': {
      if (pauseReason(record.procedures, record.deadlines.pausedAt) !== 'amendment') throw invalidState('No amendment was requested');
      const resumed = resumeClock(record, ctx);
      return { ...keep(record), note: command.note ?? '申请人已补正', data: resumed.data, public: true, set: resumed.set, deadlinesMoved: true };
    }
    default:
      return undefined;
  }
}

/**
 * New acceptance and reply deadlines for a case handled again (reopened, or reviewed): every
 * deadline column, its warning, the flags of effects already applied and the policy they came from.
 * The one place a case's deadlines start over.
 */
export function resetDeadlines(record: CaseRecord, accept: Deadline, reply: Deadline): ColumnChanges {
  return {
    accept_by: accept.due,
    accept_warn_at: accept.warnAt,
    accept_warned_at: null,
    accept_overdue_at: null,
    accept_provisional: accept.provisional,
    reply_by: reply.due,
    reply_warn_at: reply.warnAt,
    reply_warned_at: null,
    reply_overdue_at: null,
    reply_provisional: reply.provisional,
    deadline_policy: { ...record.deadlines.policy, accept: accept.basis, reply: reply.basis },
    reply: null,
    replied_at: null,
  };
}

/**
 * Sends a replied or closed case back to the unit that answered it, with new deadlines counted
 * from now (a dissatisfied rating, or the centre's decision).
 */
export function reopenEffect(record: CaseRecord, ctx: EffectContext, reason: string, options: { byCentre: boolean }): Effect<'reopen'> {
  const accept = ctx.timeLimits.acceptDeadline(record.type, record.urgency, ctx.now);
  const reply = ctx.timeLimits.replyDeadline(record.type, record.urgency, ctx.now);
  return {
    ...keep(record),
    note: options.byCentre ? '12345热线已重新派单办理' : '市民不满意，已重新办理',
    data: { reason, reopenCount: record.reopenCount + 1 },
    public: true,
    status: 'dispatched',
    set: { ...resetDeadlines(record, accept, reply), reopen_count: record.reopenCount + 1 },
    deadlinesMoved: true,
  };
}

/**
 * The statutory answer of a disclosure reply: an outcome of the annual report's table, with its
 * ground when information is withheld (《政府信息公开条例》 art. 36); other cases take none.
 */
function disclosureAnswer(command: Extract<ActionCommand, { action: 'reply' }>, record: CaseRecord): Partial<ActionData['reply']> {
  if (record.type !== 'disclosure') {
    if (command.outcome || command.ground || command.publicInterest) throw badRequest('Only a disclosure request is answered with an outcome', [{ path: 'body.outcome', message: 'not allowed for this case type' }]);
    return {};
  }
  if (!command.outcome) throw badRequest('A disclosure reply needs its statutory outcome', [{ path: 'body.outcome', message: 'required for a disclosure request' }]);
  if ((command.outcome === 'not_disclosed') !== (command.ground !== undefined)) {
    throw badRequest('A ground is given exactly when information is not disclosed', [{ path: 'body.ground', message: 'required with not_disclosed, and only then' }]);
  }
  return {
    outcome: command.outcome,
    ...(command.ground ? { ground: command.ground } : {}),
    ...(command.legalBasis ? { legalBasis: command.legalBasis } : {}),
    ...thirdPartyAnswer(command.outcome, command.publicInterest, record),
  };
}

/** The effect of an action on a case: new assignment, timeline entry, and column changes. */
export function effectOf(command: ActionCommand, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect {
  switch (command.action) {
    case 'dispatch':
      return dispatchEffect(command, record, ctx);
    case 'forward':
      return forwardEffect(command, actor, record, ctx);
    case 'accept':
      if (awaitsPetitionDecision(record, ctx.units)) throw invalidState('A petitions office decides whether to accept a petition: accept_petition or reject_petition');
      return {
        ...keep(record),
        note: `${record.assignedUnit?.name ?? ''}已签收`,
        data: { acceptBy: record.deadlines.acceptBy?.toISOString() ?? null, onTime: isOnTime(ctx.now, record.deadlines.acceptBy), ...(command.note ? { remark: command.note } : {}) },
        public: true,
        set: {},
        deadlinesMoved: false,
      };
    case 'return':
      // 退单 goes back to the centre's manual queue; the dispute itself is internal.
      return { assignedUnit: null, coUnits: [], note: command.reason, data: { returnedBy: record.assignedUnit?.code ?? null, ...(ctx.standingFirstDispatch ?? {}) }, public: false, set: {}, deadlinesMoved: false };
    case 'reply': {
      const disclosure = disclosureAnswer(command, record);
      return {
        ...keep(record),
        note: command.reply,
        data: { replyBy: record.deadlines.replyBy?.toISOString() ?? null, onTime: isOnTime(ctx.now, record.deadlines.replyBy), extended: record.deadlines.extensions.length > 0, ...disclosure },
        public: true,
        set: { reply: command.reply, replied_at: ctx.now, ...(disclosure.outcome ? { disclosure_outcome: disclosure.outcome, disclosure_ground: disclosure.ground ?? null, legal_basis: disclosure.legalBasis ?? null } : {}) },
        deadlinesMoved: true,
      };
    }
    case 'assign': {
      const name = requireUnit(ctx.units, command.unitCode, 'unitCode');
      if (record.type !== 'petition' || ctx.units.get(record.assignedUnit?.code ?? '')?.kind !== 'petitions_office') {
        throw invalidState('Only a petitions office hands a petition to another unit (交办)');
      }
      // 信访局集中办理: the office keeps the case; the unit it hands it to works beside it.
      const co = [...new Set([...record.coUnits, command.unitCode])];
      return { ...keep(record), coUnits: co, note: `已交办${name}`, data: { unitCode: command.unitCode, ...(command.note ? { instruction: command.note } : {}) }, public: true, set: {}, deadlinesMoved: false };
    }
    case 'feedback':
      return { ...keep(record), note: command.note, data: { fromUnit: actor.unitCode }, public: false, set: {}, deadlinesMoved: false };
    case 'accept_petition':
      return acceptPetitionEffect(record, ctx.units, ctx.now);
    case 'reject_petition':
      return rejectPetitionEffect(record, ctx.units, ctx.now, command.reason, command.properChannel);
    case 'supplement':
      // Staff only: the caller's words may name people and numbers the public timeline must not show.
      return { ...keep(record), note: command.content, data: { channel: command.channel ?? 'hotline' }, public: false, set: {}, deadlinesMoved: false };
    case 'merge':
      throw new Error('merge is written by mergeInto, which locks both cases');
    case 'close': {
      // 回访: a rating taken by phone is recorded like one from the citizen page.
      const rating = command.satisfaction ? { satisfaction: command.satisfaction, comment: command.comment ?? null, source: 'return_visit' as const, at: ctx.now.toISOString() } : undefined;
      return { ...keep(record), note: command.note ?? '已回访，办结', data: rating ? { rating } : {}, public: true, set: rating ? { rating } : {}, deadlinesMoved: false };
    }
    case 'return_visit':
      return returnVisitEffect(record, { satisfaction: command.satisfaction, comment: command.comment ?? null, source: 'return_visit', at: ctx.now.toISOString() });
    case 'reopen':
      // A case answered at the desk has no unit to go back to: the caller's new request is a new case.
      if (isAnsweredDirectly(record)) throw invalidState('A case answered at the desk is not reopened; register the new request');
      return reopenEffect(record, ctx, command.reason, { byCentre: true });
    case 'supervise':
      // 督办: the instruction is for the unit; the citizen sees that the centre is supervising.
      return { ...keep(record), note: '12345热线已督办', data: { instruction: command.note }, public: true, set: { supervised: true }, deadlinesMoved: false };
    default: {
      const effect = extensionEffects(command, actor, record, ctx) ?? amendmentEffects(command, record, ctx);
      if (!effect) throw new Error(`no effect defined for ${command.action}`);
      return effect;
    }
  }
}
