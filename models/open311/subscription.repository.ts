import crypto from 'node:crypto';
import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import { recordAudit } from '../accounts/audit.repository.js';

/** A client's callback for status changes of the requests it filed. */
export interface Open311Subscription {
  readonly id: string;
  readonly clientId: string;
  readonly callbackUrl: string;
  readonly createdAt: Date;
}

interface SubscriptionRow {
  id: string;
  client_id: string;
  callback_url: string;
  secret: string;
  created_at: Date;
}

const toSubscription = (r: SubscriptionRow): Open311Subscription => ({ id: r.id, clientId: r.client_id, callbackUrl: r.callback_url, createdAt: r.created_at });

/**
 * Registers the client's callback, replacing any earlier one, with a new signing secret that is
 * returned here once.
 */
export async function subscribe(pool: Pool, clientId: string, callbackUrl: string): Promise<{ subscription: Open311Subscription; secret: string }> {
  const secret = crypto.randomBytes(32).toString('base64url');
  return withTransaction(pool, async (tx) => {
    await tx.query('UPDATE open311_subscriptions SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL', [clientId]);
    const { rows } = await tx.query<SubscriptionRow>(
      'INSERT INTO open311_subscriptions (client_id, callback_url, secret) VALUES ($1, $2, $3) RETURNING *',
      [clientId, callbackUrl, secret],
    );
    const subscription = toSubscription(rows[0] as SubscriptionRow);
    await recordAudit(tx, { actorId: null, action: 'open311_subscription.create', subjectType: 'open311_client', subjectId: clientId, after: { subscriptionId: subscription.id, callbackUrl } });
    return { subscription, secret };
  });
}

/** Ends the client's subscription; false when it had none. */
export async function unsubscribe(pool: Pool, clientId: string): Promise<boolean> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>('UPDATE open311_subscriptions SET revoked_at = now() WHERE client_id = $1 AND revoked_at IS NULL RETURNING id', [clientId]);
    if (!rows[0]) return false;
    await recordAudit(tx, { actorId: null, action: 'open311_subscription.revoke', subjectType: 'open311_client', subjectId: clientId, before: { subscriptionId: rows[0].id } });
    return true;
  });
}

/** The client's active subscription, if any. */
export async function findSubscription(db: Queryable, clientId: string): Promise<Open311Subscription | undefined> {
  const { rows } = await db.query<SubscriptionRow>('SELECT * FROM open311_subscriptions WHERE client_id = $1 AND revoked_at IS NULL', [clientId]);
  return rows[0] ? toSubscription(rows[0]) : undefined;
}

/**
 * Of these events, those that tell a subscribed client of a status change of a request it filed:
 * public events that moved the case from one status to another. What the filing's own transaction
 * wrote (registration, and dispatch by the rules) is the answer to the client's POST, not news.
 */
export async function eventsToNotify(db: Queryable, eventIds: readonly number[]): Promise<{ eventId: number; caseId: string }[]> {
  if (eventIds.length === 0) return [];
  const { rows } = await db.query<{ id: number; case_id: string }>(
    `SELECT e.id, e.case_id FROM case_events e
       JOIN cases c ON c.id = e.case_id
       JOIN open311_requests r ON r.case_id = e.case_id
       JOIN open311_subscriptions s ON s.client_id = r.client_id AND s.revoked_at IS NULL
      WHERE e.id = ANY($1::bigint[]) AND e.public AND e.from_status <> e.to_status AND e.created_at > c.created_at`,
    [eventIds],
  );
  return rows.map((r) => ({ eventId: Number(r.id), caseId: r.case_id }));
}

/** What a notification job needs: where to send, how to sign, and whether it was already settled. */
export interface NotificationTarget {
  readonly subscriptionId: string;
  readonly callbackUrl: string;
  readonly secret: string;
  readonly caseNo: string;
  readonly settled: boolean;
}

/** The subscription in force now for the case's client (none once revoked: nothing is sent). */
export async function loadNotificationTarget(db: Queryable, eventId: number): Promise<NotificationTarget | undefined> {
  const { rows } = await db.query<{ id: string; callback_url: string; secret: string; case_no: string; settled: boolean }>(
    `SELECT s.id, s.callback_url, s.secret, c.case_no,
            EXISTS (SELECT 1 FROM open311_deliveries d WHERE d.event_id = e.id AND d.subscription_id = s.id) AS settled
       FROM case_events e JOIN cases c ON c.id = e.case_id
       JOIN open311_requests r ON r.case_id = e.case_id
       JOIN open311_subscriptions s ON s.client_id = r.client_id AND s.revoked_at IS NULL
      WHERE e.id = $1`,
    [eventId],
  );
  const r = rows[0];
  return r ? { subscriptionId: r.id, callbackUrl: r.callback_url, secret: r.secret, caseNo: r.case_no, settled: r.settled } : undefined;
}

/** Records the outcome of a notification once; a second record for the same event is ignored. */
export async function recordNotification(db: Queryable, entry: { eventId: number; subscriptionId: string; outcome: 'delivered' | 'failed'; attempts: number; error?: string }): Promise<void> {
  await db.query(
    `INSERT INTO open311_deliveries (event_id, subscription_id, outcome, attempts, error) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (event_id, subscription_id) DO NOTHING`,
    [entry.eventId, entry.subscriptionId, entry.outcome, entry.attempts, entry.error ?? null],
  );
}
