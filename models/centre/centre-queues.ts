import type { Queryable } from '../../infra/db.js';

/** A case in one of the centre's queues, with what the dispatcher needs to decide. */
export interface CentreQueueCase {
  readonly id: string;
  readonly caseNo: string;
  readonly title: string | null;
  readonly type: string;
  readonly channel: string;
  readonly status: string;
  readonly urgency: string;
  readonly divisionCode: string | null;
  readonly assignedUnit: { readonly code: string; readonly name: string } | null;
  readonly receivedAt: Date;
  readonly replyBy: Date | null;
  /** The latest 退单 of the case: who returned it, why and when (null: never returned). */
  readonly lastReturn: { readonly unitCode: string | null; readonly reason: string | null; readonly at: Date } | null;
  /**
   * Why the routing left it to the centre at intake: `kept` (the centre keeps such requests),
   * `disputed` (the catalogue's words and its classifier disagreed), or null (nothing was sure enough).
   */
  readonly waiting: 'kept' | 'disputed' | null;
  readonly pendingExtension: { readonly days: number; readonly reason: string; readonly requestedAt: string } | null;
  readonly lastCitizenEscalationAt: Date | null;
}

/** The open cases past a running limit now, per assigned unit. */
export interface OverdueByUnit {
  readonly unitCode: string;
  readonly name: string;
  readonly count: number;
}

/** The centre's queues: what waits for a dispatch, a decision on an extension, or an answer to a chase. */
export interface CentreQueues {
  readonly manual: CentreQueueCase[];
  readonly extensions: CentreQueueCase[];
  readonly chased: CentreQueueCase[];
  /** How many cases wait in each list in all: a list holds at most `limit` of them. */
  readonly totals: { readonly manual: number; readonly extensions: number; readonly chased: number };
  readonly overdueByUnit: OverdueByUnit[];
}

interface QueueRow {
  id: string;
  case_no: string;
  title: string | null;
  type: string;
  channel: string;
  status: string;
  urgency: string;
  division_code: string | null;
  assigned_unit_code: string | null;
  assigned_unit_name: string | null;
  received_at: Date;
  reply_by: Date | null;
  pending_extension: { days: number; reason: string; requestedAt: string } | null;
  last_citizen_escalation_at: Date | null;
  return_unit: string | null;
  return_reason: string | null;
  return_at: Date | null;
  waiting: 'kept' | 'disputed' | null;
}

const toQueueCase = (r: QueueRow): CentreQueueCase => ({
  id: r.id,
  caseNo: r.case_no,
  title: r.title,
  type: r.type,
  channel: r.channel,
  status: r.status,
  urgency: r.urgency,
  divisionCode: r.division_code,
  assignedUnit: r.assigned_unit_code ? { code: r.assigned_unit_code, name: r.assigned_unit_name ?? r.assigned_unit_code } : null,
  receivedAt: r.received_at,
  replyBy: r.reply_by,
  lastReturn: r.return_at ? { unitCode: r.return_unit, reason: r.return_reason, at: r.return_at } : null,
  waiting: r.waiting,
  pendingExtension: r.pending_extension ? { days: r.pending_extension.days, reason: r.pending_extension.reason, requestedAt: r.pending_extension.requestedAt } : null,
  lastCitizenEscalationAt: r.last_citizen_escalation_at,
});

// The last 退单 is read per listed case through case_events_case_idx, never over the whole timeline.
const QUEUE_SELECT = `
  SELECT c.id, c.case_no, c.title, c.type, c.channel, c.status, c.urgency, c.division_code, c.assigned_unit_code,
         u.name AS assigned_unit_name, c.received_at, c.reply_by, c.pending_extension, c.last_citizen_escalation_at,
         r.return_unit, r.return_reason, r.return_at,
         CASE WHEN c.routing->>'kept' = 'true' THEN 'kept' WHEN c.routing->>'disputed' = 'true' THEN 'disputed' END AS waiting
    FROM cases c
    LEFT JOIN units u ON u.code = c.assigned_unit_code
    LEFT JOIN LATERAL (
      SELECT e.data->>'returnedBy' AS return_unit, e.note AS return_reason, e.created_at AS return_at
        FROM case_events e WHERE e.case_id = c.id AND e.action = 'return' ORDER BY e.id DESC LIMIT 1
    ) r ON true`;

const OPEN = `c.status IN ('registered', 'dispatched', 'in_progress', 'returned')`;

/** The same running-limit conditions as the case list's `overdue` filter and the deadline module. */
export const OVERDUE_NOW = `((c.status = 'dispatched' AND (c.accept_overdue_at IS NOT NULL OR c.accept_by <= now()))
  OR (${OPEN} AND c.clock_paused_at IS NULL AND (c.reply_overdue_at IS NOT NULL OR c.reply_by <= now())))`;

/**
 * The centre's queues, oldest first within each (the longest wait at the top), `limit` cases each:
 * cases no rule took and cases a unit returned (退单, its jurisdiction dispute with the reason),
 * extension requests (延期申请) waiting for its decision (a disclosure request's waits for its office's head), open cases the citizen chased (催办), and the
 * count of cases overdue now per unit.
 */
export async function centreQueues(db: Queryable, limit: number): Promise<CentreQueues> {
  const waiting = `c.status IN ('registered', 'returned') AND c.assigned_unit_code IS NULL`;
  // A disclosure request's extension is the head of its disclosure office's to decide (art. 33), not the centre's.
  const asking = `${OPEN} AND c.pending_extension IS NOT NULL AND c.type <> 'disclosure'`;
  const chasing = `${OPEN} AND c.last_citizen_escalation_at IS NOT NULL`;
  // Each list's count has the list's own filter, so that it reads the same index as the list.
  const count = async (filter: string): Promise<number> => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cases c WHERE ${filter}`)).rows[0]?.n ?? 0;
  const [manual, extensions, chased, manualTotal, extensionsTotal, chasedTotal, overdue] = await Promise.all([
    db.query<QueueRow>(`${QUEUE_SELECT} WHERE ${waiting} ORDER BY c.received_at, c.id LIMIT $1`, [limit]),
    db.query<QueueRow>(`${QUEUE_SELECT} WHERE ${asking} ORDER BY c.pending_extension->>'requestedAt', c.id LIMIT $1`, [limit]),
    db.query<QueueRow>(`${QUEUE_SELECT} WHERE ${chasing} ORDER BY c.last_citizen_escalation_at DESC, c.id LIMIT $1`, [limit]),
    count(waiting),
    count(asking),
    count(chasing),
    db.query<{ unit_code: string; name: string; count: string }>(
      `SELECT c.assigned_unit_code AS unit_code, u.name, count(*) AS count
         FROM cases c JOIN units u ON u.code = c.assigned_unit_code
        WHERE ${OVERDUE_NOW}
        GROUP BY c.assigned_unit_code, u.name ORDER BY count(*) DESC, c.assigned_unit_code`,
    ),
  ]);
  return {
    manual: manual.rows.map(toQueueCase),
    extensions: extensions.rows.map(toQueueCase),
    chased: chased.rows.map(toQueueCase),
    totals: { manual: manualTotal, extensions: extensionsTotal, chased: chasedTotal },
    overdueByUnit: overdue.rows.map((r) => ({ unitCode: r.unit_code, name: r.name, count: Number(r.count) })),
  };
}
