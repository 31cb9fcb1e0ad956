import type { Queryable } from '../../infra/db.js';
import type { Actor, CaseEvent, CaseRecord, CaseStatus, CaseType, Channel, Citizen, DivisionInfo, GrantedExtension, PendingExtension, ProperChannel, Urgency } from './case.js';
import { CATALOGUE } from './action-catalogue.js';
import type { Dispute, RatingAppeal, ThirdPartyOpinion } from '../procedures/procedure-state.js';

interface CaseRow {
  id: string;
  case_no: string;
  query_code: string;
  channel: Channel;
  external_id: string | null;
  type: CaseType;
  category: string | null;
  title: string | null;
  content: string;
  address: string | null;
  division_code: string | null;
  division: DivisionInfo | null;
  citizen: Citizen;
  urgency: Urgency;
  status: CaseStatus;
  assigned_unit_code: string | null;
  assigned_unit_name: string | null;
  co_units?: string[];
  routing: Record<string, unknown> | null;
  received_at: Date;
  created_at: Date;
  updated_at: Date;
  created_by: string | null;
  intake_fingerprint: string | null;
  reopen_count: number;
  supervised: boolean;
  version: number;
  accept_by?: Date | null;
  accept_warn_at?: Date | null;
  accept_overdue_at?: Date | null;
  reply_by?: Date | null;
  reply_warn_at?: Date | null;
  reply_overdue_at?: Date | null;
  accept_provisional?: boolean;
  reply_provisional?: boolean;
  deadline_version?: number;
  deadline_policy?: Record<string, unknown> | null;
  clock_paused_at?: Date | null;
  pending_extension?: PendingExtension | null;
  extensions?: GrantedExtension[];
  escalated_to?: string | null;
  reply?: string | null;
  replied_at?: Date | null;
  rating?: CaseRecord['rating'];
  last_citizen_escalation_at?: Date | null;
  received_by_unit?: string | null;
  review_requested_at?: Date | null;
  petition_decision?: 'accepted' | 'rejected' | null;
  proper_channel?: ProperChannel | null;
  review_level?: number;
  concluded_case_id?: string | null;
  merged_into?: string | null;
  disclosure_outcome?: string | null;
  disclosure_ground?: string | null;
  legal_basis?: string | null;
  third_party_opinion?: ThirdPartyOpinion | null;
  dispute?: Dispute | null;
  arbitrate_by?: Date | null;
  arbitrate_warn_at?: Date | null;
  arbitrate_overdue_at?: Date | null;
  third_party_by?: Date | null;
  third_party_warn_at?: Date | null;
  third_party_overdue_at?: Date | null;
  third_party_provisional?: boolean;
  arbitrate_provisional?: boolean;
  arbitrated_unit?: string | null;
  rating_appeal?: RatingAppeal | null;
}

/**
 * The columns of `cases` a CaseRecord is read from, named rather than `c.*`: a statement prepared
 * once per connection keeps its result type when a migration adds a column, where `*` would make
 * PostgreSQL refuse it ("cached plan must not change result type"). A key missing here or extra is
 * a type error.
 */
const CASE_ROW_COLUMNS: Record<Exclude<keyof CaseRow, 'assigned_unit_name'>, true> = {
  id: true, case_no: true, query_code: true, channel: true, external_id: true, type: true,
  category: true, title: true, content: true, address: true, division_code: true, division: true,
  citizen: true, urgency: true, status: true, assigned_unit_code: true, co_units: true,
  routing: true, received_at: true, created_at: true, updated_at: true, created_by: true,
  intake_fingerprint: true, reopen_count: true, supervised: true, version: true, accept_by: true,
  accept_warn_at: true, accept_overdue_at: true, reply_by: true, reply_warn_at: true,
  reply_overdue_at: true, accept_provisional: true, reply_provisional: true,
  deadline_version: true, deadline_policy: true, clock_paused_at: true, pending_extension: true,
  extensions: true, escalated_to: true, reply: true, replied_at: true, rating: true,
  last_citizen_escalation_at: true, received_by_unit: true, review_requested_at: true,
  petition_decision: true, proper_channel: true, review_level: true, concluded_case_id: true,
  merged_into: true, disclosure_outcome: true, disclosure_ground: true, legal_basis: true,
  third_party_opinion: true, dispute: true, arbitrate_by: true, arbitrate_warn_at: true,
  arbitrate_overdue_at: true, third_party_by: true, third_party_warn_at: true,
  third_party_overdue_at: true, third_party_provisional: true, arbitrate_provisional: true,
  arbitrated_unit: true, rating_appeal: true,
};
const CASE_ROW_COLUMN_NAMES = Object.keys(CASE_ROW_COLUMNS);

