import { badRequest, invalidState } from '../../errors.js';
import type { CaseType, Urgency } from '../cases/case.js';
import { addNaturalDays, type WorkingCalendar } from './working-calendar.js';

/** How a limit is counted: working days (national calendar), natural hours, or natural days. */
export type LimitUnit = 'working_days' | 'hours' | 'days';

/** A time limit; hours may be fractional (0.5 = 30 minutes), days are whole. */
export interface Limit {
  readonly unit: LimitUnit;
  readonly amount: number;
}

/** A statutory cap on extensions of the reply limit: how many, and how much in total. */
export interface ExtensionRule {
  /** At most this many extensions; absent means the law caps only the total. */
  readonly maxCount?: number;
  /** The total of all extensions, in this unit. */
  readonly maxTotal: Limit;
}

/** Limits for a case type and urgency; `*` matches any. Versioned so a case records what produced its deadlines. */
export interface TimeLimitPolicy {
  readonly id: string;
  readonly caseType: CaseType | '*';
  readonly urgency: Urgency | '*';
  /** 签收: counted from dispatch. */
  readonly accept: Limit;
  /** 答复/办结: counted from receipt. */
  readonly reply: Limit;
  /** Fraction of the time after which the warning (黄牌) fires. */
  readonly warnAt: number;
  readonly version: number;
  /** Present where the law caps extensions; absent means any approved extension is allowed. */
  readonly extension?: ExtensionRule;
}

/** The warning point when a policy does not say otherwise: 80% of the time. */
export const DEFAULT_WARN_AT = 0.8;

const workingDays = (amount: number): Limit => ({ unit: 'working_days', amount });
const hours = (amount: number): Limit => ({ unit: 'hours', amount });
const days = (amount: number): Limit => ({ unit: 'days', amount });

function defaultPolicy(caseType: CaseType | '*', urgency: Urgency | '*', accept: Limit, reply: Limit,
  extension?: ExtensionRule): TimeLimitPolicy {
  const base = { id: `default-${caseType === '*' ? 'any' : caseType}-${urgency === '*' ? 'any' : urgency}`,
    caseType, urgency, accept, reply, warnAt: DEFAULT_WARN_AT, version: 1 };
  return extension ? { ...base, extension } : base;
}

const HOTLINE_TYPES = ['help', 'complaint', 'report', 'suggestion', 'praise'] as const;

/**
 * The defaults of DESIGN.md. Hotline types are set for urgency 'normal' only, so that an urgent or
 * emergency case of those types falls to the `*`+urgency rows (type+`*` would outrank them).
 * Petitions and disclosure requests are type+`*`: their limits are statutory whatever the urgency.
 * Acceptance for urgent (2 h) and emergency (30 min) is a quarter of the reply time or less, so a
 * unit that does not pick up leaves time to redispatch.
 */
export const DEFAULT_POLICIES: readonly TimeLimitPolicy[] = [
  defaultPolicy('consultation', 'normal', workingDays(1), workingDays(1)),
  ...HOTLINE_TYPES.map((type) => defaultPolicy(type, 'normal', workingDays(1), workingDays(5))),
  defaultPolicy('*', 'urgent', hours(2), hours(24)),
  defaultPolicy('*', 'emergency', hours(0.5), hours(2)),
  // 《信访工作条例》 art. 23: accept or not within 15 days; art. 34: finish within 60 days,
  // extendable with reasons by at most 30 days (a total cap, not a count).
  defaultPolicy('petition', '*', days(15), days(60), { maxTotal: days(30) }),
  // 《政府信息公开条例》 art. 33: reply within 20 working days, extendable once, by at most 20.
  defaultPolicy('disclosure', '*', workingDays(1), workingDays(20), { maxCount: 1, maxTotal: workingDays(20) }),
  defaultPolicy('*', '*', workingDays(1), workingDays(5)),
];

/**
 * The limits of the procedures, whatever the case type: versioned with the policy set so that each
 * such deadline records the version it came from, and changed by an admin like the others.
 */
export interface ProcedureLimits {
  /** 《政府信息公开条例》 art. 32: the third party consulted gives its view within 15 working days. */
  readonly thirdPartyAnswer: Limit;
  /** The centre decides a contested dispatch (12345 争议派单仲裁) within 5 working days. */
  readonly arbitration: Limit;
  /** A unit appeals a dissatisfied rating (不满意甄别) within 5 working days of it. */
  readonly ratingAppeal: Limit;
}
export type ProcedureLimitName = keyof ProcedureLimits;

export const DEFAULT_PROCEDURE_LIMITS: ProcedureLimits = {
  thirdPartyAnswer: workingDays(15),
  arbitration: workingDays(5),
  ratingAppeal: workingDays(5),
};

function specificity(p: TimeLimitPolicy): number {
  return (p.caseType === '*' ? 0 : 2) + (p.urgency === '*' ? 0 : 1);
}

/**
 * The policy for a case: most specific wins — exact type+urgency, then type+`*`, then `*`+urgency,
 * then `*`+`*`. Among equally specific ones the highest version wins (then the smallest id, so the
 * choice never depends on order). Undefined when nothing matches.
 */
