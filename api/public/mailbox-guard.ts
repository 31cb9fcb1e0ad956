import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MailboxLimits } from '../../config.js';
import { AppError } from '../../errors.js';
import { redeemCaptcha, type CaptchaAnswer } from './mailbox-captcha.js';

/** One letter knocking at the mailbox: who sends it, from where, and the captcha answer if any. */
export interface MailboxLetter {
  readonly phone: string;
  readonly ip: string;
  readonly captcha?: CaptchaAnswer;
}

/** Letters already taken in the current windows. */
export interface MailboxCounts {
  readonly global: number;
  readonly phone: number;
  readonly ip: number;
}

/** Why a letter needs a captcha, or null when traffic is ordinary. */
export type CaptchaReason = 'global' | 'phone' | 'ip' | null;

/** Whether these counts make traffic unusual enough to ask for a captcha (pure). */
export function captchaReason(counts: MailboxCounts, limits: MailboxLimits): CaptchaReason {
  if (counts.global >= limits.captchaAfter.global) return 'global';
  if (counts.phone >= limits.captchaAfter.perPhone) return 'phone';
  if (counts.ip >= limits.captchaAfter.perIp.max) return 'ip';
  return null;
}

/**
 * The key of a phone number: its last 11 digits, as the caller look-up compares them, so that
 * '139-1234-5678' and '+86 13912345678' share one count. Kept in Redis as a digest only.
 */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '').slice(-11);
  return crypto.createHash('sha256').update(digits).digest('base64url');
}

/** Admits a letter or refuses it: 429 over a cap, 428 without a needed captcha, 400 with a wrong one. */
export interface MailboxGuard {
  admit(letter: MailboxLetter): Promise<void>;
}

const PEEK = `
local out = {}
for i = 1, 3 do out[i] = tonumber(redis.call('GET', KEYS[i]) or '0') end
out[4] = redis.call('PTTL', KEYS[1]); out[5] = redis.call('PTTL', KEYS[2])
return out`;

// Counts the letter only when both caps still allow it, so that letters racing past a peek are
// still held to the cap; each window starts with its first letter.
const TAKE = `
local g = tonumber(redis.call('GET', KEYS[1]) or '0')
local p = tonumber(redis.call('GET', KEYS[2]) or '0')
if g >= tonumber(ARGV[4]) then return {1, redis.call('PTTL', KEYS[1])} end
if p >= tonumber(ARGV[5]) then return {2, redis.call('PTTL', KEYS[2])} end
for i = 1, 3 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[i]) end
end
return {0, 0}`;

function capReached(what: 'global' | 'phone', ttlMs: number): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
  const message =
    what === 'global'
      ? `The mailbox has taken as many letters as it can this hour; try again in ${retryAfterSeconds} s or call 12345`
      : `This phone number has sent as many letters as allowed for now; try again in ${retryAfterSeconds} s or call 12345`;
  return new AppError(429, 'rate_limited', message, [{ path: what === 'phone' ? 'body.phone' : 'body', message: `${what} cap`, retryAfterSeconds }]);
}

/** A guard counting in `redis` (shared by every API process) under `limits`. */
export function createMailboxGuard(redis: Redis, limits: MailboxLimits): MailboxGuard {
  const windowMs = (seconds: number): number => seconds * 1000;
  return {
    async admit(letter) {
      const keys = ['mb:g', `mb:p:${phoneKey(letter.phone)}`, `mb:i:${letter.ip}`];
      const [global = 0, phone = 0, ip = 0, globalTtl = 0, phoneTtl = 0] = (await redis.eval(PEEK, 3, ...keys)) as number[];
      if (global >= limits.global.max) throw capReached('global', globalTtl);
      if (phone >= limits.perPhone.max) throw capReached('phone', phoneTtl);
      if (captchaReason({ global, phone, ip }, limits)) {
        if (!letter.captcha) {
          throw new AppError(428, 'captcha_required', 'This letter needs a captcha: get one from POST /api/public/mailbox/captchas and send its id and answer as `captcha`', [
            { path: 'body.captcha', message: 'required while traffic is unusual' },
          ]);
        }
        if (!(await redeemCaptcha(redis, letter.captcha))) {
          throw new AppError(400, 'captcha_invalid', 'The captcha answer is wrong, used or expired; get a new captcha and try again', [{ path: 'body.captcha.answer', message: 'wrong, used or expired' }]);
        }
      }
      const [refused = 0, ttl = 0] = (await redis.eval(
        TAKE, 3, ...keys,
        windowMs(limits.global.windowSeconds), windowMs(limits.perPhone.windowSeconds), windowMs(limits.captchaAfter.perIp.windowSeconds),
        limits.global.max, limits.perPhone.max,
      )) as number[];
      if (refused) throw capReached(refused === 1 ? 'global' : 'phone', ttl);
    },
  };
}
