/**
 * The SQL of one simulation batch, as CTE fragments of a single statement. Parameters:
 * $1..$2 the batch's case numbers, $3 the total, $4 the period start, $5 its length in seconds,
 * $6 the cutoff (events after it are not written), $7 the city code, $8 the simulated mark,
 * $9..$17 the mix (units, addresses, matter types, categories, titles, contents, slice start and
 * length of each matter's units, channels).
 *
 * Deadlines are natural-time approximations of the policies (accept 1 day; reply 2 days for a
 * consultation, 7 for other requests, 28 for disclosure, 60 for petitions; an extension adds 7):
 * statistics read the facts recorded on the events, so the calendar does not matter here.
 */

const hours = (x: string): string => `(${x}) * interval '1 hour'`;

// One row per case with every random draw it needs, then its units and flags, then its times.
export const SIMULATION_PLAN_SQL = `
raw AS MATERIALIZED (
  SELECT n, gen_random_uuid() AS id,
         $4::timestamptz + make_interval(secs => (n - 1 + random()) * $5::float8 / $3::int) AS t0,
         1 + floor(random() * cardinality($11::text[]))::int AS mi,
         random() AS ru, random() AS ru2, random() AS rc, random() AS r_fwd, random() AS r_ret, random() AS r_al,
         random() AS r_ext, random() AS r_late, random() AS r_esc, random() AS r_sup, random() AS r_out, random() AS r_sat,
         random() AS r_sat2, random() AS j1, random() AS j2, random() AS j3, random() AS j4, random() AS j5, random() AS j6,
         random() AS j7, random() AS j8
    FROM generate_series($1::int, $2::int) AS n
), unit_pool AS (
  -- Joined by position: subscripting a long text[] parameter walks it from the start every time.
  SELECT * FROM unnest($9::text[], $10::text[]) WITH ORDINALITY AS u (code, address, ix)
), a AS (
  SELECT raw.*, m.type, m.category, m.title, m.content, u1.code AS u1, u1.address, u2.code AS u2,
         -- The county above a township or county department: the three-level path goes through it.
         substring(u1.code from '^([0-9]{6})[0-9-]') AS cty,
         CASE m.type WHEN 'consultation' THEN interval '2 days' WHEN 'petition' THEN interval '60 days'
                     WHEN 'disclosure' THEN interval '28 days' ELSE interval '7 days' END AS lim
    FROM raw CROSS JOIN LATERAL (
      SELECT ($11::text[])[raw.mi] AS type, ($12::text[])[raw.mi] AS category, ($13::text[])[raw.mi] AS title,
             ($14::text[])[raw.mi] AS content,
             ($15::int[])[raw.mi] + floor(raw.ru * ($16::int[])[raw.mi])::int AS ix,
             ($15::int[])[raw.mi] + floor(raw.ru2 * ($16::int[])[raw.mi])::int AS ix2
    ) m
    JOIN unit_pool u1 ON u1.ix = m.ix
    JOIN unit_pool u2 ON u2.ix = m.ix2
), b AS (
  SELECT a.*, q.q,
         a.cty IS NOT NULL AND a.r_fwd < 0.9 AS fwd,
         a.r_ret < 0.04 AND a.u2 <> a.u1 AS ret,
         a.r_al < 0.04 * q.q AS al,
         a.r_esc < 0.05 AS esc,
         a.r_sup < 0.1 AS sup,
         CASE WHEN a.r_out < 0.6 THEN 'rate' WHEN a.r_out < 0.85 THEN 'visit' WHEN a.r_out < 0.97 THEN 'close' ELSE 'none' END AS outcome,
         CASE WHEN a.r_sat < 0.9 - 0.1 * q.q THEN 'satisfied' WHEN a.r_sat < 0.96 - 0.03 * q.q THEN 'basically_satisfied' ELSE 'dissatisfied' END AS sat,
         CASE WHEN a.r_sat2 < 0.7 THEN 'satisfied' ELSE 'basically_satisfied' END AS sat2
    -- How well the county (or city department) works, 0.5 (well) to 1.5: rankings have something to rank.
    FROM a CROSS JOIN LATERAL (SELECT 0.5 + (abs(hashtext(COALESCE(a.cty, a.u1))::bigint) % 1000) / 1000.0 AS q) q
-- The times, in stages: each stage reads the one before as stored columns. (Nested LATERALs
-- would be inlined into one another, re-evaluating every earlier time inside every later one.)
), s1 AS MATERIALIZED (
  SELECT b.*, p.td1, p.td1 + ${hours('0.2 + 5 * b.j2')} AS ta1, p.td1 + ${hours('0.3 + 5 * b.j2 + 2 * b.j3')} AS tf,
         b.t0 + b.lim AS rb0,
         CASE WHEN b.ret THEN b.u2 ELSE b.u1 END AS h,
         CASE WHEN b.fwd THEN b.cty ELSE b.u1 END AS d1,
         -- Where an overdue escalates: the county above, or the city's centre.
         COALESCE(substring(CASE WHEN b.ret THEN b.u2 ELSE b.u1 END from '^([0-9]{6})[0-9-]'), $7::text || '-hotline') AS esc_to
    FROM b CROSS JOIN LATERAL (SELECT b.t0 + (2 + 28 * b.j1) * interval '1 minute' AS td1) p
), s2 AS MATERIALIZED (
  SELECT s1.*, r.tr, r.tr + ${hours('0.5 + 5.5 * s1.j5')} AS tr2
    FROM s1 CROSS JOIN LATERAL (SELECT CASE WHEN s1.fwd THEN s1.tf ELSE s1.td1 END + ${hours('1 + 19 * s1.j4')} AS tr) r
), s3 AS MATERIALIZED (
  SELECT s2.*, d.tdh,
         d.tdh + CASE WHEN s2.al THEN ${hours('25 + 19 * s2.j6')} ELSE ${hours('23 * s2.j6 * s2.j6 * s2.j6')} END AS tah
    FROM s2 CROSS JOIN LATERAL (SELECT CASE WHEN s2.ret THEN s2.tr2 WHEN s2.fwd THEN s2.tf ELSE s2.td1 END AS tdh) d
), s4 AS MATERIALIZED (
  SELECT s3.*, e.ext, e.tq, e.tq + ${hours('1 + 7 * s3.j7')} AS tq2,
         s3.rb0 + CASE WHEN e.ext THEN interval '7 days' ELSE interval '0' END AS rb1
    FROM s3 CROSS JOIN LATERAL (SELECT s3.r_ext < 0.04 AND s3.rb0 > s3.tah + interval '4 hours' AS ext, s3.tah + 0.3 * (s3.rb0 - s3.tah) AS tq) e
), s5 AS MATERIALIZED (
  SELECT s4.*, l.late,
         CASE WHEN l.late THEN greatest(s4.rb1, s4.tah) + ${hours('1 + 71 * s4.j8')}
              ELSE greatest(s4.tah + (0.2 + 0.75 * s4.j8) * (s4.rb1 - s4.tah), CASE WHEN s4.ext THEN s4.tq2 + interval '1 hour' END) END AS tre
    FROM s4 CROSS JOIN LATERAL (SELECT s4.r_late < 0.06 * s4.q OR s4.rb1 <= s4.tah + interval '1 hour' AS late) l
), c AS MATERIALIZED (
  SELECT s5.*, r.trate, s5.tre + ${hours('24 + 48 * s5.j2')} AS tclose,
         r.trate + ${hours('0.5 + 11.5 * s5.j3')} AS ta2,
         r.trate + ${hours('0.5 + 11.5 * s5.j3')} + (0.5 + 2.5 * s5.j4) * interval '1 day' AS tre2,
         r.trate + ${hours('0.5 + 11.5 * s5.j3')} + (0.5 + 2.5 * s5.j4) * interval '1 day' + ${hours('2 + 46 * s5.j5')} AS trate2,
         s5.outcome = 'rate' AND s5.sat = 'dissatisfied' AS dis,
         s5.t0 + 0.8 * (s5.rb1 - s5.t0) AS tw,
         s5.tah + 0.5 * (s5.tre - s5.tah) AS te,
         s5.tah + 0.6 * (s5.tre - s5.tah) AS ts
    FROM s5 CROSS JOIN LATERAL (SELECT s5.tre + ${hours('2 + 46 * s5.j1')} AS trate) r
)`;

