import crypto from 'node:crypto';

/** How far a delivery's X-Timestamp may be from this server's clock, either way. */
export const SIGNATURE_TOLERANCE_S = 300;

/** `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`: how outbound requests are signed. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `sha256=<hex>` of the HMAC-SHA256 of `<timestamp>.<raw body>`: how channels sign their deliveries. */
export function signDelivery(secret: string, timestamp: string, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

const safeEqual = (expected: string, header: string): boolean => {
  const a = Buffer.from(expected);
  const b = Buffer.from(header.trim().toLowerCase());
  return a.length === b.length && crypto.timingSafeEqual(a, b);
};

/**
 * Checks a delivery's X-Timestamp (unix seconds, within SIGNATURE_TOLERANCE_S of `nowMs`) and its
 * X-Signature over the timestamp and the body, in constant time. A captured delivery replays for
 * five minutes at most, and then only as a duplicate of its own message id.
 */
export function isValidDeliverySignature(secret: string, body: Buffer, timestamp: string | undefined, signature: string | undefined, nowMs: number): boolean {
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(Number(timestamp) - nowMs / 1000) > SIGNATURE_TOLERANCE_S) return false;
  return safeEqual(signDelivery(secret, timestamp, body), signature);
}
