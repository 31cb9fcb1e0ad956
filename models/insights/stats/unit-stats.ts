import type { Queryable } from '../../../infra/db.js';
import { clockRunningSql, OPEN_DEADLINE_STATUSES } from '../../time-limits/deadline-rules.js';
import { ARRIVAL_ACTIONS, countEventsSql, EVENT_METRICS, FIRST_DISPATCHES_UNDONE, sqlList } from './metrics.js';
import { SealedSums } from './sealed-sums.js';

/** The figures of one unit, rolled up over its subtree, for a period. */
export interface UnitFigures {
  readonly unitCode: string;
  readonly name: string;
  readonly kind: string;
  /** 'parent': the unit asked about (its whole subtree); 'child': one of its direct children. */
  readonly level: 'parent' | 'child';
  readonly received: number;
  readonly dispatched: number;
  readonly acceptedOnTime: number;
  readonly replied: number;
  readonly repliedOnTime: number;
  readonly overdue: number;
  readonly overdueNow: number;
  readonly returned: number;
  readonly extended: number;
  readonly reopened: number;
  readonly escalated: number;
  readonly rated: number;
  readonly satisfied: number;
  readonly basicallySatisfied: number;
  readonly dissatisfied: number;
  /** Petitions not accepted (不予受理). */
  readonly petitionsRejected: number;
  /** Dispatches the unit contested (管辖争议), and the centre's arbitrations of its disputes: for another unit (upheld) or for it (dismissed). */
  readonly disputed: number;
  readonly disputesUpheld: number;
  readonly disputesDismissed: number;
  /** Its appeals against dissatisfied ratings (不满意甄别), and the ratings of the period the centre set aside on appeal. */
  readonly ratingAppeals: number;
  readonly ratingsExcluded: number;
  /** Requests the unit's staff registered (the desk's intake), and those they answered on the spot (当场答复). */
  readonly registered: number;
  readonly answeredDirectly: number;
  /** 签收 asked for: dispatches, forwards and reopens (the response rate's denominator). */
  readonly acceptDue: number;
  /** 答复 due in the period (the resolution rate's denominator). */
  readonly resolutionDue: number;
  readonly responseRate: number | null;
  readonly resolutionRate: number | null;
  readonly satisfactionRate: number | null;
  /** answeredDirectly / registered: the share of its intake a unit answered at once. */
  readonly directAnswerRate: number | null;
  /** Cases whose first dispatch went to the unit in the period. */
  readonly firstDispatched: number;
  /** Of those, the ones no return (退单) or re-dispatch has undone since. */
  readonly firstDispatchKept: number;
  /** Of those first dispatches, the ones the routing made at intake. */
  readonly autoDispatched: number;
  /** firstDispatchKept / firstDispatched. */
  readonly firstDispatchAccuracy: number | null;
  /** autoDispatched / firstDispatched. */
  readonly autoDispatchRate: number | null;
}

/** Which part of a period the daily rollups answer, and which parts are counted from the events. */
export interface PeriodSplit {
  /** Whole days [fromDay, toDay) (Asia/Shanghai dates) read from the rollups, or null. */
  readonly rollup: { readonly fromDay: string; readonly toDay: string } | null;
  /** At most two time ranges [start, end) counted from the events: the edges of the period, and the days not sealed yet. */
  readonly live: readonly (readonly [Date, Date])[];
}

