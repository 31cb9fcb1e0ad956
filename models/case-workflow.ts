import type { CaseStatus } from './case.js';

/** The staff actions on a case; each is one transaction writing case, event and outbox. */
export const ACTIONS = [
  'dispatch', 'accept', 'forward', 'return',
  'request_extension', 'approve_extension', 'reject_extension',
  'request_amendment', 'amendment_received', 'reply', 'close', 'reopen', 'supervise',
  'merge', 'assign', 'feedback',
] as const;
export type CaseAction = (typeof ACTIONS)[number];

/** Who may act: centre staff by role, or a handler of the case's assigned unit. */
export type ActorKind = 'operator' | 'supervisor' | 'admin' | 'assigned_handler' | 'co_handler';

/** One row of the state table: where an action may start, where it leads, and who may take it. */
export interface Transition {
  readonly from: readonly CaseStatus[];
  /** The status after the action; 'same' for actions that only touch the time limits. */
  readonly to: CaseStatus | 'same';
  readonly by: readonly ActorKind[];
}

const WORKING: readonly CaseStatus[] = ['dispatched', 'in_progress'];

/**
 * The state table. A re-dispatch is a dispatch from dispatched or in_progress; a returned case
 * (退单) waits in the centre's queue until the centre dispatches it again. Extensions are asked
 * by the unit and decided by the centre (延期审批); 补正 pauses a disclosure request's clock.
 */
export const TRANSITIONS: Readonly<Record<CaseAction, Transition>> = {
  dispatch: { from: ['registered', 'returned', ...WORKING], to: 'dispatched', by: ['operator', 'supervisor'] },
  accept: { from: ['dispatched'], to: 'in_progress', by: ['assigned_handler'] },
  forward: { from: WORKING, to: 'dispatched', by: ['assigned_handler'] },
  return: { from: WORKING, to: 'returned', by: ['assigned_handler'] },
  request_extension: { from: WORKING, to: 'same', by: ['assigned_handler'] },
  approve_extension: { from: WORKING, to: 'same', by: ['supervisor'] },
  reject_extension: { from: WORKING, to: 'same', by: ['supervisor'] },
  request_amendment: { from: ['in_progress'], to: 'same', by: ['assigned_handler'] },
  amendment_received: { from: ['in_progress'], to: 'same', by: ['assigned_handler', 'operator', 'supervisor'] },
  reply: { from: ['in_progress'], to: 'replied', by: ['assigned_handler'] },
  // 回访: the centre calls the citizen back and closes with the rating taken by phone.
  close: { from: ['replied'], to: 'closed', by: ['operator', 'supervisor'] },
  reopen: { from: ['replied', 'closed'], to: 'dispatched', by: ['supervisor'] },
  supervise: { from: ['registered', 'returned', ...WORKING, 'replied'], to: 'same', by: ['supervisor'] },
  // A likely duplicate is closed into the case that carries on.
  merge: { from: ['registered', 'returned', ...WORKING], to: 'closed', by: ['operator', 'supervisor'] },
  // 交办: the petitions office hands a petition to a unit for handling but keeps ownership of it.
  assign: { from: ['in_progress'], to: 'same', by: ['assigned_handler'] },
  // The unit a petition was handed to reports back to the petitions office.
  feedback: { from: WORKING, to: 'same', by: ['co_handler'] },
};

/** Satisfaction levels of a rating (评价). */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** How many times a dissatisfied citizen reopens a case before the centre must decide instead. */
export const MAX_CITIZEN_REOPENS = 2;

/** Why an action cannot be taken, or null when it can. */
export type Refusal = { readonly status: 403 | 409; readonly reason: string } | null;

/** Checks an action against the state table for this actor and case status (pure; no I/O). */
export function checkTransition(action: CaseAction, status: CaseStatus, actor: ActorKind | null): Refusal {
  const transition = TRANSITIONS[action];
  if (!actor || !transition.by.includes(actor)) return { status: 403, reason: `${action} is not yours to take on this case` };
  if (!transition.from.includes(status)) return { status: 409, reason: `${action} is not allowed while the case is ${status}` };
  return null;
}

/** The status after an action from `status`. */
export function nextStatus(action: CaseAction, status: CaseStatus): CaseStatus {
  const to = TRANSITIONS[action].to;
  return to === 'same' ? status : to;
}
