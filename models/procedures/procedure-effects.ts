import { AppError, badRequest, invalidState } from '../../errors.js';
import { keep, newAcceptDeadline, requireUnit, resumeClock, type Effect, type EffectContext } from '../cases/action-effects.js';
import type { ProcedureCommand, StaffActor } from '../cases/action-command.js';
import type { CaseRecord } from '../cases/case.js';
import type { Dispute, RatingAppeal, ThirdPartyOpinion } from './procedure-state.js';
import { noticeDate } from '../time-limits/working-calendar.js';

const PROCEDURE_ACTIONS: ReadonlySet<string> = new Set<ProcedureCommand['action']>([
  'request_third_party_opinion', 'third_party_opinion_received', 'third_party_no_answer', 'dispute_dispatch', 'arbitrate_dispute', 'appeal_rating', 'decide_rating_appeal',
]);

/** Whether a command is one of the procedures of this module. */
export function isProcedureCommand(command: { readonly action: string }): command is ProcedureCommand {
  return PROCEDURE_ACTIONS.has(command.action);
}

/** 409 `arbitrated`: the centre bound this unit to the case; it cannot contest it on the same ground. */
function arbitrated(unit: string): AppError {
  return new AppError(409, 'arbitrated', `The centre's arbitration assigned this case to ${unit}; it cannot be returned or disputed on jurisdiction again`);
}

/**
 * Refuses what a jurisdiction dispute rules out: a return (退单, which is always about jurisdiction)
 * or a forward while the dispute waits for the centre, and a return by the unit the centre bound.
 */
export function assertDisputeAllows(action: string, actor: StaffActor, record: CaseRecord): void {
  if (action !== 'return' && action !== 'forward') return;
  if (record.procedures.dispute) throw invalidState('The dispatch is disputed and waits for the centre');
  if (action === 'return' && actor.unitCode !== null && actor.unitCode === record.procedures.arbitratedUnit) throw arbitrated(actor.unitCode);
}

// The third party's deadline ends with its answer or with the office going on without it.
const THIRD_PARTY_DEADLINE_CLEARED = { third_party_by: null, third_party_warn_at: null, third_party_provisional: false } as const;

type ThirdPartyCommand = Extract<ProcedureCommand, { action: 'request_third_party_opinion' | 'third_party_opinion_received' | 'third_party_no_answer' }>;

function thirdPartyEffect(command: ThirdPartyCommand, record: CaseRecord, ctx: EffectContext): Effect {
  const opinion = record.procedures.thirdPartyOpinion;
  if (command.action === 'request_third_party_opinion') {
    if (record.type !== 'disclosure') throw invalidState('Only a disclosure request is put to a third party');
    if (record.deadlines.pausedAt) throw invalidState('The reply clock is already stopped');
    if (opinion && opinion.receivedAt === null) throw invalidState("A third party's view is already awaited");
    const answer = ctx.timeLimits.procedureDeadline('thirdPartyAnswer', ctx.now);
    const asked: ThirdPartyOpinion = { party: command.party, reason: command.reason, requestedAt: ctx.now.toISOString(), answerBy: answer.due.toISOString(), receivedAt: null, agreed: null, note: null };
    return {
      ...keep(record),
      // The applicant learns that the clock stands still, why, and until when the third party may answer; not who it is.
      note: `依《政府信息公开条例》第三十二条征求第三方意见，征求意见期间不计入答复期限；第三方应于${noticeDate(answer.due)}前提出意见`,
      data: { party: command.party, answerBy: asked.answerBy },
      public: true,
      set: {
        clock_paused_at: ctx.now,
        third_party_opinion: { ...asked },
        third_party_by: answer.due,
        third_party_warn_at: answer.warnAt,
        third_party_warned_at: null,
        third_party_overdue_at: null,
        third_party_provisional: answer.provisional,
        deadline_policy: { ...record.deadlines.policy, thirdPartyAnswer: answer.basis },
      },
      deadlinesMoved: true,
    };
  }
  if (!opinion || opinion.receivedAt !== null) throw invalidState("No third party's view is awaited");
  if (command.action === 'third_party_no_answer') {
    // 《政府信息公开条例》 art. 32: 第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开.
    if (ctx.now <= new Date(opinion.answerBy)) throw invalidState(`The third party has until ${opinion.answerBy} to give its view`);
    const resumed = resumeClock(record, ctx);
    const lapsed: ThirdPartyOpinion = { ...opinion, receivedAt: ctx.now.toISOString(), agreed: null, note: command.note ?? null, lapsed: true };
    return {
      ...keep(record),
      note: '第三方逾期未提出意见，由行政机关依照条例决定是否公开，答复期限继续计算',
      data: { answerBy: opinion.answerBy, ...resumed.data },
      public: true,
      set: { ...resumed.set, ...THIRD_PARTY_DEADLINE_CLEARED, third_party_opinion: { ...lapsed } },
      deadlinesMoved: true,
    };
  }
  const resumed = resumeClock(record, ctx);
  const received: ThirdPartyOpinion = { ...opinion, receivedAt: ctx.now.toISOString(), agreed: command.agreed, note: command.note ?? null };
  return {
    ...keep(record),
    note: '第三方意见已收到，答复期限继续计算',
    data: { agreed: command.agreed, ...resumed.data },
    public: true,
    set: { ...resumed.set, ...THIRD_PARTY_DEADLINE_CLEARED, third_party_opinion: { ...received } },
    deadlinesMoved: true,
  };
}