const rating = (satisfaction: string, source: string, at: string): string =>
  `jsonb_build_object('satisfaction', ${satisfaction}, 'comment', NULL, 'source', '${source}', 'at', ${at})`;
// The status a deadline event finds the case in (it does not change it).
const statusAt = (at: string): string => `CASE WHEN ${at} >= c.tah THEN 'in_progress' ELSE 'dispatched' END`;

/** One event a simulated case may have: its columns as SQL over the plan row `c`, and when it has it. */
interface EventTemplate {
  readonly at: string;
  readonly action: string;
  readonly from: string;
  readonly to: string;
  readonly unit: string;
  readonly role: string;
  readonly actorUnit?: string;
  readonly note: string;
  readonly data: string;
  readonly public?: boolean;
  readonly when: string;
}

const day = "interval '1 day'";
// A time as the API's events record one in their data (Date.toISOString: UTC, milliseconds).
const isoUtc = (at: string): string => `to_char(${at} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const EVENTS: readonly EventTemplate[] = [
  { at: 'c.t0', action: 'register', from: 'NULL', to: "'registered'", unit: 'NULL', role: 'operator', note: '受理登记', data: "'{}'::jsonb", when: 'true' },
  {
    at: 'c.td1', action: 'dispatch', from: "'registered'", to: "'dispatched'", unit: 'c.d1', role: 'system', note: '已派单', when: 'true',
    data: `jsonb_build_object('ruleId', 'simulated', 'unitCode', c.d1, 'acceptBy', c.td1 + ${day}, 'replyBy', c.rb0, 'first', true)`,
  },
  { at: 'c.ta1', action: 'accept', from: "'dispatched'", to: "'in_progress'", unit: 'c.cty', role: 'handler', actorUnit: 'c.cty', note: '已签收', when: 'c.fwd', data: `jsonb_build_object('acceptBy', c.td1 + ${day}, 'onTime', true)` },
  {
    at: 'c.tf', action: 'forward', from: "'in_progress'", to: "'dispatched'", unit: 'c.u1', role: 'handler', actorUnit: 'c.cty', note: '已转派', when: 'c.fwd',
    data: `jsonb_build_object('unitCode', c.u1, 'fromUnit', c.cty, 'acceptBy', c.tf + ${day}, 'replyBy', c.rb0)`,
  },
  { at: 'c.tr', action: 'return', from: "'dispatched'", to: "'returned'", unit: 'NULL', role: 'handler', actorUnit: 'c.u1', note: '非本单位职责，申请退回', public: false, when: 'c.ret', data: `jsonb_build_object('returnedBy', c.u1, 'firstDispatchAt', ${isoUtc('c.td1')}, 'firstDispatchUnit', c.d1)` },
  {
    at: 'c.tr2', action: 'dispatch', from: "'returned'", to: "'dispatched'", unit: 'c.u2', role: 'supervisor', note: '已重新派单', when: 'c.ret',
    data: `jsonb_build_object('unitCode', c.u2, 'coUnits', '[]'::jsonb, 'acceptBy', c.tr2 + ${day}, 'replyBy', c.rb0)`,
  },
  {
    at: "c.tdh + interval '19.2 hours'", action: 'deadline_warning', from: "'dispatched'", to: "'dispatched'", unit: 'c.h', role: 'system', note: '签收时限即将届满（黄牌预警）',
    public: false, when: "c.tah > c.tdh + interval '19.2 hours'", data: `jsonb_build_object('kind', 'accept', 'due', c.tdh + ${day})`,
  },
  { at: `c.tdh + ${day}`, action: 'deadline_overdue', from: "'dispatched'", to: "'dispatched'", unit: 'c.h', role: 'system', note: '签收已超时（红牌）', public: false, when: 'c.al', data: `jsonb_build_object('kind', 'accept', 'due', c.tdh + ${day})` },
  { at: `c.tdh + ${day}`, action: 'escalate', from: "'dispatched'", to: "'dispatched'", unit: 'c.h', role: 'system', note: '超时升级督办', public: false, when: 'c.al', data: "jsonb_build_object('toUnit', c.esc_to, 'kind', 'accept')" },
  { at: 'c.tah', action: 'accept', from: "'dispatched'", to: "'in_progress'", unit: 'c.h', role: 'handler', actorUnit: 'c.h', note: '已签收', when: 'true', data: `jsonb_build_object('acceptBy', c.tdh + ${day}, 'onTime', NOT c.al)` },
  { at: 'c.tq', action: 'request_extension', from: "'in_progress'", to: "'in_progress'", unit: 'c.h', role: 'handler', actorUnit: 'c.h', note: '需要现场勘查，申请延期', public: false, when: 'c.ext', data: "jsonb_build_object('days', 5, 'unit', 'working_days')" },
  {
    at: 'c.tq2', action: 'approve_extension', from: "'in_progress'", to: "'in_progress'", unit: 'c.h', role: 'supervisor', note: '答复期限已延长', when: 'c.ext',
    data: "jsonb_build_object('days', 5, 'unit', 'working_days', 'replyBy', c.rb1, 'previousReplyBy', c.rb0, 'approvedAs', 'centre')",
  },
  { at: 'c.te', action: 'citizen_escalation', from: "'in_progress'", to: "'in_progress'", unit: 'c.h', role: 'citizen', note: '市民催办', when: 'c.esc', data: "jsonb_build_object('reason', '还没有处理，请尽快')" },
  { at: 'c.ts', action: 'supervise', from: "'in_progress'", to: "'in_progress'", unit: 'c.h', role: 'supervisor', note: '12345热线已督办', when: 'c.sup', data: "jsonb_build_object('instruction', '请尽快办理并答复')" },
  { at: 'c.tw', action: 'deadline_warning', from: statusAt('c.tw'), to: statusAt('c.tw'), unit: 'c.h', role: 'system', note: '办理时限即将届满（黄牌预警）', public: false, when: 'c.tre > c.tw', data: "jsonb_build_object('kind', 'reply', 'due', c.rb1)" },
  { at: 'c.rb1', action: 'deadline_overdue', from: statusAt('c.rb1'), to: statusAt('c.rb1'), unit: 'c.h', role: 'system', note: '办理已超时（红牌）', public: false, when: 'c.late', data: "jsonb_build_object('kind', 'reply', 'due', c.rb1)" },
  { at: 'c.rb1', action: 'escalate', from: statusAt('c.rb1'), to: statusAt('c.rb1'), unit: 'c.h', role: 'system', note: '超时升级督办', public: false, when: 'c.late AND NOT c.al', data: "jsonb_build_object('toUnit', c.esc_to, 'kind', 'reply')" },
  { at: 'c.tre', action: 'reply', from: "'in_progress'", to: "'replied'", unit: 'c.h', role: 'handler', actorUnit: 'c.h', note: '已处理完毕', when: 'true', data: "jsonb_build_object('replyBy', c.rb1, 'onTime', NOT c.late, 'extended', c.ext)" },
  {
    at: 'c.trate', action: 'rate', from: "'replied'", to: "CASE WHEN c.dis THEN 'replied' ELSE 'closed' END", unit: 'c.h', role: 'citizen', note: '市民评价', when: "c.outcome = 'rate'",
    data: `jsonb_build_object('rating', ${rating('c.sat', 'citizen', 'c.trate')}, 'reopened', c.dis, 'needsCentreDecision', false)`,
  },
  { at: 'c.trate', action: 'reopen', from: "'replied'", to: "'dispatched'", unit: 'c.h', role: 'citizen', note: '市民不满意，已重新办理', when: 'c.dis', data: "jsonb_build_object('reason', '问题没有解决', 'reopenCount', 1)" },
  { at: 'c.ta2', action: 'accept', from: "'dispatched'", to: "'in_progress'", unit: 'c.h', role: 'handler', actorUnit: 'c.h', note: '已签收', when: 'c.dis', data: `jsonb_build_object('acceptBy', c.trate + ${day}, 'onTime', c.ta2 <= c.trate + ${day})` },
  {
    at: 'c.tre2', action: 'reply', from: "'in_progress'", to: "'replied'", unit: 'c.h', role: 'handler', actorUnit: 'c.h', note: '已再次处理', when: 'c.dis',
    data: "jsonb_build_object('replyBy', c.trate + c.lim, 'onTime', c.tre2 <= c.trate + c.lim, 'extended', c.ext)",
  },
  {
    at: 'c.trate2', action: 'rate', from: "'replied'", to: "'closed'", unit: 'c.h', role: 'citizen', note: '市民评价', when: 'c.dis',
    data: `jsonb_build_object('rating', ${rating('c.sat2', 'citizen', 'c.trate2')}, 'reopened', false, 'needsCentreDecision', false)`,
  },
  {
    at: 'c.tclose', action: 'close', from: "'replied'", to: "'closed'", unit: 'c.h', role: 'operator', note: '已回访，办结', when: "c.outcome IN ('visit', 'close')",
    data: `CASE WHEN c.outcome = 'visit' THEN jsonb_build_object('rating', ${rating('c.sat', 'return_visit', 'c.tclose')}) ELSE '{}'::jsonb END`,
  },
];

// One branch per template, so that an event's columns are only computed for the cases that have it.
const eventBranch = (e: EventTemplate, ord: number): string =>
  `SELECT c.id AS case_id, ${ord} AS ord, ${e.at} AS at, '${e.action}'::text AS action, ${e.from}::text AS from_status, ${e.to}::text AS to_status,
          ${e.unit}::text AS unit_code, '${e.role}'::text AS actor_role, ${e.actorUnit ?? 'NULL'}::text AS actor_unit, '${e.note}'::text AS note,
          ${e.data} AS data, ${e.public ?? true} AS public
     FROM c WHERE ${e.when} AND ${e.at} <= $6::timestamptz`;

// Every event a case may have; those after the cutoff are not written (their cases stay open).
export const SIMULATED_EVENTS_SQL = `
ev AS MATERIALIZED (
  ${EVENTS.map(eventBranch).join('\n  UNION ALL\n  ')}
), inserted_events AS (
  INSERT INTO case_events (case_id, action, from_status, to_status, actor_role, actor_unit, unit_code, note, data, public, created_at)
  SELECT case_id, action, from_status, to_status, actor_role, actor_unit, unit_code, note, data, public, at
    FROM ev ORDER BY at, ord
  RETURNING 1
)`;

// The case row as its last written event left it, with the deadlines in force at the cutoff.
// Effects whose time has passed are marked applied, so the deadline sweep does not replay them.
export const SIMULATED_CASES_SQL = `
last_event AS (
  SELECT DISTINCT ON (case_id) case_id, to_status, unit_code, at FROM ev ORDER BY case_id, at DESC, ord DESC
), state AS (
  SELECT c.*, l.to_status AS status, l.unit_code AS unit, l.at AS last_at,
         c.dis AND c.trate <= $6 AS reopened,
         CASE WHEN c.dis AND c.trate <= $6 THEN c.trate + interval '1 day' WHEN c.tdh <= $6 THEN c.tdh + interval '1 day' ELSE c.td1 + interval '1 day' END AS accept_by,
         CASE WHEN c.dis AND c.trate <= $6 THEN c.trate + c.lim WHEN c.ext AND c.tq2 <= $6 THEN c.rb1 ELSE c.rb0 END AS reply_by,
         CASE WHEN c.dis AND c.trate <= $6 THEN c.trate ELSE c.t0 END AS reply_from
    FROM c JOIN last_event l ON l.case_id = c.id
), inserted_cases AS (
  INSERT INTO cases (id, case_no, query_code, channel, type, category, title, content, address, division_code, division,
                     citizen, urgency, status, assigned_unit_code, routing, received_at, created_at, updated_at,
                     intake_fingerprint, reopen_count, supervised, accept_by, accept_warn_at, accept_warned_at,
                     accept_overdue_at, reply_by, reply_warn_at, reply_warned_at, reply_overdue_at, extensions, escalated_to,
                     reply, replied_at, rating, last_citizen_escalation_at)
  SELECT s.id, to_char(s.t0 AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('case_no_seq')::text, 7, '0'),
         lpad(floor(random() * 1000000)::int::text, 6, '0'),
         CASE WHEN s.type = 'disclosure' THEN 'online' ELSE ($17::text[])[1 + floor(s.rc * cardinality($17::text[]))::int] END,
         s.type, s.category, s.title, s.content || '（' || s.address || '）', s.address,
         CASE WHEN s.u1 ~ '^[0-9]{9}$' THEN s.u1 ELSE s.cty END,
         jsonb_build_object('countyCode', s.cty, 'townshipCode', CASE WHEN s.u1 ~ '^[0-9]{9}$' THEN s.u1 END, 'source', 'address', 'explanation', 'simulated'),
         jsonb_build_object('name', '市民', 'phone', '138' || lpad(floor(random() * 100000000)::bigint::text, 8, '0')),
         CASE WHEN s.rc < 0.03 THEN 'urgent' ELSE 'normal' END, s.status, s.unit,
         jsonb_build_object('ruleId', 'simulated', 'unitCode', CASE WHEN s.fwd THEN s.cty ELSE s.u1 END),
         s.t0, s.t0, s.last_at, $8::text, s.reopened::int,
         (s.sup AND s.ts <= $6) OR (s.al AND s.tdh + interval '1 day' <= $6) OR (s.late AND s.rb1 <= $6),
         s.accept_by, s.accept_by - interval '4.8 hours', CASE WHEN s.accept_by - interval '4.8 hours' <= $6 THEN s.accept_by - interval '4.8 hours' END,
         CASE WHEN s.accept_by <= $6 THEN s.accept_by END,
         s.reply_by, s.reply_from + 0.8 * (s.reply_by - s.reply_from),
         CASE WHEN s.reply_from + 0.8 * (s.reply_by - s.reply_from) <= $6 THEN s.reply_from + 0.8 * (s.reply_by - s.reply_from) END,
         CASE WHEN s.reply_by <= $6 THEN s.reply_by END,
         CASE WHEN s.ext AND s.tq2 <= $6
              THEN jsonb_build_array(jsonb_build_object('days', 5, 'reason', '需要现场勘查', 'approvedAt', s.tq2, 'previousReplyBy', s.rb0))
              ELSE '[]'::jsonb END,
         CASE WHEN (s.al AND s.tdh + interval '1 day' <= $6) OR (s.late AND s.rb1 <= $6) THEN s.esc_to END,
         CASE WHEN s.status IN ('replied', 'closed') THEN '已处理完毕' END,
         CASE WHEN s.status IN ('replied', 'closed') THEN CASE WHEN s.reopened THEN s.tre2 ELSE s.tre END END,
         CASE WHEN s.outcome = 'rate' AND s.trate <= $6 THEN ${rating("CASE WHEN s.dis AND s.trate2 <= $6 THEN s.sat2 ELSE s.sat END", 'citizen', 's.trate')}
              WHEN s.outcome = 'visit' AND s.tclose <= $6 THEN ${rating('s.sat', 'return_visit', 's.tclose')} END,
         CASE WHEN s.esc AND s.te <= $6 THEN s.te END
    FROM state s
  RETURNING 1
)`;
