import type { Redis } from 'ioredis';
import { AppError } from '../../errors.js';
import type { Pool } from '../../infra/db.js';
import type { Logger } from '../../infra/logger.js';
import { recordQueryCodeGuessing } from '../../models/privacy/query-code-alerts.js';
import { isValidCaseLink } from './case-link.js';

/** Wrong query codes one case takes per window before it is locked for the rest of the window. */
export const QUERY_CODE_LOCK = { maxFailures: 10, windowMs: 3_600_000 } as const;

/** What the guard needs: the shared counters, the outbox for the centre's alert, and the link secret. */
export interface QueryCodeGuardDeps {
  readonly redis: Redis;
  readonly pool: Pool;
  readonly log: Logger;
  readonly jwtSecret: string;
}

/** One citizen's try at a case: its number, and the signed link token when the citizen has one. */
export interface QueryCodeTry {
  readonly caseNo: string;
  readonly link?: string;
}

/**
 * Counts wrong query codes per case number, across every client address, every API process and
 * both REST and the socket `track`. A lookup that finds nothing (undefined, or a 404 error) counts
 * as a wrong code: an unknown case number is counted and locked exactly as a known one, so the
 * lock tells nobody whether a case exists.
 */
export interface QueryCodeGuard {
  attempt<T>(attempt: QueryCodeTry, lookup: () => Promise<T | undefined>): Promise<T | undefined>;
}

// The window starts with a case's first wrong code; the lock lasts until it ends.
const COUNT_FAILURE = `
local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`;

const failureKey = (caseNo: string): string => `qc:fail:${caseNo}`;

/** The error of a locked case, the same over REST and the socket. */
export function caseLockedError(): AppError {
  return new AppError(429, 'rate_limited', 'Too many wrong query codes for this case; use the link sent with your receipt, or try again later');
}

/** A guard counting in `deps.redis`. */
export function createQueryCodeGuard(deps: QueryCodeGuardDeps): QueryCodeGuard {
  const countFailure = async (caseNo: string): Promise<void> => {
    const [failures, ttlMs] = (await deps.redis.eval(COUNT_FAILURE, 1, failureKey(caseNo), QUERY_CODE_LOCK.windowMs)) as [number, number];
    // Exactly one try reaches the limit, however many run at once: one alert per lock.
    if (failures !== QUERY_CODE_LOCK.maxFailures) return;
    const alert = await recordQueryCodeGuessing(deps.pool, { caseNo, failures, lockedUntil: new Date(Date.now() + Math.max(0, ttlMs)).toISOString() });
    deps.log.warn({ caseNo, exists: alert.exists }, 'case locked after too many wrong query codes');
  };
  return {
    async attempt(attempt, lookup) {
      const trusted = isValidCaseLink(deps.jwtSecret, attempt.caseNo, attempt.link);
      if (!trusted && Number((await deps.redis.get(failureKey(attempt.caseNo))) ?? 0) >= QUERY_CODE_LOCK.maxFailures) throw caseLockedError();
      const found = await lookup().catch(async (error: unknown) => {
        if (error instanceof AppError && error.status === 404) await countFailure(attempt.caseNo);
        throw error;
      });
      if (found === undefined) await countFailure(attempt.caseNo);
      return found;
    },
  };
}