const DAY_MS = 86_400_000;
// Asia/Shanghai has kept UTC+8, without daylight saving, since 1991: a day starts at 16:00 UTC.
const SHANGHAI_MS = 8 * 3_600_000;
const floorDay = (ms: number): number => Math.floor((ms + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;
const ceilDay = (ms: number): number => Math.ceil((ms + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;
const shanghaiDate = (ms: number): string => new Date(ms + SHANGHAI_MS).toISOString().slice(0, 10);

/** Splits [from, to) into the whole sealed days the rollups hold and the rest (pure; exported for tests). */
export function splitPeriod(from: Date, to: Date, sealedUntil: Date): PeriodSplit {
  const start = ceilDay(from.getTime());
  const end = Math.min(floorDay(to.getTime()), sealedUntil.getTime());
  if (start >= end) return { rollup: null, live: [[from, to]] };
  const live: (readonly [Date, Date])[] = [];
  if (from.getTime() < start) live.push([from, new Date(start)]);
  if (end < to.getTime()) live.push([new Date(end), to]);
  return { rollup: { fromDay: shanghaiDate(start), toDay: shanghaiDate(end) }, live };
}

/** The whole Asia/Shanghai days inside [from, to), and the partial days left at its ends. */
export interface WholeDays {
  readonly whole: { readonly fromDay: string; readonly toDay: string; readonly from: Date; readonly to: Date } | null;
  readonly edges: readonly (readonly [Date, Date])[];
}

/** Splits [from, to) into its whole days and the partial ones at either end (pure; exported for tests). */
export function wholeDays(from: Date, to: Date): WholeDays {
  const start = ceilDay(from.getTime());
  const end = floorDay(to.getTime());
  if (start >= end) return { whole: null, edges: from < to ? [[from, to]] : [] };
  const edges: (readonly [Date, Date])[] = [];
  if (from.getTime() < start) edges.push([from, new Date(start)]);
  if (end < to.getTime()) edges.push([new Date(end), to]);
  return { whole: { fromDay: shanghaiDate(start), toDay: shanghaiDate(end), from: new Date(start), to: new Date(end) }, edges };
}

const METRICS = EVENT_METRICS.map((m) => m.column);
// Besides the event figures: red cards of the period not answered by its end, cases overdue now,
// and first dispatches of the period undone since. Issue 15's procedures are few enough to count
// from the timeline over any period, not rolled up.
const EXTRA = ['resolution_open', 'overdue_now', 'first_undone', 'disputed', 'disputes_upheld', 'disputes_dismissed', 'rating_appeals', 'ratings_excluded'] as const;
const ALL = [...METRICS, ...EXTRA];
const only = (values: Partial<Record<(typeof ALL)[number], string>>): string => ALL.map((c) => `${values[c] ?? '0'} AS ${c}`).join(', ');
// A reply by the red card's unit to its case, after it and before the end of the period.
const LATER_REPLY = (caseId: string, eventId: string, unit: string): string =>
  `SELECT 1 FROM case_events r WHERE r.case_id = ${caseId} AND r.action = 'reply' AND r.id > ${eventId} AND r.unit_code = ${unit} AND r.created_at < $3`;
const ARRIVALS = (alias: string): string => `${alias}.action IN (${sqlList(ARRIVAL_ACTIONS)})`;

// $1 parent, $2 from, $3 to, $4 sealed until, $5/$6 rollup days, $7..$10 the live ranges; for the
// undone first dispatches, $11/$12 the period's whole days and $13/$14 the same as ISO text (how the
// undoing events record the first dispatch's time), $15..$18 its partial edge days as ISO text;
// $19 the rollup's sums per unit over $5/$6.
const UNIT_STATS_SQL = `
WITH roots AS (
  SELECT u.code, u.path, u.code = $1 AS is_parent FROM units u WHERE u.code = $1 OR u.parent_code = $1
), member AS MATERIALIZED (
  -- Every unit of the parent's subtree under each root it belongs to: its child of the parent, and the parent.
  SELECT u.code AS unit, r.code AS root FROM roots r JOIN units u ON u.path LIKE r.path || '%'
), facts AS (
  -- The sealed days' sums, read once per seal (sealed-sums.ts) and handed in as JSON.
  SELECT r.unit_code, ${only(Object.fromEntries(METRICS.map((c) => [c, `r.${c}`])))}
    FROM jsonb_to_recordset($19::jsonb) AS r(unit_code text, ${METRICS.map((c) => `${c} bigint`).join(', ')})
  UNION ALL
  SELECT unit_code, ${only(Object.fromEntries(METRICS.map((c) => [c, c])))}
    FROM (${countEventsSql('(e.created_at >= $7 AND e.created_at < $8) OR (e.created_at >= $9 AND e.created_at < $10)', false)}) live
  UNION ALL
  -- Red cards (reply overdue) of the period whose case the unit had not answered by its end:
  -- sealed ones know their answer if it came before the seal; the others are looked up. (Units
  -- outside the subtree drop out at the join below; filtering here only misleads the planner.)
  SELECT k.unit_code, ${only({ resolution_open: 'count(*)::int' })}
    FROM stat_red_cards k
   WHERE k.at >= $2 AND k.at < least($3::timestamptz, $4::timestamptz)
     AND (k.answered_at >= $3 OR (k.answered_at IS NULL AND ($3::timestamptz <= $4::timestamptz OR NOT EXISTS (${LATER_REPLY('k.case_id', 'k.event_id', 'k.unit_code')}))))
   GROUP BY k.unit_code
  UNION ALL
  SELECT o.unit_code, ${only({ resolution_open: 'count(*)::int' })}
    FROM case_events o
   WHERE o.action = 'deadline_overdue' AND o.data->>'kind' = 'reply' AND o.created_at >= greatest($2::timestamptz, $4::timestamptz) AND o.created_at < $3
     AND NOT EXISTS (${LATER_REPLY('o.case_id', 'o.id', 'o.unit_code')})
   GROUP BY o.unit_code
  UNION ALL
  SELECT p.unit, ${only({
    disputed: `count(*) FILTER (WHERE p.figure = 'disputed')::int`,
    disputes_upheld: `count(*) FILTER (WHERE p.figure = 'upheld')::int`,
    disputes_dismissed: `count(*) FILTER (WHERE p.figure = 'dismissed')::int`,
    rating_appeals: `count(*) FILTER (WHERE p.figure = 'appealed')::int`,
    ratings_excluded: `count(*) FILTER (WHERE p.figure = 'excluded')::int`,
  })}
    FROM (
      SELECT e.unit_code AS unit, 'disputed' AS figure FROM case_events e WHERE e.action = 'dispute_dispatch' AND e.created_at >= $2 AND e.created_at < $3
      UNION ALL
      SELECT e.data->>'disputedBy', CASE WHEN e.data->>'upheld' = 'true' THEN 'upheld' ELSE 'dismissed' END FROM case_events e WHERE e.action = 'arbitrate_dispute'
         AND e.created_at >= $2 AND e.created_at < $3
      UNION ALL
      SELECT e.data->>'unitCode', 'appealed' FROM case_events e WHERE e.action = 'appeal_rating' AND e.created_at >= $2 AND e.created_at < $3
      UNION ALL
      -- A rating set aside counts out of the period it was given in, whenever the centre decided.
      SELECT e.data->>'unitCode', 'excluded' FROM case_events e WHERE e.action = 'decide_rating_appeal' AND e.data->>'upheld' = 'true'
         AND (e.data->>'ratingAt')::timestamptz >= $2 AND (e.data->>'ratingAt')::timestamptz < $3
    ) p
   GROUP BY p.unit
  UNION ALL
  SELECT u.unit_code, ${only({ first_undone: 'u.n' })}
    FROM (${FIRST_DISPATCHES_UNDONE({ wholeDays: ['$11', '$12'], wholeInstants: ['$13', '$14'], sealedUntil: '$4', edges: [['$15', '$16'], ['$17', '$18']] })}) u
  UNION ALL
  SELECT c.assigned_unit_code, ${only({ overdue_now: 'count(*)::int' })}
    FROM cases c
   WHERE c.assigned_unit_code IS NOT NULL AND c.status IN (${sqlList(OPEN_DEADLINE_STATUSES)})
     AND ((${clockRunningSql('reply')} AND c.reply_by < now()) OR (${clockRunningSql('accept')} AND c.accept_by < now()))
   GROUP BY c.assigned_unit_code
), per_root AS (
  SELECT m.root, ${ALL.map((c) => `sum(f.${c})::int AS ${c}`).join(', ')}
    FROM facts f JOIN member m ON m.unit = f.unit_code
   GROUP BY m.root
), repeats AS MATERIALIZED (
  -- Arrivals into a root's subtree that the case had already reached earlier in the period:
  -- sealed ones from the rollups and the repeat table, minus those whose earlier arrival was
  -- before the period; then the unsealed ones, looked up in the case's timeline.
  SELECT d.root, sum(d.repeats)::int AS n FROM roots r JOIN stat_repeat_days d ON d.root = r.code
   WHERE d.day >= $5::date AND d.day < $6::date GROUP BY d.root
  UNION ALL
  SELECT a.root, count(*)::int FROM roots r JOIN stat_repeat_arrivals a ON a.root = r.code
   WHERE (a.at >= $7 AND a.at < least($8, $4)) OR (a.at >= $9 AND a.at < least($10, $4)) GROUP BY a.root
  UNION ALL
  SELECT a.root, -count(*)::int FROM roots r JOIN stat_repeat_arrivals a ON a.root = r.code
   WHERE a.at >= $2 AND a.at < least($3, $4, $2::timestamptz + interval '1 day') AND a.prev_at < $2 GROUP BY a.root
  UNION ALL
  SELECT a.root, -count(*)::int FROM roots r JOIN stat_repeat_arrivals a ON a.root = r.code
   WHERE a.at - a.prev_at > interval '1 day' AND a.at >= $2::timestamptz + interval '1 day' AND a.at < least($3::timestamptz, $4::timestamptz) AND a.prev_at < $2
   GROUP BY a.root
  UNION ALL
  SELECT r.code, count(*)::int FROM case_events e JOIN member m ON m.unit = e.unit_code JOIN roots r ON r.code = m.root
   WHERE ${ARRIVALS('e')} AND e.created_at >= greatest($2::timestamptz, $4::timestamptz) AND e.created_at < $3
     AND EXISTS (SELECT 1 FROM case_events p JOIN units pu ON pu.code = p.unit_code
                  WHERE p.case_id = e.case_id AND ${ARRIVALS('p')} AND p.id < e.id AND p.created_at >= $2 AND pu.path LIKE r.path || '%')
   GROUP BY r.code
)
SELECT r.code, u.name, u.kind, r.is_parent, ${ALL.map((c) => `COALESCE(pr.${c}, 0) AS ${c}`).join(', ')}, COALESCE(rp.n, 0)::int AS repeats
  FROM roots r JOIN units u ON u.code = r.code
  LEFT JOIN per_root pr ON pr.root = r.code
  LEFT JOIN (SELECT root, sum(n) AS n FROM repeats GROUP BY root) rp ON rp.root = r.code
 ORDER BY r.is_parent DESC, r.path`;

type Row = Record<(typeof ALL)[number] | 'repeats', number> & { code: string; name: string; kind: string; is_parent: boolean };

const rate = (numerator: number, denominator: number): number | null => (denominator === 0 ? null : numerator / denominator);

function toFigures(row: Row): UnitFigures {
  const acceptDue = row.dispatched + row.reopened;
  const resolutionDue = row.replied + row.resolution_open;
  const rated = row.satisfied + row.basically_satisfied + row.dissatisfied;
  return {
    unitCode: row.code,
    name: row.name,
    kind: row.kind,
    level: row.is_parent ? 'parent' : 'child',
    received: acceptDue - row.repeats,
    dispatched: row.dispatched,
    acceptedOnTime: row.accepted_on_time,
    replied: row.replied,
    repliedOnTime: row.replied_on_time,
    overdue: row.overdue,
    overdueNow: row.overdue_now,
    returned: row.returned,
    extended: row.extended,
    reopened: row.reopened,
    escalated: row.escalated,
    rated,
    satisfied: row.satisfied,
    basicallySatisfied: row.basically_satisfied,
    dissatisfied: row.dissatisfied,
    petitionsRejected: row.petitions_rejected,
    disputed: row.disputed,
    disputesUpheld: row.disputes_upheld,
    disputesDismissed: row.disputes_dismissed,
    ratingAppeals: row.rating_appeals,
    ratingsExcluded: row.ratings_excluded,
    registered: row.registered,
    answeredDirectly: row.answered_directly,
    acceptDue,
    resolutionDue,
    responseRate: rate(row.accepted_on_time, acceptDue),
    resolutionRate: rate(row.replied_on_time, resolutionDue),
    // An upheld appeal (不满意甄别) takes the rating out of the rate; it stays in `rated` and `dissatisfied`.
    satisfactionRate: rate(row.satisfied + row.basically_satisfied, Math.max(0, rated - row.ratings_excluded)),
    directAnswerRate: rate(row.answered_directly, row.registered),
    firstDispatched: row.first_dispatched,
    firstDispatchKept: row.first_dispatched - row.first_undone,
    autoDispatched: row.auto_dispatched,
    firstDispatchAccuracy: rate(row.first_dispatched - row.first_undone, row.first_dispatched),
    autoDispatchRate: rate(row.auto_dispatched, row.first_dispatched),
  };
}

// Each unit's sums over the sealed days, read once per seal; a few periods are asked for again and
// again (this week, month, quarter and year; a county's).
const rollupSums = new SealedSums(
  `SELECT unit_code, ${METRICS.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM stat_unit_days WHERE day >= $1::date AND day < $2::date GROUP BY unit_code`,
  32,
);

/**
 * The figures of `parent` (over its whole subtree) and of each of its direct children (each over
 * its own subtree) for [from, to): the sums of the whole sealed days (read once per seal), and one
 * statement over the events for the rest. `sealedUntil` is what sealStatistics returned.
 */
export async function unitStatistics(db: Queryable, parent: string, from: Date, to: Date, sealedUntil: Date): Promise<UnitFigures[]> {
  const split = splitPeriod(from, to, sealedUntil);
  const sums = split.rollup ? await rollupSums.get(db, split.rollup.fromDay, split.rollup.toDay) : '[]';
  const [first, second] = split.live;
  const days = wholeDays(from, to);
  const [edge1, edge2] = days.edges;
  const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;
  const { rows } = await db.query<Row>(UNIT_STATS_SQL, [
    parent, from, to, sealedUntil, split.rollup?.fromDay ?? null, split.rollup?.toDay ?? null,
    first?.[0] ?? null, first?.[1] ?? null, second?.[0] ?? null, second?.[1] ?? null,
    days.whole?.fromDay ?? null, days.whole?.toDay ?? null, iso(days.whole?.from), iso(days.whole?.to),
    iso(edge1?.[0]), iso(edge1?.[1]), iso(edge2?.[0]), iso(edge2?.[1]), sums,
  ]);
  return rows.map(toFigures);
}
