import { withTransaction, type Pool, type PoolClient } from '../../infra/db.js';
import { OPEN_STATUSES, type Actor, type CaseRecord } from '../cases/case.js';
import { lockCase, writeChange, type Effect } from '../cases/case-writer.js';
import type { ColumnChanges } from '../cases/column-changes.js';
import { ACCEPT_CLOCK_STATUSES, ARBITRATE_CLOCK_STATUSES, REPLY_CLOCK_STATUSES, THIRD_PARTY_CLOCK_STATUSES } from './deadline-rules.js';
import { computeDeadline, extendDeadline, resumeAfterPause, warningTime, type Limit } from './time-limit-policy.js';
import type { DeadlineBasis } from './time-limits.js';
import { calendarDateOf, type WorkingCalendar } from './working-calendar.js';

/** What moved a reply deadline after it was set: an approved extension, or the resume after a pause (补正, third party). */
export type ReplyStep =
  | { readonly kind: 'extension'; readonly limit: Limit }
  | { readonly kind: 'resume'; readonly pausedAt: Date; readonly resumedAt: Date };

/** A deadline counted again: its due, its warning, and whether it still relies on an unpublished year. */
export interface Recount {
  readonly due: Date;
  readonly warnAt: Date;
  readonly provisional: boolean;
}

/**
 * Counts a deadline again under `calendar` from what produced it: the limit from its start, then
 * each extension and each resume after a pause, in the order they happened (pure).
 */
export function recountDeadline(calendar: WorkingCalendar, start: Date, basis: Pick<DeadlineBasis, 'limit' | 'warnAt'>, steps: readonly ReplyStep[] = []): Recount {
  let due = computeDeadline(calendar, start, basis.limit);
  for (const step of steps) {
    due = step.kind === 'extension' ? extendDeadline(calendar, due, step.limit) : resumeAfterPause(calendar, due, step.pausedAt, step.resumedAt);
  }
  const counted = basis.limit.unit === 'working_days' || steps.some((s) => s.kind === 'resume' || s.limit.unit === 'working_days');
  return { due, warnAt: warningTime(start, due, basis.warnAt), provisional: counted && calendar.dependsOnUncoveredYear(start, due) };
}

/** The action, data and time of a timeline event. */
export interface TimelineRow {
  action: string;
  data: Record<string, unknown>;
  created_at: Date;
}

// Events that start a deadline over: the acceptance at each arrival, the reply at a reopen or a review.
const ACCEPT_STARTS = ['dispatch', 'forward', 'reopen', 'review', 're_review'];
const REPLY_STARTS = ['reopen', 'review', 're_review'];
// Every resume of a paused reply clock (补正 answered, a third party's view in or its time passed) carries `pausedAt`.
const RESUMES = ['amendment_received', 'third_party_opinion_received', 'third_party_no_answer'];
const REPLY_STEPS = ['approve_extension', ...RESUMES];
// The procedures' deadlines run from the event that set them, under the basis it recorded.
const PROCEDURES = {
  thirdParty: { start: 'request_third_party_opinion', policy: 'thirdPartyAnswer', label: '第三方答复' },
  arbitrate: { start: 'dispute_dispatch', policy: 'arbitration', label: '仲裁' },
} as const;
type ProcedureDeadline = keyof typeof PROCEDURES;

const SYSTEM: Actor = { id: null, role: 'system', unitCode: null };

/** The reply's start and the steps that moved it since, read from the timeline. */
function replyHistory(record: CaseRecord, events: readonly TimelineRow[]): { start: Date; steps: ReplyStep[] } {
  const startAt = events.findLastIndex((e) => REPLY_STARTS.includes(e.action));
  const start = startAt < 0 ? record.receivedAt : (events[startAt] as TimelineRow).created_at;
  const steps = events.slice(startAt + 1).flatMap((e): ReplyStep[] => {
    if (e.action === 'approve_extension') return [{ kind: 'extension', limit: { unit: e.data.unit as Limit['unit'], amount: Number(e.data.days) } }];
    if (RESUMES.includes(e.action)) return [{ kind: 'resume', pausedAt: new Date(String(e.data.pausedAt)), resumedAt: e.created_at }];
    return [];
  });
  return { start, steps };
}

