import { UnrecoverableError, type Job } from 'bullmq';
import { signBody } from '../api/channels/signature.js';
import { presentRequest, presentUpdates } from '../api/open311/open311.presenter.js';
import { deIdentifyOptional } from '../models/privacy/de-identify.js';
import { presentPublicEvent } from '../api/public/public-case.presenter.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { listCaseEvents } from '../models/cases/case.repository.js';
import { findOpen311CaseById } from '../models/open311/request.repository.js';
import { loadNotificationTarget, recordNotification } from '../models/open311/subscription.repository.js';
import { DeliveryError, postJson, RecordedFailure, type SendOptions } from './outbound-adapters.js';
import { open311NotifyJobId, type Open311NotifyJobData, type OutboundOutcome } from './outbound.queue.js';

/**
 * The body a subscriber gets: the update (this event, as the updates extension shows it) and the
 * request as it reads now, both de-identified like the citizen view.
 */
async function notificationBody(pool: Pool, caseId: string, eventId: number): Promise<Record<string, unknown> | undefined> {
  const item = await findOpen311CaseById(pool, caseId);
  if (!item) return undefined;
  const events = await listCaseEvents(pool, caseId, { publicOnly: true });
  const event = events.find((e) => e.id === eventId);
  if (!event) return undefined;
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM units WHERE code = $1', [item.record.divisionCode]);
  const [update] = presentUpdates(item.record.caseNo, [presentPublicEvent(event)]);
  return { event_id: eventId, update, request: presentRequest(item, rows[0]?.name ?? null) };
}

/**
 * POSTs one status change to the subscriber, signed as the project's webhooks are:
 * `X-Timestamp: <unix seconds>` and `X-Signature: sha256=<hex HMAC of "<timestamp>.<body>">`.
 * At least once, like every outbound message: subscribers dedupe by `event_id` (also the
 * Idempotency-Key). The outcome is recorded once, after the last attempt.
 */
export async function processOpen311Notification(pool: Pool, job: Job<Open311NotifyJobData>, log: Logger, sendOptions: SendOptions): Promise<OutboundOutcome> {
  const { eventId, caseId } = job.data;
  const target = await loadNotificationTarget(pool, eventId);
  // Unsubscribed or revoked since: nothing more goes to that callback.
  if (!target) return 'skipped';
  if (target.settled) return 'already_recorded';
  const payload = await notificationBody(pool, caseId, eventId);
  if (!payload) throw new UnrecoverableError(`event ${eventId} is not a public event of an Open311 case`);
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const made = job.attemptsMade + 1;
  try {
    await postJson(target.callbackUrl, body, { 'x-timestamp': timestamp, 'x-signature': signBody(target.secret, `${timestamp}.${body}`), 'idempotency-key': open311NotifyJobId(eventId) }, sendOptions);
  } catch (error) {
    const permanent = error instanceof DeliveryError && error.permanent;
    if (!permanent && made < (job.opts.attempts ?? 1)) throw error;
    const reason = deIdentifyOptional(error instanceof Error ? error.message : String(error)) ?? '';
    await recordNotification(pool, { eventId, subscriptionId: target.subscriptionId, outcome: 'failed', attempts: made, error: reason });
    log.error({ caseId, eventId, caseNo: target.caseNo, attempts: made, error: reason }, 'open311 notification failed for good');
    throw new RecordedFailure(reason);
  }
  await recordNotification(pool, { eventId, subscriptionId: target.subscriptionId, outcome: 'delivered', attempts: made });
  return 'delivered';
}
