import crypto from 'node:crypto';

/** The signed-link token: 128 bits of HMAC-SHA256, base64url. */
export const CASE_LINK_PATTERN = /^[A-Za-z0-9_-]{22}$/;

// A key of its own, derived from the token secret, so that a link can never pass for a token.
const linkKey = (secret: string): Buffer => crypto.createHmac('sha256', secret).update('hotline-hub case link v1').digest();

/**
 * The citizen's signed link token for a case (given with the receipt): it lets its holder past the
 * per-case lock that too many wrong query codes put on, and grants nothing without the code.
 */
export function signCaseLink(secret: string, caseNo: string): string {
  return crypto.createHmac('sha256', linkKey(secret)).update(caseNo).digest('base64url').slice(0, 22);
}

/** Checks a link token against its case number in constant time. */
export function isValidCaseLink(secret: string, caseNo: string, token: string | undefined): boolean {
  if (!token || !CASE_LINK_PATTERN.test(token)) return false;
  return crypto.timingSafeEqual(Buffer.from(signCaseLink(secret, caseNo)), Buffer.from(token));
}

/** Where the citizen page shows the case, with the number, the code and the link token. */
export function caseTrackPath(secret: string, caseNo: string, code: string): string {
  const q = new URLSearchParams({ caseNo, code, link: signCaseLink(secret, caseNo) });
  return `/?${q.toString()}`;
}
