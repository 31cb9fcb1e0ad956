import type { CaseStatus } from './case.js';
import { ACTION_NAMES, CATALOGUE, type ActionName, type ActorKind } from './action-catalogue.js';

export type { ActionName, ActorKind } from './action-catalogue.js';

/** The actions staff request through the API (POST /api/cases/{id}/actions). */
export const ACTIONS = [
  'dispatch', 'accept', 'forward', 'return',
  'request_extension', 'approve_extension', 'reject_extension',
  'request_amendment', 'amendment_received', 'reply', 'close', 'return_visit', 'reopen', 'supervise',
  'merge', 'assign', 'feedback', 'supplement',
  'accept_petition', 'reject_petition',
  'request_third_party_opinion', 'third_party_opinion_received', 'third_party_no_answer', 'dispute_dispatch', 'arbitrate_dispute', 'appeal_rating', 'decide_rating_appeal',
] as const satisfies readonly ActionName[];
export type CaseAction = (typeof ACTIONS)[number];

/** One row of the state table: where an action may start, where it leads, and who may take it. */
export interface Transition {
  readonly from: readonly CaseStatus[];
  /** The status after the action; 'same' for actions that leave it; a list when the effect chooses. */
  readonly to: CaseStatus | 'same' | readonly CaseStatus[];
  readonly by: readonly ActorKind[];
}

/** The state table for every actor, as the action catalogue declares it. */
export const TRANSITIONS: Readonly<Record<ActionName, Transition>> = Object.fromEntries(
  ACTION_NAMES.map((name) => [name, { from: CATALOGUE[name].from, to: CATALOGUE[name].to, by: CATALOGUE[name].by }]),
) as Record<ActionName, Transition>;

/** Satisfaction levels of a rating (评价). */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** How many times a dissatisfied citizen reopens a case before the centre must decide instead. */
export const MAX_CITIZEN_REOPENS = 2;

/** Why an action cannot be taken, or null when it can. */
export type Refusal = { readonly status: 403 | 409; readonly reason: string } | null;

/**
 * Checks an action against the state table for this actor and case status (pure; no I/O); with
 * `to`, also that the state table allows the status the effect chose.
 */
export function checkTransition(action: ActionName, status: CaseStatus, actor: ActorKind | null, to?: CaseStatus): Refusal {
  const transition = TRANSITIONS[action];
  if (!actor || !transition.by.includes(actor)) return { status: 403, reason: `${action} is not yours to take on this case` };
  if (!transition.from.includes(status)) return { status: 409, reason: `${action} is not allowed while the case is ${status}` };
  if (to !== undefined && to !== nextStatus(action, status) && !(Array.isArray(transition.to) && transition.to.includes(to))) {
    return { status: 409, reason: `${action} cannot lead from ${status} to ${to}` };
  }
  return null;
}

/** The status after an action from `status` (for a choice of statuses, the first). */
export function nextStatus(action: ActionName, status: CaseStatus): CaseStatus {
  const to = TRANSITIONS[action].to;
  if (to === 'same') return status;
  return typeof to === 'string' ? to : (to[0] ?? status);
}