export function choosePolicy(
  policies: readonly TimeLimitPolicy[],
  caseType: CaseType,
  urgency: Urgency,
): TimeLimitPolicy | undefined {
  let best: TimeLimitPolicy | undefined;
  for (const p of policies) {
    if ((p.caseType !== '*' && p.caseType !== caseType) || (p.urgency !== '*' && p.urgency !== urgency)) continue;
    if (best === undefined || outranks(p, best)) best = p;
  }
  return best;
}

function outranks(a: TimeLimitPolicy, b: TimeLimitPolicy): boolean {
  if (specificity(a) !== specificity(b)) return specificity(a) > specificity(b);
  if (a.version !== b.version) return a.version > b.version;
  return a.id < b.id;
}

/** Throws a RangeError for a limit no policy can mean (negative, not finite, fractional days). */
export function assertValidLimit(limit: Limit): void {
  const wholeOnly = limit.unit !== 'hours';
  if (!Number.isFinite(limit.amount) || limit.amount < 0 || (wholeOnly && !Number.isInteger(limit.amount))) {
    throw new RangeError(`invalid limit: ${limit.amount} ${limit.unit}`);
  }
}

/**
 * The due instant of `limit` counted from `start`. Working and natural days both skip the day of
 * `start` and end at 24:00 Asia/Shanghai of the last day; hours are plain clock time.
 */
export function computeDeadline(calendar: WorkingCalendar, start: Date, limit: Limit): Date {
  assertValidLimit(limit);
  switch (limit.unit) {
    case 'working_days':
      return calendar.addWorkingDays(start, limit.amount);
    case 'days':
      return addNaturalDays(start, limit.amount);
    case 'hours':
      // Rounded to the millisecond so fractional hours give an exact Date.
      return new Date(start.getTime() + Math.round(limit.amount * 3_600_000));
  }
}

/**
 * Whether a due counted in `unit` from `from` relied on a year whose official 调休 schedule is not
 * known yet, so that it may move when that schedule is loaded. Hours and natural days never do.
 */
export function isProvisional(calendar: WorkingCalendar, from: Date, due: Date, unit: LimitUnit): boolean {
  return unit === 'working_days' && calendar.dependsOnUncoveredYear(from, due);
}

/** When the warning (黄牌) fires: start + warnAt × (due − start), to the millisecond. */
export function warningTime(start: Date, due: Date, warnAt: number = DEFAULT_WARN_AT): Date {
  if (!(warnAt >= 0 && warnAt <= 1)) throw new RangeError(`warnAt must be within [0, 1]: ${warnAt}`);
  return new Date(start.getTime() + Math.floor(warnAt * (due.getTime() - start.getTime())));
}

/**
 * The due instant after an approved extension: `limit` counted after the current due. For day
 * limits counting starts after the due's own last day, which it names as 24:00 (00:00 of the next).
 */
export function extendDeadline(calendar: WorkingCalendar, due: Date, limit: Limit): Date {
  if (limit.unit === 'hours') return computeDeadline(calendar, due, limit);
  // One millisecond before 24:00 is still the last day of the current limit.
  return computeDeadline(calendar, new Date(due.getTime() - 1), limit);
}

/**
 * Refuses an extension the law does not allow under the policy's `rule`: more than `maxCount` extensions, or a
 * total beyond `maxTotal` (《政府信息公开条例》 art. 33, 《信访工作条例》 art. 34). `granted` are the
 * amounts of extensions already approved, in the policy's unit.
 */
export function assertExtensionAllowed(rule: ExtensionRule | undefined, granted: readonly number[], requested: Limit): void {
  assertValidLimit(requested);
  if (rule === undefined) return;
  if (requested.unit !== rule.maxTotal.unit) {
    throw badRequest(`extensions of this limit are counted in ${rule.maxTotal.unit}`);
  }
  if (rule.maxCount !== undefined && granted.length >= rule.maxCount) {
    throw invalidState(`the reply limit may be extended at most ${rule.maxCount} time(s)`);
  }
  const total = granted.reduce((sum, amount) => sum + amount, 0) + requested.amount;
  if (total > rule.maxTotal.amount) {
    const left = rule.maxTotal.amount - (total - requested.amount);
    throw badRequest(`extensions may total at most ${rule.maxTotal.amount} ${rule.maxTotal.unit}; ${left} left`);
  }
}

/**
 * The due instant after a pause (补正, request_amendment) for a working-day limit: the working days
 * left at the pause (the pause day counts as used) are counted again after the resume day, which is
 * not counted, like the day of receipt. 《政府信息公开条例》 art. 30 counts the limit from receipt of
 * the amended application; this keeps the days left rather than restarting the full 20 — a choice of
 * the issue, stricter on the agency. A due already passed when paused stays as it is.
 */
export function resumeAfterPause(calendar: WorkingCalendar, due: Date, pausedAt: Date, resumedAt: Date): Date {
  if (resumedAt.getTime() < pausedAt.getTime()) throw new RangeError('resumedAt is before pausedAt');
  if (pausedAt.getTime() >= due.getTime()) return due;
  return calendar.addWorkingDays(resumedAt, calendar.workingDaysBetween(pausedAt, due));
}
