import { UnrecoverableError } from 'bullmq';
import nodemailer from 'nodemailer';
import { signBody } from '../api/channels/signature.js';
import type { SmtpSettings } from '../models/channel-config.repository.js';

/**
 * A message that did not get through. `permanent` when trying again cannot help (the receiver
 * refused the request itself, the mail server refused the address): it fails at once, visibly,
 * instead of after an hour of retries.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A final failure already recorded (case timeline, delivery table) and logged: BullMQ must not retry it. */
export class RecordedFailure extends UnrecoverableError {}

// Statuses that mean "not now" rather than "never": timeouts, throttling.
const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * POSTs `payload` as JSON signed like the webhooks we receive (`X-Signature: sha256=<hex HMAC of
 * the body>`), with an `Idempotency-Key` per event for receivers that dedupe on it. Redirects are
 * not followed: a signed message goes to the configured endpoint and nowhere else.
 */
export async function postSigned(url: string, secret: string, payload: Record<string, unknown>, idempotencyKey: string, timeoutMs: number): Promise<void> {
  const body = JSON.stringify(payload);
  await postJson(url, body, { 'x-signature': signBody(secret, body), 'idempotency-key': idempotencyKey }, timeoutMs);
}

/**
 * POSTs a JSON body with the given headers; throws DeliveryError when it did not get through,
 * permanent when the receiver refused the request itself. Redirects are not followed.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'hotline-hub', ...headers },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new DeliveryError(`POST ${new URL(url).origin} failed: ${reason}`, false);
  }
  // The answer's body means nothing to us; reading it frees the connection.
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return;
  const permanent = res.status >= 400 && res.status < 500 && !RETRYABLE_4XX.has(res.status);
  throw new DeliveryError(`${new URL(url).origin} answered ${res.status}`, permanent);
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
export async function sendMail(smtp: SmtpSettings, password: string | null, mail: OutgoingMail, timeoutMs: number): Promise<void> {
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
