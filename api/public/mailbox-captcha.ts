import crypto from 'node:crypto';
import type { Redis } from 'ioredis';
import svgCaptcha from 'svg-captcha';

/** A captcha as the mailbox form shows it: an id to send back with the answer, and the picture. */
export interface CaptchaChallenge {
  readonly challengeId: string;
  /** The SVG picture as a data URI, for an <img> under the pages' CSP (img-src 'self' data:). */
  readonly image: string;
  readonly expiresInSeconds: number;
}

/** What the citizen sends back: the challenge's id and the characters read off its picture. */
export interface CaptchaAnswer {
  readonly challengeId: string;
  readonly answer: string;
}

/** How long a challenge may be answered; a citizen reads four characters in far less. */
export const CAPTCHA_TTL_SECONDS = 300;

export const CHALLENGE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const key = (challengeId: string): string => `mb:captcha:${challengeId}`;

/**
 * Draws a new captcha on this server (no outside service sees the citizen) and keeps only its
 * answer in Redis, under a random id, until it expires. Characters that read alike (0/o, 1/l/i)
 * are left out.
 */
export async function issueCaptcha(redis: Redis): Promise<CaptchaChallenge> {
  // Dark grey on the page's light ground reads best; svg-captcha colours everything once given a background.
  const drawn = svgCaptcha.create({ size: 4, ignoreChars: '0oO1ilIL', noise: 3, width: 132, height: 48, fontSize: 52 });
  const challengeId = crypto.randomBytes(16).toString('base64url');
  await redis.set(key(challengeId), drawn.text.toLowerCase(), 'EX', CAPTCHA_TTL_SECONDS);
  return { challengeId, image: `data:image/svg+xml;base64,${Buffer.from(drawn.data).toString('base64')}`, expiresInSeconds: CAPTCHA_TTL_SECONDS };
}

/**
 * Whether the answer is right. The challenge is spent by the first try, right or wrong, so that
 * one picture can neither be reused nor guessed at; an expired or unknown id is simply wrong.
 */
export async function redeemCaptcha(redis: Redis, answer: CaptchaAnswer): Promise<boolean> {
  const expected = await redis.getdel(key(answer.challengeId));
  if (expected === null) return false;
  const given = Buffer.from(answer.answer.trim().toLowerCase());
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && crypto.timingSafeEqual(given, wanted);
}
