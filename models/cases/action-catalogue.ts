import { OPEN_STATUSES, STATUSES, type CaseStatus } from './case.js';
import type { DeadlineKind, UnitDeadlineKind } from '../time-limits/deadline-rules.js';

/**
 * Who takes an action: centre staff by role, a handler of the case's assigned or co-handling unit,
 * the citizen (public page, mailbox), the system (routing at intake, deadlines) or a channel
 * (webhook intake, delivery of a reply).
 */
export type ActorKind = 'operator' | 'supervisor' | 'admin' | 'assigned_handler' | 'co_handler' | 'citizen' | 'system' | 'channel';

/** A rating as stored on the case and on its event (评价, or 回访 by phone). */
export interface StoredRating {
  readonly satisfaction: string;
  readonly comment: string | null;
  readonly source: 'citizen' | 'return_visit';
  readonly at: string;
}

/** The deadlines a dispatch starts, recorded on its event so that statistics need no history replay. */
interface DeadlineFacts {
  readonly acceptBy: string | null;
  readonly replyBy: string | null;
}

/** The `data` of each action's timeline event: the contract read models (statistics, sockets, deliveries) rely on. */
export interface ActionData {
  /** `receivedBy`: the unit that took the request in (a desk's registrations count for it). */
  register: { receivedAtReason?: string; receivedBy?: string };
  /** 当场答复: the unit that answered at the desk, and the knowledge-base articles the answer rests on. */
  answer_directly: { unitCode: string; knowledgeIds: readonly string[] };
  /** 回访 of a case answered at the desk: the rating taken by phone, counted for the unit that answered. */
  return_visit: { rating: StoredRating; unitCode: string | null };
  dispatch: DeadlineFacts & { unitCode: string; coUnits?: readonly string[]; instruction?: string; ruleId?: string; first?: true } & Partial<FirstDispatchUndone>;
  accept: { acceptBy: string | null; onTime: boolean; remark?: string };
  forward: DeadlineFacts & { unitCode: string; fromUnit: string | null; instruction?: string };
  return: { returnedBy: string | null } & Partial<FirstDispatchUndone>;
  request_extension: { days: number; unit: string };
  /** `approvedAs`: the centre, or the head of the disclosure office (《政府信息公开条例》 art. 33). */
  approve_extension: { days: number; unit: string; replyBy: string; previousReplyBy: string; approvedAs: 'centre' | 'disclosure_head' };
  reject_extension: { days: number; decidedAs: 'centre' | 'disclosure_head' };
  request_amendment: Record<string, never>;
  amendment_received: { replyBy: string; pausedAt: string };
  reply: { replyBy: string | null; onTime: boolean; extended: boolean; outcome?: string; ground?: string; legalBasis?: string; thirdPartyAgreed?: boolean; thirdPartyLapsed?: true; publicInterest?: string };
  close: { rating?: StoredRating };
  reopen: { reason: string; reopenCount: number };
  supervise: { instruction: string };
  merge: { intoCaseId: string; intoCaseNo: string };
  merged_in: { fromCaseId: string; fromCaseNo: string };
  supplement: { channel: string };
  assign: { unitCode: string; instruction?: string };
  feedback: { fromUnit: string | null };
  result_feedback: { toUnit: string };
  rate: { rating: StoredRating; reopened: boolean; needsCentreDecision: boolean };
  citizen_escalation: { reason: string };
  review: { reason: string; toUnit: string; previousUnit: string | null };
  deadline_warning: { kind: DeadlineKind; due: string | null };
  deadline_overdue: { kind: DeadlineKind; due: string | null };
  escalate: { toUnit: string; kind: UnitDeadlineKind };
  // Issue 15: third-party consultation, jurisdiction disputes, rating appeals.
  request_third_party_opinion: { party: string; answerBy: string };
  third_party_opinion_received: { agreed: boolean; replyBy: string; pausedAt: string };
  third_party_no_answer: { answerBy: string; replyBy: string; pausedAt: string };
  dispute_dispatch: { disputedBy: string; suggestedUnitCode?: string; arbitrateBy: string };
  arbitrate_dispute: DeadlineFacts & { unitCode: string; disputedBy: string; upheld: boolean; onTime: boolean };
  appeal_rating: { unitCode: string; ratingAt: string; appealBy: string };
  decide_rating_appeal: { unitCode: string; ratingAt: string; upheld: boolean };
  reply_delivered: DeliveryData & { via: string; to: string; attempts: number };
  reply_delivery_failed: DeliveryData & { via: string; to: string; error: string; attempts: number };
  reply_delivery_skipped: DeliveryData & { reason: string; needs: string | null };
  // The petition procedure (信访工作条例 2022) and the recount of provisional deadlines.
  accept_petition: { acceptBy: string | null; onTime: boolean; concludedCaseId?: string };
  reject_petition: { acceptBy: string | null; onTime: boolean; reason: string; properChannel: string };
  re_review: { reason: string; toUnit: string; previousUnit: string | null };
  recompute_deadlines: {
    years: readonly number[];
    acceptBy: string | null;
    previousAcceptBy: string | null;
    replyBy: string | null;
    previousReplyBy: string | null;
    thirdPartyAnswerBy: string | null;
    previousThirdPartyAnswerBy: string | null;
    arbitrateBy: string | null;
    previousArbitrateBy: string | null;
  };
}