const basisOf = (record: Pick<CaseRecord, 'deadlines'>, which: string): DeadlineBasis | undefined => record.deadlines.policy?.[which] as DeadlineBasis | undefined;

/**
 * Counts a procedure's provisional deadline again under `calendar` (pure): only while it runs, the
 * third party's answer while it is awaited, the arbitration while the dispute is open. Null when
 * it is not flagged, not running, or its start or basis is not on record.
 */
export function recountProcedureDeadline(calendar: WorkingCalendar, which: ProcedureDeadline, record: Pick<CaseRecord, 'status' | 'deadlines' | 'procedures'>, events: readonly TimelineRow[]): Recount | null {
  const d = record.deadlines;
  const running = which === 'thirdParty'
    ? d.thirdPartyProvisional && record.procedures.thirdPartyOpinion?.receivedAt === null && THIRD_PARTY_CLOCK_STATUSES.includes(record.status)
    : d.arbitrateProvisional && record.procedures.dispute !== null && ARBITRATE_CLOCK_STATUSES.includes(record.status);
  const basis = basisOf(record, PROCEDURES[which].policy);
  const start = events.findLast((e) => e.action === PROCEDURES[which].start)?.created_at;
  return running && basis && start ? recountDeadline(calendar, start, basis) : null;
}

/** The columns of one recounted deadline; effects not yet due may fire again, at the new time. */
export function movedColumns(which: 'accept' | 'reply' | 'thirdParty' | 'arbitrate', recount: Recount, now: Date): ColumnChanges {
  const warnAgain = recount.warnAt > now;
  const dueAgain = recount.due > now;
  switch (which) {
    case 'accept':
      return { accept_by: recount.due, accept_warn_at: recount.warnAt, accept_provisional: recount.provisional, ...(warnAgain ? { accept_warned_at: null } : {}), ...(dueAgain ? { accept_overdue_at: null } : {}) };
    case 'reply':
      return { reply_by: recount.due, reply_warn_at: recount.warnAt, reply_provisional: recount.provisional, ...(warnAgain ? { reply_warned_at: null } : {}), ...(dueAgain ? { reply_overdue_at: null } : {}) };
    case 'thirdParty':
      return { third_party_by: recount.due, third_party_warn_at: recount.warnAt, third_party_provisional: recount.provisional, ...(warnAgain ? { third_party_warned_at: null } : {}), ...(dueAgain ? { third_party_overdue_at: null } : {}) };
    case 'arbitrate':
      return { arbitrate_by: recount.due, arbitrate_warn_at: recount.warnAt, arbitrate_provisional: recount.provisional, ...(warnAgain ? { arbitrate_warned_at: null } : {}), ...(dueAgain ? { arbitrate_overdue_at: null } : {}) };
  }
}

// A due is 24:00 of its last day, which is 00:00 of the next: the note names the last day.
const day = (d: Date | null): string => (d ? calendarDateOf(new Date(d.getTime() - 1)) : '');

function changeNote(label: string, before: Date | null, after: Recount): string {
  return before?.getTime() === after.due.getTime() ? `${label}期限${day(after.due)}已按正式放假安排确认` : `${label}期限由${day(before)}调整为${day(after.due)}`;
}

/**
 * Counts the provisional deadlines of one open case again under `calendar` and, when a due or its
 * flag changed, writes the change through the case writer as the system's `recompute_deadlines`:
 * the deadline version moves, so that the deadline relay replaces the jobs. Returns whether it wrote.
 */
