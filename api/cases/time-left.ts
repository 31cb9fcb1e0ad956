import { OPEN_STATUSES, type CaseRecord } from '../../models/cases/case.js';
import type { WorkingCalendar } from '../../models/time-limits/working-calendar.js';

/**
 * Whole working days left to each deadline still running, on the working calendar the limits were
 * set with (holidays, 调休, overrides), which a browser does not have. Null when the deadline is not
 * running (签收 after acceptance, 答复 after the reply) or has passed.
 */
export function workingDaysLeft(record: CaseRecord, calendar: WorkingCalendar, now: Date): { accept: number | null; reply: number | null } {
  const left = (due: Date | null, running: boolean): number | null => (running && due && due > now ? calendar.workingDaysBetween(now, due) : null);
  return {
    accept: left(record.deadlines.acceptBy, record.status === 'dispatched'),
    reply: left(record.deadlines.replyBy, OPEN_STATUSES.includes(record.status) && record.deadlines.pausedAt === null),
  };
}
