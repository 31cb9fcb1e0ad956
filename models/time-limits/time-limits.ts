import type { Queryable } from '../../infra/db.js';
import type { CaseType, Urgency } from '../cases/case.js';
import { choosePolicy, computeDeadline, DEFAULT_WARN_AT, isProvisional, warningTime, type Limit, type ProcedureLimitName, type TimeLimitPolicy } from './time-limit-policy.js';
import { currentPolicySet, loadCalendar, type PolicySet } from './time-limits.repository.js';
import { createWorkingCalendar, type WorkingCalendar } from './working-calendar.js';

/** What a deadline was computed from, recorded on the case so that it never changes under it. */
export interface DeadlineBasis {
  readonly policyId: string;
  readonly setVersion: number;
  readonly limit: Limit;
  readonly warnAt: number;
  readonly extension?: TimeLimitPolicy['extension'];
}

/** A computed deadline: when it falls due, when its warning fires, and why. */
export interface Deadline {
  readonly start: Date;
  readonly due: Date;
  readonly warnAt: Date;
  readonly basis: DeadlineBasis;
  /** Counted over a year without an official schedule (statutory holidays only): it may still move. */
  readonly provisional: boolean;
}

/** The calendar and policies this process computes deadlines with. */
export interface TimeLimits {
  readonly calendar: WorkingCalendar;
  readonly policySet: PolicySet;
  /** 答复: counted from receipt. */
  replyDeadline(type: CaseType, urgency: Urgency, receivedAt: Date): Deadline;
  /** 签收: counted from dispatch. */
  acceptDeadline(type: CaseType, urgency: Urgency, dispatchedAt: Date): Deadline;
  /** A limit of a procedure (third party's answer, arbitration, rating appeal), counted from `start`. */
  procedureDeadline(which: ProcedureLimitName, start: Date): Deadline;
  /** Reloads when the stored policies or calendar changed; true when they did. */
  refresh(): Promise<boolean>;
}

function deadlineFor(calendar: WorkingCalendar, set: PolicySet, type: CaseType, urgency: Urgency, start: Date, which: 'accept' | 'reply'): Deadline {
  const policy = choosePolicy(set.policies, type, urgency);
  // The default set has a `*`/`*` policy; an admin set without one is refused at the API.
  if (!policy) throw new Error(`no time-limit policy covers ${type}/${urgency}`);
  const limit = policy[which];
  const due = computeDeadline(calendar, start, limit);
  const basis: DeadlineBasis = {
    policyId: policy.id,
    setVersion: set.version,
    limit,
    warnAt: policy.warnAt,
    ...(which === 'reply' && policy.extension ? { extension: policy.extension } : {}),
  };
  return { start, due, warnAt: warningTime(start, due, policy.warnAt), basis, provisional: isProvisional(calendar, start, due, limit.unit) };
}

/**
 * The deadline of a procedure under a policy set: its limit, the default warning point, and a basis
 * naming the limit (`procedure-<name>`) and the set's version.
 */
export function procedureDeadlineFor(calendar: WorkingCalendar, set: Pick<PolicySet, 'version' | 'procedureLimits'>, which: ProcedureLimitName, start: Date): Deadline {
  const limit = set.procedureLimits[which];
  const due = computeDeadline(calendar, start, limit);
  const basis: DeadlineBasis = { policyId: `procedure-${which}`, setVersion: set.version, limit, warnAt: DEFAULT_WARN_AT };
  return { start, due, warnAt: warningTime(start, due), basis, provisional: isProvisional(calendar, start, due, limit.unit) };
}

/** Loads the policies and the calendar from the database; `refresh` catches up after a change. */
export async function loadTimeLimits(db: Queryable): Promise<TimeLimits> {
  let set = await currentPolicySet(db);
  let stored = await loadCalendar(db);
  let calendar = createWorkingCalendar(stored.overrides, { loadedYears: stored.loadedYears });
  return {
    get calendar() {
      return calendar;
    },
    get policySet() {
      return set;
    },
    replyDeadline: (type, urgency, receivedAt) => deadlineFor(calendar, set, type, urgency, receivedAt, 'reply'),
    acceptDeadline: (type, urgency, dispatchedAt) => deadlineFor(calendar, set, type, urgency, dispatchedAt, 'accept'),
    procedureDeadline: (which, start) => procedureDeadlineFor(calendar, set, which, start),
    refresh: async () => {
      const [nextSet, nextCalendar] = await Promise.all([currentPolicySet(db), loadCalendar(db)]);
      const changed = nextSet.version !== set.version || nextCalendar.stamp !== stored.stamp;
      if (nextCalendar.stamp !== stored.stamp) {
        calendar = createWorkingCalendar(nextCalendar.overrides, { loadedYears: nextCalendar.loadedYears });
        stored = nextCalendar;
      }
      set = nextSet;
      return changed;
    },
  };
}
