import type { CaseStatus } from './case.js';

/** The actions of issue scope so far; each is one transaction writing case, event and outbox. */
export const ACTIONS = ['dispatch', 'accept', 'forward', 'return'] as const;
export type CaseAction = (typeof ACTIONS)[number];

/** Who may act: centre staff by role, or a handler of the case's assigned unit. */
export type ActorKind = 'operator' | 'supervisor' | 'admin' | 'assigned_handler';

/** One row of the state table: where an action may start, where it leads, and who may take it. */
export interface Transition {
  readonly from: readonly CaseStatus[];
  readonly to: CaseStatus;
  readonly by: readonly ActorKind[];
}

/**
 * The state table. A re-dispatch is a dispatch from dispatched or in_progress; a returned case
 * (退单) waits in the centre's queue until the centre dispatches it again.
 */
export const TRANSITIONS: Readonly<Record<CaseAction, Transition>> = {
  dispatch: { from: ['registered', 'returned', 'dispatched', 'in_progress'], to: 'dispatched', by: ['operator', 'supervisor'] },
  accept: { from: ['dispatched'], to: 'in_progress', by: ['assigned_handler'] },
  forward: { from: ['dispatched', 'in_progress'], to: 'dispatched', by: ['assigned_handler'] },
  return: { from: ['dispatched', 'in_progress'], to: 'returned', by: ['assigned_handler'] },
};

/** Why an action cannot be taken, or null when it can. */
export type Refusal = { readonly status: 403 | 409; readonly reason: string } | null;

/** Checks an action against the state table for this actor and case status (pure; no I/O). */
export function checkTransition(action: CaseAction, status: CaseStatus, actor: ActorKind | null): Refusal {
  const transition = TRANSITIONS[action];
  if (!actor || !transition.by.includes(actor)) return { status: 403, reason: `${action} is not yours to take on this case` };
  if (!transition.from.includes(status)) return { status: 409, reason: `${action} is not allowed while the case is ${status}` };
  return null;
}
