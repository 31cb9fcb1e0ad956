import { Queue } from 'bullmq';
import type { OutboundTopic } from '../models/channels/outbound.js';

/** The queue every outbound message (reply to the citizen through their channel) goes through. */
export const OUTBOUND_QUEUE = 'outbound';

/** Deliver the news of one case event to the citizen. */
export const OUTBOUND_JOB = 'deliver';

/** Tell the Open311 client that filed a case of a status change (its subscription). */
export const OPEN311_NOTIFY_JOB = 'notify-open311';

export type OutboundJobName = typeof OUTBOUND_JOB | typeof OPEN311_NOTIFY_JOB;

/** What a job carries: ids only; the worker reads the event and the channel settings when it runs. */
export interface OutboundJobData {
  readonly eventId: number;
  readonly caseId: string;
  readonly topic: OutboundTopic;
}

/** What a notification job carries: the event, and its case for the logs. */
export interface Open311NotifyJobData {
  readonly eventId: number;
  readonly caseId: string;
}

/** What a job ended with (kept on the job to look at; the case timeline holds the record). */
export type OutboundOutcome = 'delivered' | 'skipped' | 'already_recorded';

export type OutboundQueue = Queue<OutboundJobData | Open311NotifyJobData, OutboundOutcome, OutboundJobName>;

/** How often and how patiently a message is retried before it is recorded as failed. */
export interface RetryPolicy {
  readonly attempts: number;
  /** The first wait; each retry waits twice as long as the one before. */
  readonly backoffMs: number;
}

/**
 * Six attempts, 10 s apart at first, doubling: a receiver down for about five minutes still gets
 * the message; one down longer shows up as a failure on the case for staff to follow up by phone.
 */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, backoffMs: 10_000 };

/**
 * One job per event: BullMQ refuses a second job with an id it holds, so a relay that schedules
 * the same outbox row again (it crashed before marking it) adds nothing.
 */
export function outboundJobId(eventId: number): string {
  return `out-${eventId}`;
}

/** Checks that job data is an outbound reference. */
export function isOutboundJobData(data: unknown): data is OutboundJobData {
  if (typeof data !== 'object' || data === null) return false;
  const { eventId, caseId, topic } = data as Record<string, unknown>;
  return Number.isSafeInteger(eventId) && typeof caseId === 'string' && typeof topic === 'string';
}

/** Opens the outbound queue as a producer; the retry policy is written into every job it adds. */
export function createOutboundQueue(redisUrl: string, retry: RetryPolicy = DEFAULT_RETRY): OutboundQueue {
  return new Queue<OutboundJobData | Open311NotifyJobData, OutboundOutcome, OutboundJobName>(OUTBOUND_QUEUE, {
    // A producer fails fast while Redis is away: the outbox rows stay unsynced and are retried.
    connection: { url: redisUrl, enableOfflineQueue: false },
    defaultJobOptions: { attempts: retry.attempts, backoff: { type: 'exponential', delay: retry.backoffMs } },
  });
}

/** Adds one job per event (ids already held are skipped by BullMQ). */
export async function scheduleOutboundJobs(queue: OutboundQueue, items: readonly OutboundJobData[]): Promise<void> {
  if (items.length === 0) return;
  await queue.addBulk(items.map((data) => ({ name: OUTBOUND_JOB, data, opts: { jobId: outboundJobId(data.eventId) } })));
}

/** One notification job per event (a case has one filing client), ids held are skipped as above. */
export function open311NotifyJobId(eventId: number): string {
  return `o311-${eventId}`;
}

/** Adds one Open311 notification job per event. */
export async function scheduleOpen311Notifications(queue: OutboundQueue, items: readonly Open311NotifyJobData[]): Promise<void> {
  if (items.length === 0) return;
  await queue.addBulk(items.map((data) => ({ name: OPEN311_NOTIFY_JOB, data, opts: { jobId: open311NotifyJobId(data.eventId) } })));
}
