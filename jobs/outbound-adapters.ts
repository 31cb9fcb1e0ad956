import { UnrecoverableError } from 'bullmq';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import nodemailer from 'nodemailer';
import { ForbiddenDestinationError, type OutboundGuard } from '../infra/outbound-guard.js';
import { signBody } from '../api/channels/signature.js';
import type { SmtpSettings } from '../models/channels/channel-config.repository.js';

/**
 * A message that did not get through. `permanent` when trying again cannot help (the receiver
 * refused the request itself, the mail server refused the address): it fails at once, visibly,
 * instead of after an hour of retries.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    /** The receiver's HTTP status, when it answered at all. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A final failure already recorded (case timeline, delivery table) and logged: BullMQ must not retry it. */
export class RecordedFailure extends UnrecoverableError {}

/** How a message is sent: the receiver's time to answer, and the guard on where it may go. */
export interface SendOptions {
  readonly timeoutMs: number;
  readonly guard: OutboundGuard;
}

// Statuses that mean "not now" rather than "never": timeouts, throttling.
const RETRYABLE_4XX = new Set([408, 425, 429]);

/** Sends one POST through node:http(s), resolving the host with `lookup`; answers the status. */
function post(url: URL, body: string, headers: Record<string, string>, lookup: LookupFunction, timeoutMs: number): Promise<number> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: timeoutMs }, (res) => {
      // The answer's body means nothing to us; reading it frees the connection.
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * POSTs `payload` as JSON signed like the webhooks we receive (`X-Signature: sha256=<hex HMAC of
 * the body>`), with an `Idempotency-Key` per event for receivers that dedupe on it. Redirects are
 * not followed: a signed message goes to the configured endpoint and nowhere else. The address the
 * host resolves to is checked when the connection is made (see OutboundGuard): a forbidden one is
 * a permanent failure.
 */
export async function postSigned(url: string, secret: string, payload: Record<string, unknown>, idempotencyKey: string, options: SendOptions): Promise<number> {
  const body = JSON.stringify(payload);
  return postJson(url, body, { 'x-signature': signBody(secret, body), 'idempotency-key': idempotencyKey }, options);
}

/**
 * POSTs a JSON body with the given headers and answers the receiver's 2xx status; throws
 * DeliveryError when it did not get through, permanent when the receiver refused the request
 * itself or the address is forbidden. Redirects are not followed.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, options: SendOptions): Promise<number> {
  const target = new URL(url);
  let status: number;
  try {
    // Node connects to an address literal without calling `lookup`: the guard is asked here instead.
    if (isIP(target.hostname.replace(/^\[(.*)\]$/, '$1'))) await options.guard.assertAllowed(target.hostname);
    status = await post(target, body, { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'hotline-hub', ...headers }, options.guard.lookup, options.timeoutMs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeliveryError(`POST ${target.origin} failed: ${reason}`, error instanceof ForbiddenDestinationError);
  }
  if (status >= 200 && status < 300) return status;
  const permanent = status >= 400 && status < 500 && !RETRYABLE_4XX.has(status);
  throw new DeliveryError(`${target.origin} answered ${status}`, permanent, status);
}

/** The parts of an e-mail we send. */
export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/**
 * Sends one e-mail through the configured SMTP server. A transport per message: the settings can
 * change between two messages, and a mailbox answers a few hundred letters a day, not thousands.
 */
export async function sendMail(smtp: SmtpSettings, password: string | null, mail: OutgoingMail, options: SendOptions): Promise<void> {
  const { timeoutMs } = options;
  // nodemailer resolves the host itself: the check is made just before, on the same name.
  await options.guard.assertAllowed(smtp.host).catch((error: unknown) => {
    throw new DeliveryError(`SMTP ${smtp.host}: ${error instanceof Error ? error.message : String(error)}`, error instanceof ForbiddenDestinationError);
  });
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text });
  } catch (error) {
    const { message, code, responseCode } = error as Error & { code?: string; responseCode?: number };
    // 5xx is the server's final word (no such mailbox, relaying denied, bad credentials); a bad
    // address is ours. Connection trouble and 4xx ("try later") are worth another attempt.
    const permanent = (responseCode !== undefined && responseCode >= 500) || code === 'EENVELOPE';
    throw new DeliveryError(`SMTP ${smtp.host}:${smtp.port}: ${message}`, permanent);
  } finally {
    transport.close();
  }
}