async function recomputeCase(client: PoolClient, caseId: string, calendar: WorkingCalendar, now: Date, years: readonly number[]): Promise<boolean> {
  const record = await lockCase(client, caseId);
  if (!record || !OPEN_STATUSES.includes(record.status)) return false;
  const { rows: events } = await client.query<TimelineRow>(
    'SELECT action, data, created_at FROM case_events WHERE case_id = $1 AND action = ANY($2::text[]) ORDER BY id',
    [caseId, [...new Set([...ACCEPT_STARTS, ...REPLY_STARTS, ...REPLY_STEPS, PROCEDURES.thirdParty.start, PROCEDURES.arbitrate.start])]],
  );
  const d = record.deadlines;
  const acceptBasis = basisOf(record, 'accept');
  const acceptStart = events.findLast((e) => ACCEPT_STARTS.includes(e.action))?.created_at;
  const accept = d.acceptProvisional && acceptBasis && acceptStart && ACCEPT_CLOCK_STATUSES.includes(record.status) ? recountDeadline(calendar, acceptStart, acceptBasis) : null;
  const replyBasis = basisOf(record, 'reply');
  const history = replyHistory(record, events);
  const reply = d.replyProvisional && replyBasis && REPLY_CLOCK_STATUSES.includes(record.status) ? recountDeadline(calendar, history.start, replyBasis, history.steps) : null;
  const changed = (before: Date | null, flag: boolean, after: Recount | null): after is Recount => after !== null && (before?.getTime() !== after.due.getTime() || flag !== after.provisional);
  const thirdParty = recountProcedureDeadline(calendar, 'thirdParty', record, events);
  const arbitrate = recountProcedureDeadline(calendar, 'arbitrate', record, events);
  const acceptChanged = changed(d.acceptBy, d.acceptProvisional, accept);
  const replyChanged = changed(d.replyBy, d.replyProvisional, reply);
  const thirdPartyChanged = changed(d.thirdPartyBy, d.thirdPartyProvisional, thirdParty);
  const arbitrateChanged = changed(d.arbitrateBy, d.arbitrateProvisional, arbitrate);
  if (!acceptChanged && !replyChanged && !thirdPartyChanged && !arbitrateChanged) return false;
  const moved = (changedHere: boolean, before: Date | null, after: Recount | null): [string | null, string | null] =>
    changedHere && after ? [after.due.toISOString(), before?.toISOString() ?? null] : [null, null];
  const [acceptBy, previousAcceptBy] = moved(acceptChanged, d.acceptBy, accept);
  const [replyBy, previousReplyBy] = moved(replyChanged, d.replyBy, reply);
  const [thirdPartyAnswerBy, previousThirdPartyAnswerBy] = moved(thirdPartyChanged, d.thirdPartyBy, thirdParty);
  const [arbitrateBy, previousArbitrateBy] = moved(arbitrateChanged, d.arbitrateBy, arbitrate);
  const publicNotes = [
    acceptChanged ? changeNote('签收', d.acceptBy, accept) : null,
    replyChanged ? changeNote('答复', d.replyBy, reply) : null,
    thirdPartyChanged ? changeNote(PROCEDURES.thirdParty.label, d.thirdPartyBy, thirdParty) : null,
  ].filter(Boolean);
  // A dispute is internal (its events are not public): the arbitration is named in the note of a
  // staff-only recount; beside a recount the citizen sees, it is in the data alone.
  const isPublic = publicNotes.length > 0;
  const notes = isPublic || !arbitrateChanged ? publicNotes : [changeNote(PROCEDURES.arbitrate.label, d.arbitrateBy, arbitrate)];
  const opinion = record.procedures.thirdPartyOpinion;
  const effect: Effect<'recompute_deadlines'> = {
    assignedUnit: record.assignedUnit?.code ?? null,
    coUnits: record.coUnits,
    note: `${years.join('、')}年放假安排已公布：${notes.join('；')}`,
    data: { years, acceptBy, previousAcceptBy, replyBy, previousReplyBy, thirdPartyAnswerBy, previousThirdPartyAnswerBy, arbitrateBy, previousArbitrateBy },
    public: isPublic,
    set: {
      ...(acceptChanged ? movedColumns('accept', accept, now) : {}),
      ...(replyChanged ? movedColumns('reply', reply, now) : {}),
      // The opinion's answerBy is what the third-party actions read: it moves with the column.
      ...(thirdPartyChanged && opinion ? { ...movedColumns('thirdParty', thirdParty, now), third_party_opinion: { ...opinion, answerBy: thirdParty.due.toISOString() } } : {}),
      ...(arbitrateChanged ? movedColumns('arbitrate', arbitrate, now) : {}),
    },
    deadlinesMoved: true,
  };
  await writeChange(client, record, 'recompute_deadlines', 'system', SYSTEM, effect);
  return true;
}

