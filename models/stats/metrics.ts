/**
 * What each timeline event counts for, in one place: the daily rollups and the live count over
 * recent events are built from these same expressions, so the two can never disagree.
 * Expressions read a `case_events` row aliased `e`.
 */

/** The unit an event is counted for: the case's unit after it, or the returning unit for a return (退单). */
export const EVENT_UNIT = `CASE WHEN e.action = 'return' THEN COALESCE(e.data->>'returnedBy', e.actor_unit) ELSE e.unit_code END`;

/** Events that bring a case to a unit: each asks for a new 签收. */
export const ARRIVAL_ACTIONS = ['dispatch', 'forward', 'reopen'] as const;

const satisfaction = (level: string): string => `e.action IN ('rate', 'close') AND e.data->'rating'->>'satisfaction' = '${level}'`;

/** The additive figures: a column of the daily rollup each, and the events it counts. */
export const EVENT_METRICS = [
  { column: 'dispatched', when: `e.action IN ('dispatch', 'forward')` },
  { column: 'reopened', when: `e.action = 'reopen'` },
  { column: 'accepted_on_time', when: `e.action = 'accept' AND e.data->>'onTime' = 'true'` },
  { column: 'replied', when: `e.action = 'reply'` },
  { column: 'replied_on_time', when: `e.action = 'reply' AND e.data->>'onTime' = 'true'` },
  { column: 'overdue', when: `e.action = 'deadline_overdue'` },
  { column: 'returned', when: `e.action = 'return'` },
  { column: 'extended', when: `e.action = 'approve_extension'` },
  { column: 'escalated', when: `e.action = 'citizen_escalation'` },
  // A rating from the citizen page (rate) or taken by phone at the return visit (close).
  { column: 'satisfied', when: satisfaction('satisfied') },
  { column: 'basically_satisfied', when: satisfaction('basically_satisfied') },
  { column: 'dissatisfied', when: satisfaction('dissatisfied') },
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
