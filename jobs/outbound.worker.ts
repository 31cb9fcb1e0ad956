import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { deIdentifyOptional } from '../models/privacy/de-identify.js';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { loadDelivery, recordDelivery, type DeliveryContext } from '../models/channels/outbound.js';
import { DeliveryError, postSigned, RecordedFailure, sendMail, type SendOptions } from './outbound-adapters.js';
import { createOutboundGuard } from '../infra/outbound-guard.js';
import { composeNotice, emailMessage, smsText, webhookPayload } from './outbound-message.js';
import { resolveRoute, type Route } from './outbound-route.js';
import { processOpen311Notification } from './open311-notify.js';
import { isOutboundJobData, OPEN311_NOTIFY_JOB, OUTBOUND_JOB, OUTBOUND_QUEUE, outboundJobId, type Open311NotifyJobData, type OutboundJobData, type OutboundJobName, type OutboundOutcome } from './outbound.queue.js';

/** Messages in flight per process: each mostly waits on a receiver, holding no database connection. */
export const OUTBOUND_WORKER_CONCURRENCY = 4;

type OutboundJob = Job<OutboundJobData | Open311NotifyJobData, OutboundOutcome, OutboundJobName>;

/** How the worker runs. */
export interface OutboundWorkerOptions {
  readonly concurrency?: number;
  /** How long one receiver may take to answer. */
  readonly sendTimeoutMs?: number;
  /** Hosts an admin-set destination may name although they resolve to internal addresses (OUTBOUND_ALLOW_HOSTS). */
  readonly outboundAllowHosts?: readonly string[];
}

const CHANNEL_NAMES: Readonly<Record<Route['channel'], string>> = { microblog: '政务微博', wechat: '政务微信', web_qa: '网上问政', mailbox: '电子邮件', hotline: '短信' };

/** Sends the notice along its route; throws DeliveryError when it did not get through. */
async function send(route: Route, d: DeliveryContext, options: SendOptions): Promise<void> {
  const notice = composeNotice(d);
  const key = outboundJobId(d.eventId);
  switch (route.via) {
    case 'webhook':
      await postSigned(route.url, route.secret, webhookPayload(notice, route.messageId), key, options);
      return;
    case 'sms':
      await postSigned(route.url, route.secret, { to: route.phone, text: smsText(notice), caseNo: notice.caseNo, eventId: notice.eventId }, key, options);
      return;
    case 'email':
      return sendMail(route.smtp, route.password, { to: route.address, ...emailMessage(notice) }, options);
  }
}

/**
 * Delivers the news of one event. At least once, not exactly once: the outcome is checked before
 * sending and recorded after, so a worker killed between the two (or a database that refuses the
 * record) makes the retry send again. No protocol here — HTTP, SMTP, an SMS gateway — can take a
 * message and our record in one transaction; receivers dedupe by caseNo + eventId (in every
 * payload, and as the Idempotency-Key header). The timeline, though, gets exactly one outcome.
 */
async function processOutboundJob(pool: Pool, job: OutboundJob, log: Logger, sendOptions: SendOptions): Promise<OutboundOutcome> {
  if (job.name === OPEN311_NOTIFY_JOB) return processOpen311Notification(pool, job as Job<Open311NotifyJobData>, log, sendOptions);
  if (job.name !== OUTBOUND_JOB) throw new UnrecoverableError(`unknown outbound job ${job.name}`);
  if (!isOutboundJobData(job.data)) throw new UnrecoverableError('outbound job without a valid reference');
  const d = await loadDelivery(pool, job.data.eventId);
  if (!d) throw new UnrecoverableError(`event ${job.data.eventId} does not exist`);
  if (d.outcome) return 'already_recorded';
  const record = { caseId: d.caseId, eventId: d.eventId };
  const route = await resolveRoute(pool, d);
  if (route.via === 'none') {
    // Retrying cannot configure a channel: recorded once, so that staff know to phone instead.
    const note = route.reason === 'no_contact' ? '市民未留联系方式，未能按来源渠道告知' : '来源渠道未配置回复方式，未能告知市民';
    await recordDelivery(pool, { ...record, action: 'reply_delivery_skipped', note, data: { channel: d.channel, reason: route.reason, needs: route.needs } });
    return 'skipped';
  }
  const attempts = job.opts.attempts ?? 1;
  try {
    await send(route, d, sendOptions);
  } catch (error) {
    const permanent = error instanceof DeliveryError && error.permanent;
    if (!permanent && job.attemptsMade + 1 < attempts) throw error;
    // Whatever the receiver said may quote the address or number: masked like public text.
    const reason = deIdentifyOptional(error instanceof Error ? error.message : String(error)) ?? '';
    const made = job.attemptsMade + 1;
    await recordDelivery(pool, {
      ...record,
      action: 'reply_delivery_failed',
      note: `通过${CHANNEL_NAMES[route.channel]}告知市民失败，请电话告知`,
      data: { channel: route.channel, via: route.via, to: route.to, error: reason, attempts: made },
    });
    log.error({ caseId: d.caseId, eventId: d.eventId, channel: route.channel, via: route.via, attempts: made, error: reason }, 'reply delivery failed for good');
    throw new RecordedFailure(reason);
  }
  await recordDelivery(pool, {
    ...record,
    action: 'reply_delivered',
    note: `已通过${CHANNEL_NAMES[route.channel]}告知市民`,
    data: { channel: route.channel, via: route.via, to: route.to, attempts: job.attemptsMade + 1 },
  });
  return 'delivered';
}

/** Starts the BullMQ worker of the outbound queue. */
export function createOutboundWorker(redisUrl: string, pool: Pool, log: Logger, options: OutboundWorkerOptions = {}): Worker<OutboundJobData | Open311NotifyJobData, OutboundOutcome, OutboundJobName> {
  const sendOptions: SendOptions = { timeoutMs: options.sendTimeoutMs ?? 15_000, guard: createOutboundGuard(options.outboundAllowHosts ?? []) };
  const worker = new Worker<OutboundJobData | Open311NotifyJobData, OutboundOutcome, OutboundJobName>(OUTBOUND_QUEUE, (job) => processOutboundJob(pool, job, log, sendOptions), {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    concurrency: options.concurrency ?? OUTBOUND_WORKER_CONCURRENCY,
    // The timeline holds the record; finished jobs are kept a while to look at. A failed job's id
    // held for a week also keeps a re-relayed event from being tried again meanwhile.
    removeOnComplete: { age: 24 * 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
    // A job whose worker died runs again: the message may go out twice, its record is written once.
    maxStalledCount: 3,
  });
  worker.on('failed', (job, error) => {
    // A recorded failure was logged at error with its case already.
    if (error instanceof RecordedFailure) return;
    const final = !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    const detail = { err: error, jobId: job?.id, attemptsMade: job?.attemptsMade };
    // Final without a record: the database was away at the last attempt, or the job was broken.
    if (final) log.error(detail, 'outbound job failed for good');
    else log.warn(detail, 'reply delivery failed; retrying');
  });
  worker.on('error', (error) => log.warn({ err: error }, 'outbound worker error'));
  return worker;
}