// Cases are recounted one transaction each, read in pages of this many ids, this many at once.
const PAGE = 500;
const CONCURRENCY = 4;

/**
 * After an official holiday schedule is loaded (`years`): every open case with a provisional
 * deadline is counted again under the new calendar, each in its own transaction. Cases whose
 * deadlines neither move nor lose their flag are left alone, so running it again changes nothing.
 * Returns how many cases changed.
 */
export async function recomputeProvisionalDeadlines(pool: Pool, calendar: WorkingCalendar, now: () => Date, years: readonly number[]): Promise<number> {
  let changed = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM cases WHERE status = ANY($1::text[]) AND (accept_provisional OR reply_provisional OR third_party_provisional OR arbitrate_provisional) AND id > $2 ORDER BY id LIMIT $3`,
      [OPEN_STATUSES, after, PAGE],
    );
    // A few cases at a time: each waits mostly on its round trips, and they lock different rows.
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, async () => {
      for (let row = rows[next++]; row; row = rows[next++]) {
        const { id } = row;
        if (await withTransaction(pool, (client) => recomputeCase(client, id, calendar, now(), years))) changed += 1;
      }
    }));
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return changed;
    after = last.id;
  }
}

/**
 * Finishes a recount that stopped part-way (the process died while loading a schedule): the open
 * cases still flagged provisional although no year their deadline spans is left unpublished are
 * counted again. Their receipt is the earliest any of their deadlines can start, so a flag still
 * right under `calendar` is never touched. Returns how many cases changed.
 */
export async function recomputeStaleProvisionalDeadlines(pool: Pool, calendar: WorkingCalendar, now: () => Date, loadedYears: readonly number[]): Promise<number> {
  // Each deadline as [flag, due]; json carries the dues as text.
  const { rows } = await pool.query<{ id: string; received_at: Date; flagged: [boolean, string | null][] }>(
    `SELECT id, received_at, json_build_array(json_build_array(accept_provisional, accept_by), json_build_array(reply_provisional, reply_by),
            json_build_array(third_party_provisional, third_party_by), json_build_array(arbitrate_provisional, arbitrate_by)) AS flagged FROM cases
      WHERE status = ANY($1::text[]) AND (accept_provisional OR reply_provisional OR third_party_provisional OR arbitrate_provisional)`,
    [OPEN_STATUSES],
  );
  const stale = ([flagged, due]: [boolean, Date | null], receivedAt: Date): boolean => flagged && due !== null && !calendar.dependsOnUncoveredYear(receivedAt, due);
  let changed = 0;
  for (const row of rows) {
    const deadlines = row.flagged.map(([flag, due]): [boolean, Date | null] => [flag, due === null ? null : new Date(due)]);
    if (!deadlines.some((deadline) => stale(deadline, row.received_at))) continue;
    const last = deadlines.reduce<Date>((a, [, b]) => (b && b > a ? b : a), row.received_at);
    const years = loadedYears.filter((y) => y >= Number(calendarDateOf(row.received_at).slice(0, 4)) && y <= Number(calendarDateOf(last).slice(0, 4)));
    if (await withTransaction(pool, (client) => recomputeCase(client, row.id, calendar, now(), years))) changed += 1;
  }
  return changed;
}
