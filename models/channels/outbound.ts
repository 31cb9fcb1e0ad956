import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import type { Actor, CaseStatus, Channel, Citizen } from '../cases/case.js';
import type { ActionData } from '../cases/action-catalogue.js';
import { lockCase, writeChange } from '../cases/case-writer.js';

/**
 * The outbox topics that carry news for the citizen, answered through the channel the case came in
 * by (按来源渠道回复). A petition's `case.result_feedback` goes to the receiving unit, not to the
 * citizen; every other topic is internal work.
 */
export const OUTBOUND_TOPICS = ['case.reply', 'case.close', 'case.reopen'] as const;
export type OutboundTopic = (typeof OUTBOUND_TOPICS)[number];

/**
 * The changes of status an Open311 client is told of (its subscription): the citizen's news and the
 * steps of handling in between.
 */
export const OPEN311_STATUS_TOPICS = [...OUTBOUND_TOPICS, 'case.dispatch', 'case.forward', 'case.accept', 'case.return'] as const;

/** The SQL condition of an outbox row the outbound relay still has to claim; migration 011 indexes exactly it. */
export const OUTBOUND_PENDING_SQL = `outbound_synced_at IS NULL AND topic IN (${OPEN311_STATUS_TOPICS.map((t) => `'${t}'`).join(', ')})`;


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
export type DeliveryRecord = {
  readonly [A in DeliveryAction]: { readonly caseId: string; readonly eventId: number; readonly action: A; readonly note: string; readonly data: Omit<ActionData[A], 'eventId'> };
}[DeliveryAction];

const CHANNEL: Actor = { id: null, role: 'channel', unitCode: null };

/**
 * Records an outcome as an internal event plus its outbox row (staff see it live), through the case
 * writer, unless one is already recorded for that event: a job run twice writes it once. The
 * catalogue marks deliveries as annotations: sending a message is not a change of the case, and
 * must not bump its version under a handler who is editing it. Returns whether this call wrote it.
 */
export async function recordDelivery(pool: Pool, delivery: DeliveryRecord): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    // The case row's lock makes the check below exact when two runs of one job race: the second
    // waits, then sees the first's row.
    const record = await lockCase(client, delivery.caseId);
    if (!record) return false;
    const { rowCount } = await client.query(
      `SELECT 1 FROM case_events d WHERE d.case_id = $1 AND d.action = ANY($2::text[]) AND (d.data->>'eventId')::bigint = $3`,
      [delivery.caseId, DELIVERY_ACTIONS, delivery.eventId],
    );
    if (rowCount) return false;
    const { action, note, eventId } = delivery;
    await writeChange(client, record, action, 'channel', CHANNEL, {
      assignedUnit: record.assignedUnit?.code ?? null,
      coUnits: record.coUnits,
      note,
      data: { ...delivery.data, eventId } as ActionData[typeof action],
      public: false,
      set: {},
      deadlinesMoved: false,
    });
    return true;
  });
}
