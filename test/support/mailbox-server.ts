import crypto from 'node:crypto';
import pino from 'pino';
import type { MailboxLimits } from '../../config.js';
import { start, type RunningServer } from '../../server.js';
import { harness } from './harness.js';

const NEVER = 1_000_000;

/**
 * A second API process on the harness's PostgreSQL and Redis whose mailbox has the given caps and
 * captcha thresholds (everything not given stays out of the way), while the shared server keeps
 * its own out of every other test's way.
 */
export async function startMailboxServer(limits: {
  perPhone?: MailboxLimits['perPhone'];
  global?: MailboxLimits['global'];
  captchaAfter?: Partial<MailboxLimits['captchaAfter']>;
}): Promise<RunningServer> {
  const { databaseUrl, redisUrl, jwtSecret } = harness();
  const mailbox: MailboxLimits = {
    perPhone: limits.perPhone ?? { max: NEVER, windowSeconds: 3_600 },
    global: limits.global ?? { max: NEVER, windowSeconds: 3_600 },
    captchaAfter: { global: NEVER, perPhone: NEVER, perIp: { max: NEVER, windowSeconds: 3_600 }, ...limits.captchaAfter },
  };
  return start({ databaseUrl, redisUrl, jwtSecret, port: 0, host: '127.0.0.1', log: pino({ level: 'silent' }), mailbox });
}

/** A mobile number no other test uses. */
export function freshPhone(): string {
  return `139${crypto.randomInt(0, 100_000_000).toString().padStart(8, '0')}`;
}
