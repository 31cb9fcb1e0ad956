import { warningTime } from '../time-limits/time-limit-policy.js';
import type { WorkingCalendar } from '../time-limits/working-calendar.js';

/** 《政府信息公开条例》 art. 32: the third party has 15 working days to give its view. */
export const THIRD_PARTY_WORKING_DAYS = 15;
/** The centre decides a contested dispatch within 5 working days (as 《信访工作条例》 art. 23 gives a unit to dispute). */
export const ARBITRATION_WORKING_DAYS = 5;
/** A unit appeals a dissatisfied rating within 5 working days of it (12345 practice). */
export const APPEAL_WORKING_DAYS = 5;

/**
 * The limits of the procedures, counted like every working-day limit: the starting day is not
 * counted and the limit ends at 24:00 Asia/Shanghai of its last working day.
 */
export const procedureLimits = {
  /** When the third party's view is due, counted from the request for it. */
  thirdPartyAnswerBy: (calendar: WorkingCalendar, askedAt: Date): Date => calendar.addWorkingDays(askedAt, THIRD_PARTY_WORKING_DAYS),
  /** When the centre's arbitration falls due, and its warning (at 80% of the time, like the others). */
  arbitration: (calendar: WorkingCalendar, disputedAt: Date): { due: Date; warnAt: Date } => {
    const due = calendar.addWorkingDays(disputedAt, ARBITRATION_WORKING_DAYS);
    return { due, warnAt: warningTime(disputedAt, due) };
  },
  /** The end of the last day on which a unit may appeal a rating given at `ratedAt`. */
  appealUntil: (calendar: WorkingCalendar, ratedAt: Date): Date => calendar.addWorkingDays(ratedAt, APPEAL_WORKING_DAYS),
} as const;