function disputeEffect(command: Extract<ProcedureCommand, { action: 'dispute_dispatch' }>, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect {
  const own = actor.unitCode ?? '';
  if (record.procedures.dispute) throw invalidState('The dispatch is already disputed');
  if (own === record.procedures.arbitratedUnit) throw arbitrated(own);
  const suggested = command.suggestedUnitCode;
  if (suggested !== undefined) {
    requireUnit(ctx.units, suggested, 'suggestedUnitCode');
    if (suggested === own) throw badRequest('The unit suggested is your own', [{ path: 'body.suggestedUnitCode', message: 'name the unit that should handle the case' }]);
  }
  const { due, warnAt, basis, provisional } = ctx.timeLimits.procedureDeadline('arbitration', ctx.now);
  const dispute: Dispute = { unitCode: own, reason: command.reason, suggestedUnitCode: suggested ?? null, disputedAt: ctx.now.toISOString() };
  return {
    ...keep(record),
    note: command.reason,
    data: { disputedBy: own, ...(suggested ? { suggestedUnitCode: suggested } : {}), arbitrateBy: due.toISOString() },
    public: false,
    set: {
      dispute: { ...dispute },
      disputed_with: suggested ?? null,
      arbitrate_by: due,
      arbitrate_warn_at: warnAt,
      arbitrate_warned_at: null,
      arbitrate_overdue_at: null,
      arbitrate_provisional: provisional,
      deadline_policy: { ...record.deadlines.policy, arbitration: basis },
    },
    deadlinesMoved: true,
  };
}

/**
 * The centre's arbitration. Naming the disputing unit dismisses the dispute and the case carries on
 * there; naming another unit dispatches it there, written as a dispatch event too, so that the new
 * unit's queue, its 签收 limit and the statistics see an ordinary arrival.
 */
function arbitrationEffect(command: Extract<ProcedureCommand, { action: 'arbitrate_dispute' }>, record: CaseRecord, ctx: EffectContext): Effect {
  const dispute = record.procedures.dispute;
  if (!dispute) throw invalidState('No dispute waits for arbitration');
  const name = requireUnit(ctx.units, command.unitCode, 'unitCode');
  const upheld = command.unitCode !== dispute.unitCode;
  const onTime = record.deadlines.arbitrateBy === null || ctx.now <= record.deadlines.arbitrateBy;
  const closed = { dispute: null, disputed_with: null, arbitrate_by: null, arbitrate_warn_at: null, arbitrate_provisional: false, arbitrated_unit: command.unitCode };
  const replyBy = record.deadlines.replyBy?.toISOString() ?? null;
  const note = `管辖争议仲裁：由${name}办理。${command.reason}`;
  if (!upheld) {
    return { ...keep(record), note, data: { unitCode: command.unitCode, disputedBy: dispute.unitCode, upheld, onTime, acceptBy: record.deadlines.acceptBy?.toISOString() ?? null, replyBy }, public: false, set: closed, deadlinesMoved: true };
  }
  const accept = newAcceptDeadline(record, ctx);
  const acceptBy = accept.accept_by?.toISOString() ?? null;
  return {
    assignedUnit: command.unitCode,
    coUnits: record.coUnits.filter((code) => code !== command.unitCode),
    note,
    data: { unitCode: command.unitCode, disputedBy: dispute.unitCode, upheld, onTime, acceptBy, replyBy },
    public: false,
    status: 'dispatched',
    set: { ...closed, ...accept },
    deadlinesMoved: true,
    also: [{ action: 'dispatch', note: `已派单至${name}`, data: { unitCode: command.unitCode, coUnits: [], acceptBy, replyBy, instruction: '管辖争议仲裁' }, public: true }],
  };
}

function appealEffect(command: Extract<ProcedureCommand, { action: 'appeal_rating' | 'decide_rating_appeal' }>, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect {
  const appeal = record.procedures.ratingAppeal;
  if (command.action === 'decide_rating_appeal') {
    if (!appeal || appeal.decision) throw invalidState('No rating appeal waits for a decision');
    const decided: RatingAppeal = { ...appeal, decision: { upheld: command.upheld, reason: command.reason, decidedAt: ctx.now.toISOString() } };
    return {
      ...keep(record),
      note: `${command.upheld ? '甄别成立，该评价不计入满意率' : '甄别不成立，评价维持'}。${command.reason}`,
      data: { unitCode: appeal.unitCode, ratingAt: appeal.ratingAt, upheld: command.upheld },
      // The citizen's view is unchanged: the rating stays as given, on the record.
      public: false,
      set: { rating_appeal: { ...decided } },
      deadlinesMoved: false,
    };
  }
  const rating = record.rating;
  if (rating?.satisfaction !== 'dissatisfied') throw invalidState('Only a dissatisfied rating can be appealed');
  if (appeal?.ratingAt === rating.at) throw invalidState('This rating has already been appealed');
  const window = ctx.timeLimits.procedureDeadline('ratingAppeal', new Date(rating.at));
  const { amount, unit } = window.basis.limit;
  if (ctx.now > window.due) throw invalidState(`A rating is appealed within ${amount} ${unit}; this one could be until ${window.due.toISOString()}`);
  const unitCode = actor.unitCode ?? '';
  const appealBy = window.due.toISOString();
  const filed: RatingAppeal = { unitCode, reason: command.reason, ratingAt: rating.at, appealedAt: ctx.now.toISOString(), appealBy, policyVersion: window.basis.setVersion, decision: null };
  return { ...keep(record), note: command.reason, data: { unitCode, ratingAt: rating.at, appealBy }, public: false, set: { rating_appeal: { ...filed } }, deadlinesMoved: false };
}

/** The effect of one of the procedures on a case (see the action catalogue for who takes each). */
export function procedureEffect(command: ProcedureCommand, actor: StaffActor, record: CaseRecord, ctx: EffectContext): Effect {
  switch (command.action) {
    case 'request_third_party_opinion':
    case 'third_party_opinion_received':
    case 'third_party_no_answer':
      return thirdPartyEffect(command, record, ctx);
    case 'dispute_dispatch':
      return disputeEffect(command, actor, record, ctx);
    case 'arbitrate_dispute':
      return arbitrationEffect(command, record, ctx);
    case 'appeal_rating':
    case 'decide_rating_appeal':
      return appealEffect(command, actor, record, ctx);
  }
}

/** Rows of the state table for these actions that depend on the case itself, not only its status. */
export function procedureApplies(action: ProcedureCommand['action'], record: CaseRecord, now: Date = new Date()): boolean {
  const p = record.procedures;
  switch (action) {
    case 'request_third_party_opinion':
      return record.type === 'disclosure' && record.deadlines.pausedAt === null;
    case 'third_party_opinion_received':
      return p.thirdPartyOpinion !== null && p.thirdPartyOpinion.receivedAt === null;
    case 'third_party_no_answer':
      return p.thirdPartyOpinion !== null && p.thirdPartyOpinion.receivedAt === null && new Date(p.thirdPartyOpinion.answerBy) < now;
    case 'dispute_dispatch':
      return p.dispute === null && record.assignedUnit?.code !== p.arbitratedUnit;
    case 'arbitrate_dispute':
      return p.dispute !== null;
    case 'appeal_rating':
      return record.rating?.satisfaction === 'dissatisfied' && p.ratingAppeal?.ratingAt !== record.rating.at;
    case 'decide_rating_appeal':
      return p.ratingAppeal !== null && p.ratingAppeal.decision === null;
  }
}
