import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../../errors.js';

export const ROLES = ['admin', 'supervisor', 'operator', 'handler'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as carried by a verified access token. */
export interface StaffPrincipal {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly unitCode: string | null;
  /** The head of a disclosure office (art. 33), for screens; the action itself reads the account. */
  readonly disclosureHead?: boolean;
}

const ISSUER = 'hotline-hub';

// jsonwebtoken first tries a string secret as a PEM public key and throws internally on every
// call; handing it a ready KeyObject skips that (it was a fifth of the API's CPU per request).
const keys = new Map<string, KeyObject>();
function keyFor(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  return key;
}
const ACCESS_TOKEN_TTL_SECONDS = 12 * 3600;

/** A verified token's principal, with the account version it was issued for and when it ends. */
export interface VerifiedToken extends StaffPrincipal {
  readonly tokenVersion: number;
  /** Unix seconds. */
  readonly expiresAt: number;
}

/**
 * Signs an access token for a staff member (HS256, 12 hours: one shift), carrying the account's
 * token version (`ver`): any later change of the account makes the token stale.
 */
export function signAccessToken(principal: StaffPrincipal & { readonly tokenVersion?: number }, secret: string, ttlSeconds = ACCESS_TOKEN_TTL_SECONDS): string {
  const claims = { username: principal.username, role: principal.role, unitCode: principal.unitCode, ver: principal.tokenVersion ?? 0, ...(principal.disclosureHead ? { head: true } : {}) };
  return jwt.sign(claims, keyFor(secret), {
    algorithm: 'HS256',
    subject: principal.id,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/**
 * Verifies an access token's signature and expiry; throws 401 for a missing, forged, expired or
 * malformed one. Whether the account still stands behind it is checked by TokenStates.
 */
export function verifyAccessToken(token: string, secret: string): VerifiedToken {
  let claims: jwt.JwtPayload | string;
  try {
    // Pinning the algorithm refuses tokens signed with 'none' or with another key type.
    claims = jwt.verify(token, keyFor(secret), { algorithms: ['HS256'], issuer: ISSUER });
  } catch (error) {
    throw unauthenticated(error instanceof jwt.TokenExpiredError ? 'Access token expired' : 'Invalid access token');
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || !ROLES.includes(claims.role as Role) || typeof claims.exp !== 'number') {
    throw unauthenticated('Invalid access token');
  }
  return {
    id: claims.sub,
    username: String(claims.username),
    role: claims.role as Role,
    unitCode: typeof claims.unitCode === 'string' ? claims.unitCode : null,
    ...(claims.head === true ? { disclosureHead: true } : {}),
    tokenVersion: typeof claims.ver === 'number' ? claims.ver : 0,
    expiresAt: claims.exp,
  };
}

/** The answer to a sign-in (and to a password change): a fresh token for the account as it is now. */
export function loginResult(account: StaffPrincipal & { readonly tokenVersion: number }, secret: string): Record<string, unknown> {
  const user: StaffPrincipal = { id: account.id, username: account.username, role: account.role, unitCode: account.unitCode, disclosureHead: account.disclosureHead === true };
  return { accessToken: signAccessToken({ ...user, tokenVersion: account.tokenVersion }, secret), tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS, user };
}