/** The SELECT list that every case read uses, so that all reads map the same way. */
export const CASE_COLUMNS = `${CASE_ROW_COLUMN_NAMES.map((column) => `c.${column}`).join(', ')}, u.name AS assigned_unit_name`;
export const CASE_FROM = `cases c LEFT JOIN units u ON u.code = c.assigned_unit_code`;

/** Maps a `cases` row (joined with its unit's name) to a CaseRecord. */
export function toCaseRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    caseNo: row.case_no,
    queryCode: row.query_code,
    channel: row.channel,
    externalId: row.external_id,
    type: row.type,
    category: row.category,
    title: row.title,
    content: row.content,
    address: row.address,
    divisionCode: row.division_code,
    division: row.division,
    citizen: row.citizen,
    urgency: row.urgency,
    status: row.status,
    assignedUnit: row.assigned_unit_code ? { code: row.assigned_unit_code, name: row.assigned_unit_name ?? row.assigned_unit_code } : null,
    coUnits: row.co_units ?? [],
    routing: row.routing,
    receivedAt: row.received_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
    intakeFingerprint: row.intake_fingerprint,
    reopenCount: row.reopen_count,
    supervised: row.supervised,
    version: row.version,
    deadlines: {
      acceptBy: row.accept_by ?? null,
      acceptWarnAt: row.accept_warn_at ?? null,
      acceptOverdueAt: row.accept_overdue_at ?? null,
      replyBy: row.reply_by ?? null,
      replyWarnAt: row.reply_warn_at ?? null,
      replyOverdueAt: row.reply_overdue_at ?? null,
      acceptProvisional: row.accept_provisional ?? false,
      replyProvisional: row.reply_provisional ?? false,
      version: row.deadline_version ?? 1,
      policy: row.deadline_policy ?? null,
      pausedAt: row.clock_paused_at ?? null,
      pendingExtension: row.pending_extension ?? null,
      extensions: row.extensions ?? [],
      arbitrateBy: row.arbitrate_by ?? null,
      arbitrateWarnAt: row.arbitrate_warn_at ?? null,
      arbitrateOverdueAt: row.arbitrate_overdue_at ?? null,
      arbitrateProvisional: row.arbitrate_provisional ?? false,
      thirdPartyBy: row.third_party_by ?? null,
      thirdPartyWarnAt: row.third_party_warn_at ?? null,
      thirdPartyOverdueAt: row.third_party_overdue_at ?? null,
      thirdPartyProvisional: row.third_party_provisional ?? false,
    },
    escalatedTo: row.escalated_to ?? null,
    reply: row.reply ?? null,
    repliedAt: row.replied_at ?? null,
    rating: row.rating ?? null,
    lastCitizenEscalationAt: row.last_citizen_escalation_at ?? null,
    receivedByUnit: row.received_by_unit ?? null,
    reviewRequestedAt: row.review_requested_at ?? null,
    petition: {
      decision: row.petition_decision ?? null,
      properChannel: row.proper_channel ?? null,
      reviewLevel: row.review_level ?? 0,
      concludedCaseId: row.concluded_case_id ?? null,
    },
    mergedInto: row.merged_into ?? null,
    disclosure: row.disclosure_outcome ? { outcome: row.disclosure_outcome, ground: row.disclosure_ground ?? null, legalBasis: row.legal_basis ?? null } : null,
    procedures: {
      thirdPartyOpinion: row.third_party_opinion ?? null,
      dispute: row.dispute ?? null,
      arbitratedUnit: row.arbitrated_unit ?? null,
      ratingAppeal: row.rating_appeal ?? null,
    },
  };
}