/**
 * On the return or re-dispatch that first undoes a case's first dispatch: when that dispatch was
 * and where it went, so that first-dispatch accuracy counts it for the period and unit of the
 * dispatch it undid.
 */
interface FirstDispatchUndone {
  firstDispatchAt: string;
  firstDispatchUnit: string;
}

/** What every delivery outcome records: the event it delivered, and the channel. */
interface DeliveryData {
  eventId: number;
  channel: string;
}

export type ActionName = keyof ActionData;

/** One entry of the catalogue: the state table row, the event's data keys, its outbox topic and label. */
export interface ActionSpec<A extends ActionName> {
  readonly by: readonly ActorKind[];
  /** Statuses the action may start from; intake (`register`) starts from no case at all. */
  readonly from: readonly CaseStatus[];
  /** The status after it: one status, 'same', or the statuses the effect chooses between. */
  readonly to: CaseStatus | 'same' | readonly CaseStatus[];
  /** Every key the event's `data` may carry, checked against ActionData by the compiler. */
  readonly data: { readonly [K in keyof Required<ActionData[A]>]: true };
  readonly topic: string;
  /** The timeline entry as citizens and staff read it. */
  readonly label: string;
  /**
   * Whether the action changes the case and so its version. A deadline warning or a delivery
   * record only annotates the timeline: it must not make a handler's next action fail with 409.
   */
  readonly bumpsVersion: boolean;
}

const WORKING: readonly CaseStatus[] = ['dispatched', 'in_progress'];
const CENTRE: readonly ActorKind[] = ['operator', 'supervisor'];
const DEADLINE_STATUSES: readonly CaseStatus[] = [...OPEN_STATUSES];
const keys = <T extends string>(...names: T[]): { readonly [K in T]: true } => Object.fromEntries(names.map((n) => [n, true])) as { [K in T]: true };
const deadlineFacts = ['acceptBy', 'replyBy'] as const;
const firstDispatchUndone = ['firstDispatchAt', 'firstDispatchUnit'] as const;
const topicOf = (action: string): string => `case.${action}`;

function spec<A extends ActionName>(action: A, entry: Omit<ActionSpec<A>, 'topic' | 'bumpsVersion'> & Partial<Pick<ActionSpec<A>, 'topic' | 'bumpsVersion'>>): ActionSpec<A> {
  return { topic: topicOf(action), bumpsVersion: true, ...entry };
}

