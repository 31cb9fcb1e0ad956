import crypto from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '../../errors.js';
import { normaliseUsername } from '../../models/accounts/user.repository.js';

/** How many requests one key may make in a window. */
export interface RateLimitRule {
  readonly name: string;
  readonly windowMs: number;
  readonly max: number;
  /** What a request is counted by; the client's IP address by default. */
  readonly key?: (req: Request) => string;
}

/** The limits in force; counters live in Redis so that every API process shares them. */
export const RATE_LIMITS = {
  // By the normalised name: ' admin', 'admin ' and 'ADMIN' share one budget.
  login: { name: 'login', windowMs: 60_000, max: 10, key: (req: Request) => `${ipOf(req)}:${normaliseUsername(String(req.body?.username ?? ''))}` },
  mailbox: { name: 'mailbox', windowMs: 60_000, max: 10 },
  // Drawing a picture costs a little CPU and a Redis key: a person asks for a few, never dozens.
  mailboxCaptcha: { name: 'mailbox-captcha', windowMs: 60_000, max: 20 },
  publicLookup: { name: 'public-lookup', windowMs: 60_000, max: 30 },
  publicAction: { name: 'public-action', windowMs: 60_000, max: 10 },
  // Counts correctly signed deliveries only (it runs after the signature check).
  webhook: { name: 'webhook', windowMs: 1_000, max: 200, key: (req: Request) => String(req.params.channel) },
  // One person at a desk never needs more than this; a script running away does.
  staff: { name: 'staff', windowMs: 60_000, max: 1_200, key: (req: Request) => req.user?.id ?? ipOf(req) },
  // Per Open311 client: an app serves many citizens from few addresses, so its key is what counts.
  open311: { name: 'open311', windowMs: 60_000, max: 120, key: open311Key },
} satisfies Record<string, RateLimitRule>;

/**
 * An Open311 request's api key (body or query), counted under a digest so that no key is kept in
 * Redis; requests without one (discovery, the service list) are counted by address.
 */
function open311Key(req: Request): string {
  const fromBody: unknown = (req.body as Record<string, unknown> | undefined)?.api_key;
  const fromQuery: unknown = req.query.api_key;
  const key = (typeof fromBody === 'string' ? fromBody : typeof fromQuery === 'string' ? fromQuery : '').trim();
  return key ? `key:${crypto.createHash('sha256').update(key).digest('base64url')}` : `ip:${ipOf(req)}`;
}

/** The client's address as a limit key (IPv6 by its /56). */
export function ipOf(req: Request): string {
  return ipKeyGenerator(req.ip ?? 'unknown');
}

/** Middleware enforcing `rule` with a Redis-backed counter, answering 429 in the API's error format. */
export function limitRate(redis: Redis, rule: RateLimitRule): RequestHandler {
  return rateLimit({
    windowMs: rule.windowMs,
    limit: rule.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: rule.key ?? ((req) => ipOf(req)),
    store: new RedisStore({
      prefix: `rl:${rule.name}:`,
      sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
    }),
    handler: () => {
      throw new AppError(429, 'rate_limited', 'Too many requests; slow down and try again later');
    },
    validate: { keyGeneratorIpFallback: false },
  });
}