/** The dispatch made at intake: by the routing rules, or by the operator choosing the unit (manual). */
export interface IntakeDispatch {
  readonly unitCode: string;
  readonly note: string;
  readonly data: Record<string, unknown>;
  /** The operator's own choice: the dispatch event is theirs, not the system's. */
  readonly manual?: boolean;
  readonly coUnits?: readonly string[];
}

/** What intake knows about a new case before it is stored. */
export interface NewCase {
  readonly queryCode: string;
  readonly channel: Channel;
  readonly externalId: string | null;
  readonly type: CaseType;
  readonly category: string | null;
  readonly title: string | null;
  readonly content: string;
  readonly address: string | null;
  readonly divisionCode: string | null;
  readonly division: DivisionInfo;
  readonly citizen: Citizen;
  readonly urgency: Urgency;
  readonly receivedAt: Date | null;
  readonly idempotencyKey: string | null;
  readonly intakeFingerprint: string;
  readonly eventNote: string;
  /** What the register event records beyond its note (e.g. why the receipt time is long past). */
  readonly eventData: Record<string, unknown>;
  readonly routing: Record<string, unknown> | null;
  readonly dispatch: IntakeDispatch | null;
  readonly deadlines: IntakeDeadlines;
  readonly receivedByUnit: string;
  /** The concluded petition this one repeats (信访事项终结), flagged at intake. */
  readonly concludedCaseId: string | null;
}

/** The deadlines a new case starts with: reply from receipt, accept from the automatic dispatch. */
export interface IntakeDeadlines {
  readonly replyBy: Date;
  readonly replyWarnAt: Date;
  readonly acceptBy: Date | null;
  readonly acceptWarnAt: Date | null;
  readonly replyProvisional: boolean;
  readonly acceptProvisional: boolean;
  readonly policy: Record<string, unknown>;
}

/**
 * Stores a new case with its events (registration, and the rule's dispatch when one matched) and
 * their outbox rows in one statement: one round trip, one transaction. Returns undefined when the
 * channel's message id or the caller's idempotency key is already taken: the caller then reads
 * the existing case.
 */