/**
 * The action catalogue: every change of a case, whoever makes it. The state table is its
 * `from`/`to`/`by` columns; the case writer (case-writer.ts) checks every change against it.
 * A re-dispatch is a dispatch from dispatched or in_progress; a returned case (退单) waits in the
 * centre's queue until the centre dispatches it again. Extensions are asked by the unit and
 * decided by the centre (延期审批); 补正 pauses a disclosure request's clock.
 */
export const CATALOGUE: { readonly [A in ActionName]: ActionSpec<A> } = {
  register: spec('register', { by: ['operator', 'supervisor', 'citizen', 'channel'], from: [], to: 'registered', data: keys('receivedAtReason', 'receivedBy'), label: '受理登记' }),
  // Written with the registration, in its transaction: the case is closed at the desk and never dispatched.
  answer_directly: spec('answer_directly', { by: CENTRE, from: ['registered'], to: 'closed', data: keys('unitCode', 'knowledgeIds'), label: '当场答复' }),
  // The routing rules dispatch at intake (system); the centre dispatches by hand.
  dispatch: spec('dispatch', { by: [...CENTRE, 'system'], from: ['registered', 'returned', ...WORKING], to: 'dispatched', data: keys(...deadlineFacts, 'unitCode', 'coUnits', 'instruction', 'ruleId', 'first', ...firstDispatchUndone), label: '派单' }),
  accept: spec('accept', { by: ['assigned_handler'], from: ['dispatched'], to: 'in_progress', data: keys('acceptBy', 'onTime', 'remark'), label: '签收' }),
  forward: spec('forward', { by: ['assigned_handler'], from: WORKING, to: 'dispatched', data: keys(...deadlineFacts, 'unitCode', 'fromUnit', 'instruction'), label: '转派' }),
  return: spec('return', { by: ['assigned_handler'], from: WORKING, to: 'returned', data: keys('returnedBy', ...firstDispatchUndone), label: '退单' }),
  request_extension: spec('request_extension', { by: ['assigned_handler'], from: WORKING, to: 'same', data: keys('days', 'unit'), label: '申请延期' }),
  // The centre decides extensions; a disclosure request's, the head of the disclosure office holding it
  // (《政府信息公开条例》 art. 33): the effect tells the two apart (extension-approver.ts).
  approve_extension: spec('approve_extension', { by: ['supervisor', 'assigned_handler'], from: WORKING, to: 'same', data: keys('days', 'unit', 'replyBy', 'previousReplyBy', 'approvedAs'), label: '延期获批' }),
  reject_extension: spec('reject_extension', { by: ['supervisor', 'assigned_handler'], from: WORKING, to: 'same', data: keys('days', 'decidedAs'), label: '延期未获批' }),
  request_amendment: spec('request_amendment', { by: ['assigned_handler'], from: ['in_progress'], to: 'same', data: keys(), label: '请申请人补正' }),
  amendment_received: spec('amendment_received', { by: ['assigned_handler', ...CENTRE], from: ['in_progress'], to: 'same', data: keys('replyBy', 'pausedAt'), label: '申请人已补正' }),
  reply: spec('reply', { by: ['assigned_handler'], from: ['in_progress'], to: 'replied', data: keys('replyBy', 'onTime', 'extended', 'outcome', 'ground', 'legalBasis', 'thirdPartyAgreed', 'thirdPartyLapsed', 'publicInterest'), label: '答复' }),
  // 回访: the centre calls the citizen back and closes with the rating taken by phone.
  close: spec('close', { by: CENTRE, from: ['replied'], to: 'closed', data: keys('rating'), label: '办结' }),
  // A case answered at the desk was never replied to by a unit, so its 回访 records a rating and leaves it closed.
  return_visit: spec('return_visit', { by: CENTRE, from: ['closed'], to: 'same', data: keys('rating', 'unitCode'), label: '回访' }),
  // The centre's decision, or a dissatisfied citizen's rating (at most MAX_CITIZEN_REOPENS times).
  reopen: spec('reopen', { by: ['supervisor', 'citizen'], from: ['replied', 'closed'], to: 'dispatched', data: keys('reason', 'reopenCount'), label: '重新办理' }),
  supervise: spec('supervise', { by: ['supervisor'], from: ['registered', 'returned', ...WORKING, 'replied'], to: 'same', data: keys('instruction'), label: '督办' }),
  // A likely duplicate is closed into the case that carries on, which records it as merged_in.
  merge: spec('merge', { by: CENTRE, from: ['registered', 'returned', ...WORKING], to: 'closed', data: keys('intoCaseId', 'intoCaseNo'), label: '合并办理' }),
  merged_in: spec('merged_in', { by: CENTRE, from: OPEN_STATUSES, to: 'same', data: keys('fromCaseId', 'fromCaseNo'), label: '合并重复诉求' }),
  // 追加诉求: the caller of an open case calls again; the desk adds the call to it instead of a duplicate case.
  // It changes the case's version, so that a unit about to reply with what it saw is told to reload.
  supplement: spec('supplement', { by: CENTRE, from: OPEN_STATUSES, to: 'same', data: keys('channel'), label: '追加诉求' }),
  // 交办: the petitions office hands a petition to a unit for handling but keeps ownership of it.
  assign: spec('assign', { by: ['assigned_handler'], from: ['in_progress'], to: 'same', data: keys('unitCode', 'instruction'), label: '交办' }),
  // The unit a petition was handed to reports back to the petitions office.
  feedback: spec('feedback', { by: ['co_handler'], from: WORKING, to: 'same', data: keys('fromUnit'), label: '办理情况反馈' }),
  // 将办理结果反馈诉求接收单位: written with the reply of a petition received by another unit.
  result_feedback: spec('result_feedback', { by: ['assigned_handler'], from: ['replied'], to: 'same', data: keys('toUnit'), label: '办理结果反馈' }),
  // 评价: satisfied closes the case; dissatisfied leaves it replied (a reopen follows, or the centre decides).
  rate: spec('rate', { by: ['citizen'], from: ['replied'], to: ['closed', 'replied'], data: keys('rating', 'reopened', 'needsCentreDecision'), label: '市民评价' }),
  citizen_escalation: spec('citizen_escalation', { by: ['citizen'], from: OPEN_STATUSES, to: 'same', data: keys('reason'), label: '市民催办' }),
  // 复查 goes to the petitions office one level up, as a new dispatch.
  review: spec('review', { by: ['citizen'], from: ['replied', 'closed'], to: 'dispatched', data: keys('reason', 'toUnit', 'previousUnit'), label: '申请复查' }),
  // 《政府信息公开条例》 art. 32: the time a third party takes to give its view is not counted.
  request_third_party_opinion: spec('request_third_party_opinion', { by: ['assigned_handler'], from: ['in_progress'], to: 'same', data: keys('party', 'answerBy'), label: '征求第三方意见' }),
  third_party_opinion_received: spec('third_party_opinion_received', { by: ['assigned_handler', ...CENTRE], from: ['in_progress'], to: 'same', data: keys('agreed', 'replyBy', 'pausedAt'), label: '第三方意见已收到' }),
  // Art. 32: a third party silent past its 15 working days; the office decides without its view and the clock runs again.
  third_party_no_answer: spec('third_party_no_answer', { by: ['assigned_handler'], from: ['in_progress'], to: 'same', data: keys('answerBy', 'replyBy', 'pausedAt'), label: '第三方逾期未提出意见' }),
  // 管辖争议: the unit contests the dispatch; the centre's arbitration binds the unit it names.
  dispute_dispatch: spec('dispute_dispatch', { by: ['assigned_handler'], from: WORKING, to: 'same', data: keys('disputedBy', 'suggestedUnitCode', 'arbitrateBy'), label: '管辖争议' }),
  arbitrate_dispute: spec('arbitrate_dispute', { by: ['supervisor'], from: WORKING, to: WORKING, data: keys(...deadlineFacts, 'unitCode', 'disputedBy', 'upheld', 'onTime'), label: '争议仲裁' }),
  // 不满意甄别: an upheld appeal leaves the rating on record and out of the satisfaction rate.
  appeal_rating: spec('appeal_rating', { by: ['assigned_handler'], from: [...WORKING, 'replied', 'closed'], to: 'same', data: keys('unitCode', 'ratingAt', 'appealBy'), label: '不满意甄别申请' }),
  decide_rating_appeal: spec('decide_rating_appeal', { by: ['supervisor'], from: STATUSES, to: 'same', data: keys('unitCode', 'ratingAt', 'upheld'), label: '不满意甄别结果' }),
  deadline_warning: spec('deadline_warning', { by: ['system'], from: DEADLINE_STATUSES, to: 'same', data: keys('kind', 'due'), topic: 'case.deadline-warning', label: '临近期限', bumpsVersion: false }),
  deadline_overdue: spec('deadline_overdue', { by: ['system'], from: DEADLINE_STATUSES, to: 'same', data: keys('kind', 'due'), topic: 'case.overdue', label: '已超期', bumpsVersion: false }),
  escalate: spec('escalate', { by: ['system'], from: DEADLINE_STATUSES, to: 'same', data: keys('toUnit', 'kind'), topic: 'case.escalated', label: '提级督办', bumpsVersion: false }),
  // Sending a message is not a change of the case: it may be recorded whatever became of the case since.
  reply_delivered: spec('reply_delivered', { by: ['channel'], from: STATUSES, to: 'same', data: keys('eventId', 'channel', 'via', 'to', 'attempts'), label: '答复已送达', bumpsVersion: false }),
  reply_delivery_failed: spec('reply_delivery_failed', { by: ['channel'], from: STATUSES, to: 'same', data: keys('eventId', 'channel', 'via', 'to', 'error', 'attempts'), label: '答复送达失败', bumpsVersion: false }),
  reply_delivery_skipped: spec('reply_delivery_skipped', { by: ['channel'], from: STATUSES, to: 'same', data: keys('eventId', 'channel', 'reason', 'needs'), label: '答复未发送', bumpsVersion: false }),
  // 《信访工作条例》 arts. 22-23: the petitions office decides within 15 days whether to accept, and
  // tells the petitioner in writing; a matter for a court, an arbitrator or an administrative review
  // is not accepted and goes to that channel instead. Both notices go out through the source channel.
  accept_petition: spec('accept_petition', { by: ['assigned_handler'], from: ['dispatched'], to: 'in_progress', data: keys('acceptBy', 'onTime', 'concludedCaseId'), label: '受理' }),
  reject_petition: spec('reject_petition', { by: ['assigned_handler'], from: ['dispatched'], to: 'closed', data: keys('acceptBy', 'onTime', 'reason', 'properChannel'), label: '不予受理' }),
  // 复核 (art. 36): one level above the office that reviewed; after it the matter is concluded.
  re_review: spec('re_review', { by: ['citizen'], from: ['replied', 'closed'], to: 'dispatched', data: keys('reason', 'toUnit', 'previousUnit'), label: '申请复核' }),
  // The official 调休 schedule of a year was loaded: provisional deadlines are counted again. The
  // handler did not change the case, so its version stays; the deadline version moves.
  recompute_deadlines: spec('recompute_deadlines', { by: ['system'], from: DEADLINE_STATUSES, to: 'same', data: keys('years', 'acceptBy', 'previousAcceptBy', 'replyBy', 'previousReplyBy', 'thirdPartyAnswerBy', 'previousThirdPartyAnswerBy', 'arbitrateBy', 'previousArbitrateBy'), label: '期限按正式放假安排重新计算', bumpsVersion: false }),
};

export const ACTION_NAMES = Object.keys(CATALOGUE) as ActionName[];

/** The keys an action's event data may carry. */
export function dataKeysOf(action: ActionName): readonly string[] {
  return Object.keys(CATALOGUE[action].data);
}

/** Whether a string names an action of the catalogue. */
export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(CATALOGUE, name);
}
