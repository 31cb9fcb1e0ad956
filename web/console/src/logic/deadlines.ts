/** How a deadline looks on the workbench: normal, 黄牌 (past its warning time) or 红牌 (overdue). */
export type DeadlineColour = 'normal' | 'warning' | 'overdue' | 'none';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The colour of a deadline at `now`; 'none' when the case has no such deadline (or met it). */
export function deadlineColour(due: string | null, warnAt: string | null, now: Date): DeadlineColour {
  if (!due) return 'none';
  if (now.getTime() >= Date.parse(due)) return 'overdue';
  if (warnAt && now.getTime() >= Date.parse(warnAt)) return 'warning';
  return 'normal';
}

/** The worse of two colours, for a row that carries both the 签收 and the 答复 deadline. */
export function worstColour(a: DeadlineColour, b: DeadlineColour): DeadlineColour {
  const rank: Record<DeadlineColour, number> = { none: 0, normal: 1, warning: 2, overdue: 3 };
  return rank[a] >= rank[b] ? a : b;
}

function hoursAndMinutes(ms: number): string {
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (hours === 0) return `${minutes}分钟`;
  return minutes === 0 ? `${hours}小时` : `${hours}小时${minutes}分`;
}

/**
 * The time left to a deadline in words. Within a day it is counted by the clock (hours, minutes);
 * beyond that in working days, as the API counts them on the working calendar (holidays and 调休),
 * because "3 个工作日" is what the limit was set in and what staff plan by.
 */
export function formatTimeLeft(due: string | null, now: Date, workingDaysLeft: number | null): string {
  if (!due) return '—';
  const ms = Date.parse(due) - now.getTime();
  if (ms <= 0) {
    const late = -ms;
    return late >= 24 * HOUR ? `已超期${Math.floor(late / (24 * HOUR))}天` : `已超期${hoursAndMinutes(late)}`;
  }
  if (ms < 24 * HOUR || workingDaysLeft === null) return `剩余${hoursAndMinutes(ms)}`;
  return workingDaysLeft <= 0 ? `剩余${hoursAndMinutes(ms)}` : `剩余${workingDaysLeft}个工作日`;
}

const SHANGHAI = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/**
 * A time as Linyi reads it (Asia/Shanghai), whatever the browser's zone: 2026-11-30 09:05. A limit
 * ending at midnight reads as 24:00 of its last day, as the rules state it, not 00:00 of the next.
 */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const at = new Date(iso);
  const parts = (d: Date): Record<string, string> => Object.fromEntries(SHANGHAI.formatToParts(d).map((p) => [p.type, p.value]));
  const p = parts(at);
  if ((p.hour === '00' || p.hour === '24') && p.minute === '00' && at.getUTCSeconds() === 0) {
    const day = parts(new Date(at.getTime() - 1));
    return `${day.year}-${day.month}-${day.day} 24:00`;
  }
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
