import type { Redis } from 'ioredis';
import { AppError } from '../../errors.js';

/**
 * Per-account backoff on failed sign-ins, whatever IP they come from: the first few failures are
 * free (typos), then each doubles the wait, up to a cap. The cap bounds how long someone who knows
 * a username can lock its owner out; the doubling makes guessing from many addresses useless.
 */
export const LOGIN_BACKOFF = { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 } as const;

const key = (username: string): string => `login-backoff:${username}`;

// One round trip: count the failure and, past the free ones, set when the next try is allowed.
const RECORD_FAILURE = `
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local delay = 0
if n > tonumber(ARGV[2]) then
  delay = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (n - tonumber(ARGV[2]) - 1))
  redis.call('HSET', KEYS[1], 'until', tonumber(ARGV[1]) + delay)
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {n, delay}`;

/** Refuses (429) a sign-in to `username` while its backoff runs, before any password is checked. */
export async function assertLoginAllowed(redis: Redis, username: string, now = Date.now()): Promise<void> {
  const until = Number((await redis.hget(key(username), 'until')) ?? 0);
  if (until > now) {
    const seconds = Math.ceil((until - now) / 1000);
    throw new AppError(429, 'rate_limited', `Too many failed sign-ins for this account; try again in ${seconds} s`, [{ path: 'body.username', message: 'account backoff', retryAfterSeconds: seconds }]);
  }
}

/** Counts a failed sign-in of `username`; returns the wait now imposed in ms. */
export async function recordLoginFailure(redis: Redis, username: string, now = Date.now()): Promise<number> {
  const { freeFailures, firstDelayMs, maxDelayMs, forgetAfterMs } = LOGIN_BACKOFF;
  const [, delay] = (await redis.eval(RECORD_FAILURE, 1, key(username), now, freeFailures, firstDelayMs, maxDelayMs, forgetAfterMs)) as [number, number];
  return delay;
}

/** A successful sign-in starts the account's count afresh. */
export async function clearLoginFailures(redis: Redis, username: string): Promise<void> {
  await redis.del(key(username));
}
