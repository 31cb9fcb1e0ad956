/**
 * What each timeline event counts for, in one place: the daily rollups and the live count over
 * recent events are built from these same expressions, so the two can never disagree.
 * Expressions read a `case_events` row aliased `e`.
 */

/**
 * Events counted for another unit than the case's unit after them: the returning unit for a
 * return (退单), the receiving unit for a registration, the answering unit for a desk answer
 * (当场答复) and its return visit, as such a case never has a unit of its own.
 */
export const EVENT_UNIT_SOURCES = [
  { when: `e.action = 'return'`, unit: `COALESCE(e.data->>'returnedBy', e.actor_unit)` },
  { when: `e.action = 'register'`, unit: `e.data->>'receivedBy'` },
  { when: `e.action IN ('answer_directly', 'return_visit')`, unit: `e.data->>'unitCode'` },
] as const;

/** The unit an event is counted for. */
export const EVENT_UNIT = `CASE ${EVENT_UNIT_SOURCES.map((s) => `WHEN ${s.when} THEN ${s.unit}`).join(' ')} ELSE e.unit_code END`;

/** Events that bring a case to a unit: each asks for a new 签收. */
export const ARRIVAL_ACTIONS = ['dispatch', 'forward', 'reopen'] as const;

const satisfaction = (level: string): string => `e.action IN ('rate', 'close', 'return_visit') AND e.data->'rating'->>'satisfaction' = '${level}'`;

/** The additive figures: a column of the daily rollup each, and the events it counts. */
export const EVENT_METRICS = [
  { column: 'dispatched', when: `e.action IN ('dispatch', 'forward')` },
  { column: 'reopened', when: `e.action = 'reopen'` },
  // A petitions office's decision to accept (受理) is its 签收.
  { column: 'accepted_on_time', when: `e.action IN ('accept', 'accept_petition') AND e.data->>'onTime' = 'true'` },
  { column: 'replied', when: `e.action = 'reply'` },
  { column: 'replied_on_time', when: `e.action = 'reply' AND e.data->>'onTime' = 'true'` },
  // Red cards of the unit's own limits; a late arbitration is the centre's, not the unit's.
  { column: 'overdue', when: `e.action = 'deadline_overdue' AND e.data->>'kind' IN ('accept', 'reply')` },
  { column: 'returned', when: `e.action = 'return'` },
  { column: 'extended', when: `e.action = 'approve_extension'` },
  { column: 'escalated', when: `e.action = 'citizen_escalation'` },
  { column: 'registered', when: `e.action = 'register'` },
  { column: 'answered_directly', when: `e.action = 'answer_directly'` },
  // A rating from the citizen page (rate) or taken by phone at the return visit (close, return_visit).
  { column: 'satisfied', when: satisfaction('satisfied') },
  { column: 'basically_satisfied', when: satisfaction('basically_satisfied') },
  { column: 'dissatisfied', when: satisfaction('dissatisfied') },
  // 不予受理: petitions a petitions office did not accept (《信访工作条例》 arts. 22-23).
  { column: 'petitions_rejected', when: `e.action = 'reject_petition'` },
  // A case's first dispatch, and those of them the routing made (intake as the system).
  { column: 'first_dispatched', when: `e.action = 'dispatch' AND e.data->>'first' = 'true'` },
  { column: 'auto_dispatched', when: `e.action = 'dispatch' AND e.data->>'first' = 'true' AND e.actor_role = 'system'` },
] as const;

/**
 * The returns and re-dispatches that undid a first dispatch of [from, to) (ISO text bounds), at
 * any time since, counted for the unit of that first dispatch: first-dispatch accuracy is about
 * whether the first dispatch was right, which a later 退单 still shows.
 */
export const FIRST_DISPATCHES_UNDONE = (from: string, to: string): string =>
  `SELECT e.data->>'firstDispatchUnit' AS unit_code, count(*)::int AS n FROM case_events e
    WHERE e.action IN ('return', 'dispatch') AND e.data ? 'firstDispatchAt' AND (e.data->>'firstDispatchAt') >= ${from} AND (e.data->>'firstDispatchAt') < ${to}
    GROUP BY 1`;

export type EventMetric = (typeof EVENT_METRICS)[number]['column'];

/** The actions any figure counts: the filter that keeps warnings, notes and registrations out of the scan. */
export const COUNTED_ACTIONS = [
  'dispatch', 'forward', 'reopen', 'accept', 'reply', 'deadline_overdue', 'return', 'approve_extension', 'citizen_escalation', 'rate', 'close',
  'accept_petition', 'reject_petition',
  'register', 'answer_directly', 'return_visit',
] as const;

export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** `count(*) FILTER (...) AS column` for every figure, over events `e`. */
export const METRIC_COUNTS = EVENT_METRICS.map((m) => `count(*) FILTER (WHERE ${m.when})::int AS ${m.column}`).join(',\n         ');

/**
 * The events of a time range counted per unit (or per day and unit): the live path over recent
 * events and the sealing of past days share this statement.
 */
export function countEventsSql(range: string, perDay: boolean): string {
  const day = perDay ? `(e.created_at AT TIME ZONE 'Asia/Shanghai')::date AS day, ` : '';
  return `SELECT ${day}${EVENT_UNIT} AS unit_code,
         ${METRIC_COUNTS}
    FROM case_events e
   WHERE (${range}) AND e.action IN (${sqlList(COUNTED_ACTIONS)}) AND ${EVENT_UNIT} IS NOT NULL
   GROUP BY ${perDay ? '1, 2' : '1'}`;
}