export async function insertRegisteredCase(db: Queryable, c: NewCase, actor: Actor): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>({
    // Prepared once per connection: planning this statement cost 0.6-0.8 ms of PostgreSQL's CPU a case.
    name: 'insert-registered-case',
    text: `WITH c AS (
       INSERT INTO cases (case_no, query_code, channel, external_id, type, category, title, content, address,
                          division_code, division, citizen, urgency, status, assigned_unit_code, routing,
                          received_at, created_by, idempotency_key, intake_fingerprint,
                          reply_by, reply_warn_at, accept_by, accept_warn_at, deadline_policy, received_by_unit,
                          reply_provisional, accept_provisional, concluded_case_id, co_units)
       SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(n::text, greatest(7, length(n::text)), '0'),
              $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
              CASE WHEN $19::text IS NULL THEN 'registered' ELSE 'dispatched' END, $19, $20,
              -- Never later than the database clock: a letter is received before it is entered.
              LEAST(COALESCE($13::timestamptz, now()), now()), $14, $15, $23, $24, $25, $26, $27, $28, $29, $30, $31, $34, $35
         FROM nextval('case_no_seq') AS n
       ON CONFLICT DO NOTHING
       RETURNING ${CASE_ROW_COLUMN_NAMES.join(', ')}
     ), e AS (
       INSERT INTO case_events (case_id, action, from_status, to_status, actor_id, actor_role, actor_unit, unit_code, note, data, public)
       SELECT c.id, v.action, v.from_status, v.to_status, v.actor_id, v.actor_role, v.actor_unit, v.unit_code, v.note, v.data, true
         FROM c CROSS JOIN (VALUES
           (1, 'register', NULL, 'registered', $14::uuid, $16, $17, NULL, $18, $33::jsonb),
           (2, 'dispatch', 'registered', 'dispatched', CASE WHEN $32::boolean THEN $14::uuid END,
            CASE WHEN $32::boolean THEN $16 ELSE 'system' END, CASE WHEN $32::boolean THEN $17 END, $19, $21, $22::jsonb)
         ) AS v (ord, action, from_status, to_status, actor_id, actor_role, actor_unit, unit_code, note, data)
        WHERE v.ord = 1 OR c.assigned_unit_code IS NOT NULL
        ORDER BY v.ord
       RETURNING id, case_id, action, to_status, unit_code
     ), o AS (
       INSERT INTO outbox (case_id, event_id, topic, payload)
       SELECT e.case_id, e.id, CASE e.action WHEN 'register' THEN '${CATALOGUE.register.topic}' ELSE '${CATALOGUE.dispatch.topic}' END,
              jsonb_build_object('caseId', e.case_id, 'eventId', e.id, 'status', e.to_status, 'unitCode', e.unit_code)
         FROM e ORDER BY e.id
     )
     SELECT c.*, u.name AS assigned_unit_name FROM c LEFT JOIN units u ON u.code = c.assigned_unit_code`,
    values: [
      c.queryCode, c.channel, c.externalId, c.type, c.category, c.title, c.content, c.address,
      c.divisionCode, c.division, c.citizen, c.urgency, c.receivedAt, actor.id, c.idempotencyKey,
      actor.role, actor.unitCode, c.eventNote, c.dispatch?.unitCode ?? null, c.routing,
      c.dispatch?.note ?? null, c.dispatch?.data ?? {}, c.intakeFingerprint,
      c.deadlines.replyBy, c.deadlines.replyWarnAt, c.deadlines.acceptBy, c.deadlines.acceptWarnAt, c.deadlines.policy,
      c.receivedByUnit, c.deadlines.replyProvisional, c.deadlines.acceptProvisional, c.dispatch?.manual === true, c.eventData,
      c.concludedCaseId,
      c.dispatch?.coUnits ?? [],
    ],
  });
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** Finds the case a channel already delivered under this message id. */
export async function findCaseByExternalId(db: Queryable, channel: Channel, externalId: string): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.channel = $1 AND c.external_id = $2`, [channel, externalId]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** Finds the case this staff member already created under this idempotency key. */
export async function findCaseByIdempotencyKey(db: Queryable, createdBy: string, key: string): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.created_by = $1 AND c.idempotency_key = $2`, [createdBy, key]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** Reads one case by id. */
export async function findCaseById(db: Queryable, id: string): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.id = $1`, [id]);
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** Reads one case by number and query code together, so a wrong code looks exactly like no case. */
export async function findCaseByNumberAndCode(db: Queryable, caseNo: string, code: string): Promise<CaseRecord | undefined> {
  const { rows } = await db.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.case_no = $1 AND c.query_code = $2`,
    [caseNo, code],
  );
  return rows[0] ? toCaseRecord(rows[0]) : undefined;
}

/** A `case_events` row as PostgreSQL returns it. */
export interface EventRow {
  id: number;
  case_id: string;
  action: string;
  from_status: CaseStatus | null;
  to_status: CaseStatus;
  actor_id: string | null;
  actor_role: string;
  actor_unit: string | null;
  unit_code: string | null;
  note: string | null;
  data: Record<string, unknown>;
  public: boolean;
  created_at: Date;
}

/** Maps a timeline row to the event every reader (the API, the socket relay) uses. */
export function toCaseEvent(row: EventRow): CaseEvent {
  return {
    id: row.id,
    caseId: row.case_id,
    action: row.action,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    actorUnit: row.actor_unit,
    unitCode: row.unit_code,
    note: row.note,
    data: row.data,
    public: row.public,
    createdAt: row.created_at,
  };
}

/** A case's timeline in order; citizens get the public entries only. */
export async function listCaseEvents(db: Queryable, caseId: string, options: { publicOnly: boolean; afterId?: number }): Promise<CaseEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT * FROM case_events WHERE case_id = $1 AND ($2::boolean IS FALSE OR public) AND id > $3 ORDER BY id`,
    [caseId, options.publicOnly, options.afterId ?? 0],
  );
  return rows.map(toCaseEvent);
}
