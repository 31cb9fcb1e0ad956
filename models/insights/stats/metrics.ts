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

// The returns and re-dispatches that undid a case's first dispatch carry when it was and where it went.
const UNDOINGS = `e.action IN ('return', 'dispatch') AND e.data ? 'firstDispatchAt'`;

/** Undoings per Asia/Shanghai day of the first dispatch they undid, day of registration and unit: the rollup's rows. */
export const FIRST_UNDONE_ROLLUP_SQL = (range: string): string =>
  `SELECT ((e.data->>'firstDispatchAt')::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, (e.created_at AT TIME ZONE 'Asia/Shanghai')::date, e.data->>'firstDispatchUnit', count(*)::int
     FROM case_events e WHERE ${UNDOINGS} AND ${range} GROUP BY 1, 2, 3`;

/** Where the undoings of a period's first dispatches are read from (the parameters' names in a statement). */
export interface FirstUndoneParams {
  /** Whole days of the period, as dates [from, to), and as ISO instants [from, to): the rollup's part. */
  readonly wholeDays: readonly [string, string];
  readonly wholeInstants: readonly [string, string];
  /** The seal (a midnight): undoings of whole days registered before it are in the rollup, those since are read from the timeline. */
  readonly sealedUntil: string;
  /** The period's partial days at either end, as ISO instants [from, to): read from the timeline. */
  readonly edges: readonly [readonly [string, string], readonly [string, string]];
}

/**
 * The returns and re-dispatches that undid a first dispatch of the period, at any time since,
 * counted for the unit of that first dispatch: first-dispatch accuracy is about whether the first
 * dispatch was right, which a later 退单 still shows. Whole days come from the rollup and the
 * undoings registered since the seal; the period's partial edge days from the timeline.
 */
export const FIRST_DISPATCHES_UNDONE = (p: FirstUndoneParams): string => {
  const at = `(e.data->>'firstDispatchAt')`;
  return `SELECT unit_code, sum(n)::int AS n FROM (
      SELECT d.unit_code, d.undone AS n FROM stat_first_undone_days d
       WHERE d.day >= ${p.wholeDays[0]}::date AND d.day < ${p.wholeDays[1]}::date AND d.registered_day < (${p.sealedUntil}::timestamptz AT TIME ZONE 'Asia/Shanghai')::date
      UNION ALL
      -- Compared as times, not as the text migration 050 indexes: over a year that index would be
      -- walked end to end, where migration 067's finds the few undoings since the seal.
      SELECT e.data->>'firstDispatchUnit', 1 FROM case_events e
       WHERE ${UNDOINGS} AND e.created_at >= ${p.sealedUntil} AND ${at}::timestamptz >= ${p.wholeInstants[0]}::timestamptz AND ${at}::timestamptz < ${p.wholeInstants[1]}::timestamptz
      UNION ALL
      SELECT e.data->>'firstDispatchUnit', 1 FROM case_events e
       WHERE ${UNDOINGS} AND ((${at} >= ${p.edges[0][0]} AND ${at} < ${p.edges[0][1]}) OR (${at} >= ${p.edges[1][0]} AND ${at} < ${p.edges[1][1]}))
    ) undone GROUP BY 1`;
};

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
