import type { CaseStatus } from '../cases/case.js';
import { CITY_CODE } from '../org/seed/departments.js';

/**
 * Which deadline: 签收 (accept, set at dispatch), 答复 (reply, counted from receipt), the centre's
 * arbitration of a dispute, or the answer of a third party consulted on a disclosure request.
 */
export type DeadlineKind = 'accept' | 'reply' | 'arbitrate' | 'third_party';
/** What falls due: the warning (黄牌) at the warning point, the overdue (红牌) at the deadline. */
export type DeadlineEffect = 'warning' | 'overdue';

export const DEADLINE_KINDS: readonly DeadlineKind[] = ['accept', 'reply', 'arbitrate', 'third_party'];
/** The deadlines of the unit holding the case: only theirs supervise and escalate it when overdue. */
export type UnitDeadlineKind = Extract<DeadlineKind, 'accept' | 'reply'>;

/** Whether a deadline is the unit's own (签收, 答复), not the centre's arbitration or a third party's answer. */
export function isUnitDeadline(kind: DeadlineKind): kind is UnitDeadlineKind {
  return kind === 'accept' || kind === 'reply';
}
export const DEADLINE_EFFECTS: readonly DeadlineEffect[] = ['warning', 'overdue'];

/** One effect of one deadline, at the deadline version it was computed for: all a job carries. */
export interface DeadlineJobRef {
  readonly caseId: string;
  readonly kind: DeadlineKind;
  readonly effect: DeadlineEffect;
  readonly version: number;
}

/** What applying an effect found. */
export type DeadlineOutcome = 'applied' | 'stale' | 'not_due' | 'not_applicable' | 'already_applied';

/** The city's 12345 centre: where escalation ends. */
export const CITY_HOTLINE_CENTRE = `${CITY_CODE}-hotline`;

/** The statuses in which the reply clock runs (unless paused for 补正): from registration until the reply. */
export const REPLY_CLOCK_STATUSES: readonly CaseStatus[] = ['registered', 'dispatched', 'in_progress', 'returned'];
/** The acceptance clock runs only while the case waits for its unit to sign for it. */
export const ACCEPT_CLOCK_STATUSES: readonly CaseStatus[] = ['dispatched'];
/** A dispute can be open only while a unit holds the case; arbitration clears its deadline. */
export const ARBITRATE_CLOCK_STATUSES: readonly CaseStatus[] = ['dispatched', 'in_progress'];
/** A third party is consulted while the office handles the request; its answer or lapse clears the deadline. */
export const THIRD_PARTY_CLOCK_STATUSES: readonly CaseStatus[] = ['in_progress'];
/** Every status in which some deadline can still fall due. */
export const OPEN_DEADLINE_STATUSES: readonly CaseStatus[] = [...new Set([...REPLY_CLOCK_STATUSES, ...ACCEPT_CLOCK_STATUSES])];

/** The `cases` columns behind each effect: when it falls due and when it was applied (NULL: not yet). */
export const DEADLINE_COLUMNS: Readonly<Record<DeadlineKind, Readonly<Record<DeadlineEffect, { readonly at: string; readonly applied: string }>>>> = {
  accept: {
    warning: { at: 'accept_warn_at', applied: 'accept_warned_at' },
    overdue: { at: 'accept_by', applied: 'accept_overdue_at' },
  },
  reply: {
    warning: { at: 'reply_warn_at', applied: 'reply_warned_at' },
    overdue: { at: 'reply_by', applied: 'reply_overdue_at' },
  },
  arbitrate: {
    warning: { at: 'arbitrate_warn_at', applied: 'arbitrate_warned_at' },
    overdue: { at: 'arbitrate_by', applied: 'arbitrate_overdue_at' },
  },
  third_party: {
    warning: { at: 'third_party_warn_at', applied: 'third_party_warned_at' },
    overdue: { at: 'third_party_by', applied: 'third_party_overdue_at' },
  },
};

/** The timeline action each effect writes (their topics and labels are in the action catalogue). */
export const DEADLINE_EVENTS = {
  warning: 'deadline_warning',
  overdue: 'deadline_overdue',
  escalate: 'escalate',
} as const;

/** The SQL condition (on `cases c`) under which a kind of deadline runs; mirrors `isClockRunning`. */
export function clockRunningSql(kind: DeadlineKind): string {
  const list = (statuses: readonly CaseStatus[]): string => statuses.map((s) => `'${s}'`).join(', ');
  if (kind === 'accept') return `c.status IN (${list(ACCEPT_CLOCK_STATUSES)})`;
  if (kind === 'arbitrate') return `c.status IN (${list(ARBITRATE_CLOCK_STATUSES)})`;
  if (kind === 'third_party') return `c.status IN (${list(THIRD_PARTY_CLOCK_STATUSES)})`;
  return `(c.status IN (${list(REPLY_CLOCK_STATUSES)}) AND c.clock_paused_at IS NULL)`;
}

/** Whether a kind of deadline runs for a case in this state; mirrors `clockRunningSql`. */
export function isClockRunning(kind: DeadlineKind, status: CaseStatus, clockPausedAt: Date | null): boolean {
  if (kind === 'accept') return ACCEPT_CLOCK_STATUSES.includes(status);
  if (kind === 'arbitrate') return ARBITRATE_CLOCK_STATUSES.includes(status);
  if (kind === 'third_party') return THIRD_PARTY_CLOCK_STATUSES.includes(status);
  return REPLY_CLOCK_STATUSES.includes(status) && clockPausedAt === null;
}

/** A locked case as far as one effect is concerned. */
export interface EffectState {
  readonly status: CaseStatus;
  readonly clockPausedAt: Date | null;
  readonly deadlineVersion: number;
  /** When the effect falls due (warning point or deadline); null when that deadline is not set. */
  readonly fireAt: Date | null;
  readonly appliedAt: Date | null;
}

/** Decides what to do with an effect, by the database clock `dbNow`; 'apply' means it is due now. */
export function judgeEffect(state: EffectState, ref: DeadlineJobRef, dbNow: Date): Exclude<DeadlineOutcome, 'applied'> | 'apply' {
  if (state.deadlineVersion !== ref.version) return 'stale';
  if (state.fireAt === null || !isClockRunning(ref.kind, state.status, state.clockPausedAt)) return 'not_applicable';
  if (state.appliedAt !== null) return 'already_applied';
  if (dbNow.getTime() < state.fireAt.getTime()) return 'not_due';
  return 'apply';
}

/** The assigned unit as escalation sees it: its code, its parent and the parent's kind. */
export interface EscalationFrom {
  readonly unitCode: string | null;
  readonly parentCode: string | null;
  readonly parentKind: string | null;
}

/**
 * The unit an overdue case is escalated to for supervision: the unit above the assigned one
 * (township -> county, county department -> county); the city centre for a county-level unit or a
 * city department (the city government itself does not supervise cases) and for a case no unit
 * holds; none when the centre itself holds the case.
 */
export function escalationTarget(from: EscalationFrom): string | null {
  if (from.unitCode === CITY_HOTLINE_CENTRE) return null;
  if (from.unitCode === null || from.parentCode === null || from.parentKind === 'city') return CITY_HOTLINE_CENTRE;
  return from.parentCode;
}
