import { unauthenticated } from '../../errors.js';
import type { Queryable } from '../../infra/db.js';
import { findTokenState } from '../../models/accounts/user.repository.js';
import type { VerifiedToken } from './token.js';

// Long enough to spare the database a query per request, short enough that a change made through
// another process (whose announcement could be lost) still takes effect within seconds.
const CACHE_MS = 5_000;

/** Checks that the account behind a token still stands: it exists, is enabled, and has not changed since. */
export interface TokenStates {
  /** Throws 401 when the token is stale. */
  assertCurrent(token: VerifiedToken): Promise<void>;
  /** Forgets what is cached (after a change here, or when another process announces one). */
  forget(): void;
}

/** Token states read from the users table, cached per account for a few seconds. */
export function createTokenStates(db: Queryable): TokenStates {
  const cache = new Map<string, { at: number; state: Promise<{ tokenVersion: number; disabled: boolean } | undefined> }>();
  return {
    assertCurrent: async (token) => {
      const now = Date.now();
      let entry = cache.get(token.id);
      if (!entry || now - entry.at > CACHE_MS) {
        entry = { at: now, state: findTokenState(db, token.id) };
        cache.set(token.id, entry);
        // A failed read is not cached: the next request asks the database again.
        entry.state.catch(() => cache.delete(token.id));
      }
      const state = await entry.state;
      if (!state || state.disabled) throw unauthenticated('This account is disabled');
      if (state.tokenVersion !== token.tokenVersion) throw unauthenticated('This session ended: the account was changed; sign in again');
    },
    forget: () => cache.clear(),
  };
}
