import crypto from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { assertLoginAllowed, clearLoginFailures, LOGIN_BACKOFF, recordLoginFailure } from '../../api/auth/login-backoff.js';
import { harness } from '../support/harness.js';

/** The account backoff on the real Redis, with the clock passed in: time is the input here, not a wait. */
describe('per-account sign-in backoff', () => {
  let redis: Redis;
  before(() => {
    redis = new Redis(harness().redisUrl);
  });
  after(async () => {
    await redis.quit();
  });

  const account = (): string => `backoff-${crypto.randomBytes(4).toString('hex')}`;
  const refusal = (username: string, now: number): Promise<{ status?: number; details?: { retryAfterSeconds?: number }[] } | undefined> =>
    assertLoginAllowed(redis, username, now).then(() => undefined, (error: { status?: number; details?: { retryAfterSeconds?: number }[] }) => error);

  it('when an account has only its free failures, then it may still try at once', async () => {
    const username = account();
    const t = 1_000_000;
    for (let i = 0; i < LOGIN_BACKOFF.freeFailures; i += 1) expect(await recordLoginFailure(redis, username, t)).to.equal(0);
    expect(await refusal(username, t)).to.equal(undefined);
  });

  it('when the failures pass the free ones, then each doubles the wait, up to the cap, and a refusal says how long', async () => {
    const username = account();
    let t = 2_000_000;
    for (let i = 0; i < LOGIN_BACKOFF.freeFailures; i += 1) await recordLoginFailure(redis, username, t);
    const delays: number[] = [];
    for (let i = 0; i < 14; i += 1) {
      const delay = await recordLoginFailure(redis, username, t);
      delays.push(delay);
      const refused = await refusal(username, t + delay - 1);
      expect(refused?.status).to.equal(429);
      expect(refused?.details?.[0]?.retryAfterSeconds).to.equal(1);
      expect(await refusal(username, t + delay)).to.equal(undefined);
      t += delay;
    }
    expect(delays.slice(0, 5)).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(Math.max(...delays)).to.equal(LOGIN_BACKOFF.maxDelayMs);
  });

  it('when the backoff runs, then it refuses the account whatever address asks: the key holds no address', async () => {
    const username = account();
    const t = 3_000_000;
    for (let i = 0; i <= LOGIN_BACKOFF.freeFailures; i += 1) await recordLoginFailure(redis, username, t);
    expect((await refusal(username, t + 10))?.status).to.equal(429);
    expect(await redis.keys(`*${username}*`)).to.deep.equal([`login-backoff:${username}`]);
  });

  it('when the account signs in successfully, then its count starts afresh', async () => {
    const username = account();
    const t = 4_000_000;
    for (let i = 0; i <= LOGIN_BACKOFF.freeFailures; i += 1) await recordLoginFailure(redis, username, t);
    await clearLoginFailures(redis, username);
    expect(await refusal(username, t)).to.equal(undefined);
    expect(await recordLoginFailure(redis, username, t)).to.equal(0);
  });
});
