import crypto from 'node:crypto';

/** `sha256=<hex>` of the HMAC-SHA256 of `body` under `secret`, as channels sign their deliveries. */
export function signBody(secret: string, body: Buffer | string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Checks an `X-Signature` header in constant time. */
export function isValidSignature(secret: string, body: Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header.trim().toLowerCase());
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}
