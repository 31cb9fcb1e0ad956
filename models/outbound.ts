import { withTransaction, type Pool, type Queryable } from '../infra/db.js';
import type { CaseStatus, Channel, Citizen } from './case.js';

/**
 * The outbox topics that carry news for the citizen, answered through the channel the case came in
 * by (按来源渠道回复). A petition's `case.result_feedback` goes to the receiving unit, not to the
 * citizen; every other topic is internal work.
 */
export const OUTBOUND_TOPICS = ['case.reply', 'case.close', 'case.reopen'] as const;
export type OutboundTopic = (typeof OUTBOUND_TOPICS)[number];

/** The timeline entries that record what became of one outbound message; at most one per event. */
export const DELIVERY_ACTIONS = ['reply_delivered', 'reply_delivery_failed', 'reply_delivery_skipped'] as const;
export type DeliveryAction = (typeof DELIVERY_ACTIONS)[number];

/** Everything an outbound message is made of: the event to tell, and how to reach the citizen. */
export interface DeliveryContext {
  readonly eventId: number;
  readonly caseId: string;
  readonly action: string;
  /** The event's public note: the reply itself for `reply`. */
  readonly note: string | null;
  readonly status: CaseStatus;
  readonly unitName: string | null;
  readonly caseNo: string;
  readonly queryCode: string;
  readonly channel: Channel;
  readonly externalId: string | null;
  readonly citizen: Citizen;
  /** What an earlier run already recorded for this event, if anything. */
  readonly outcome: DeliveryAction | null;
}

interface Row {
  id: number;
  case_id: string;
  action: string;
  note: string | null;
  to_status: CaseStatus;
  public: boolean;
  unit_name: string | null;
  case_no: string;
  query_code: string;
  channel: Channel;
  external_id: string | null;
  citizen: Citizen | null;
  outcome: DeliveryAction | null;
}

/** The event as it was written (not the case as it is now: a later action must not change an earlier message). */
export async function loadDelivery(db: Queryable, eventId: number): Promise<DeliveryContext | undefined> {
  const { rows } = await db.query<Row>(
    `SELECT e.id, e.case_id, e.action, e.note, e.to_status, e.public, u.name AS unit_name,
            c.case_no, c.query_code, c.channel, c.external_id, c.citizen,
            (SELECT d.action FROM case_events d
              WHERE d.case_id = e.case_id AND d.action = ANY($2::text[]) AND (d.data->>'eventId')::bigint = e.id
              ORDER BY d.id LIMIT 1) AS outcome
       FROM case_events e JOIN cases c ON c.id = e.case_id LEFT JOIN units u ON u.code = e.unit_code
      WHERE e.id = $1`,
    [eventId, DELIVERY_ACTIONS],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    eventId: r.id,
    caseId: r.case_id,
    action: r.action,
    // Only a public note is the citizen's to read; an internal one is never sent out.
    note: r.public ? r.note : null,
    status: r.to_status,
    unitName: r.unit_name,
    caseNo: r.case_no,
    queryCode: r.query_code.trim(),
    channel: r.channel,
    externalId: r.external_id,
    citizen: r.citizen ?? {},
    outcome: r.outcome,
  };
}

/** One outcome to record on the case's timeline. */
export interface DeliveryRecord {
  readonly caseId: string;
  readonly eventId: number;
  readonly action: DeliveryAction;
  readonly note: string;
  readonly data: Record<string, unknown>;
}

/**
 * Records an outcome as an internal event plus its outbox row (staff see it live), unless one is
 * already recorded for that event: a job run twice writes it once. The case row is locked but not
 * changed — sending a message is not a change of the case, and must not bump its version under a
 * handler who is editing it. Returns whether this call wrote it.
 */
export async function recordDelivery(pool: Pool, record: DeliveryRecord): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    // The case row's lock, as every writer of a case's outbox rows holds it: the socket relay relies
    // on one case's rows committing in id order. It also makes the check below exact when two runs
    // of one job race (the second waits, then sees the first's row).
    await client.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [record.caseId]);
    const { rowCount } = await client.query(
      `WITH e AS (
         INSERT INTO case_events (case_id, action, from_status, to_status, actor_role, unit_code, note, data, public)
         SELECT c.id, $2, c.status, c.status, 'system', c.assigned_unit_code, $3, $4, false FROM cases c
          WHERE c.id = $1
            AND NOT EXISTS (SELECT 1 FROM case_events d
                             WHERE d.case_id = $1 AND d.action = ANY($5::text[]) AND (d.data->>'eventId')::bigint = $6)
         RETURNING id, case_id, to_status, unit_code
       )
       INSERT INTO outbox (case_id, event_id, topic, payload)
       SELECT e.case_id, e.id, 'case.' || $2, jsonb_build_object('caseId', e.case_id, 'eventId', e.id, 'status', e.to_status,
                                                                 'unitCode', e.unit_code, 'previousUnit', e.unit_code)
         FROM e`,
      [record.caseId, record.action, record.note, { ...record.data, eventId: record.eventId }, DELIVERY_ACTIONS, record.eventId],
    );
    return (rowCount ?? 0) > 0;
  });
}
