import type { IncomingHttpHeaders } from 'node:http';
import { ipKeyGenerator } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import Joi from 'joi';
import type { Pool } from '../infra/db.js';
import type { Logger } from '../infra/logger.js';
import { findCaseByNumberAndCode, listCaseEvents } from '../models/cases/case.repository.js';
import type { UnitDirectory } from '../models/org/unit-directory.js';
import type { CaseRecord } from '../models/cases/case.js';
import { presentPublicCase } from '../api/public/public-case.presenter.js';
import { caseLink, caseNoParams, queryCode } from '../api/public/public.schema.js';
import { caseLockedError, type QueryCodeGuard } from '../api/public/query-code-guard.js';
import { AppError } from '../errors.js';
import type { TrackAck, TrackError } from './events.js';
import { caseRoom } from './rooms.js';

/** What `track` needs. */
export interface TrackDeps {
  readonly pool: Pool;
  readonly redis: Redis;
  readonly units: UnitDirectory;
  readonly log: Logger;
  readonly queryCodes: QueryCodeGuard;
}

/** The limits on `track`: attempts per window, per connection and per client address, and cases per connection. */
export const TRACK_LIMITS = { windowMs: 60_000, perSocket: 10, perIp: 10, casesPerSocket: 5 } as const;

const trackPayload = Joi.object<{ caseNo: string; code: string; link?: string }>({
  caseNo: caseNoParams.extract('caseNo'),
  code: queryCode.required(),
  link: caseLink,
});

/** What a handshake says about where a connection comes from. */
export interface HandshakeInfo {
  readonly address: string;
  readonly headers: IncomingHttpHeaders;
}

/** The socket a `track` arrives on, as far as the handler cares. */
export interface TrackingSocket {
  readonly id: string;
  readonly handshake: HandshakeInfo;
  readonly data: { principal?: unknown; tracked?: string[] };
  join(room: string): Promise<void> | void;
}

// One round trip for both counters; the window starts with a key's first attempt.
const COUNT_ATTEMPT = `
local a = redis.call('INCR', KEYS[1]); if a == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local b = redis.call('INCR', KEYS[2]); if b == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return {a, b}`;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address as the HTTP API sees it: X-Forwarded-For is believed only when the
 * connection comes from loopback (a local reverse proxy), as Express's `trust proxy` is set.
 */
export function clientAddress(handshake: HandshakeInfo): string {
  const forwarded = handshake.headers['x-forwarded-for'];
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  const chain = [handshake.address, ...hops.reverse()];
  return chain.find((address) => !LOOPBACK.test(address)) ?? chain[chain.length - 1] ?? handshake.address;
}

const refuse = (code: TrackError['code'], message: string, details?: TrackError['details']): TrackAck => ({
  ok: false,
  error: details ? { code, message, details } : { code, message },
});

// The same answer for an unknown case and a wrong code: the code is what protects the case.
const NOT_FOUND = refuse('not_found', 'Case not found');

/**
 * Handles a citizen's `track`: limits attempts, checks the number and query code together, joins
 * the case's room, then answers with the public view. The room is joined before the timeline is
 * read, so an event committed meanwhile is pushed rather than lost; the ack and the first pushes
 * may then share an event, which clients drop by `event.id`.
 */
export async function track(deps: TrackDeps, socket: TrackingSocket, payload: unknown): Promise<TrackAck> {
  if (socket.data.principal) return refuse('forbidden', 'Staff connections receive their cases through their unit; track is for citizens');
  const ip = ipKeyGenerator(clientAddress(socket.handshake));
  const counts = (await deps.redis.eval(COUNT_ATTEMPT, 2, `rl:track:socket:${socket.id}`, `rl:track:ip:${ip}`, TRACK_LIMITS.windowMs)) as [number, number];
  if (counts[0] > TRACK_LIMITS.perSocket || counts[1] > TRACK_LIMITS.perIp) return refuse('rate_limited', 'Too many tracking attempts; try again later');
  const { value, error } = trackPayload.validate(payload, { abortEarly: false, convert: false });
  if (error) return refuse('validation_failed', 'Invalid track request', error.details.map((d) => ({ path: d.path.join('.'), message: d.message })));
  const tracked = socket.data.tracked ?? [];
  if (!tracked.includes(value.caseNo) && tracked.length >= TRACK_LIMITS.casesPerSocket) {
    return refuse('conflict', `A connection tracks at most ${TRACK_LIMITS.casesPerSocket} cases`);
  }
  let record: CaseRecord | undefined;
  try {
    record = await deps.queryCodes.attempt(value, () => findCaseByNumberAndCode(deps.pool, value.caseNo, value.code));
  } catch (error) {
    if (error instanceof AppError && error.status === 429) return refuse('rate_limited', caseLockedError().message);
    throw error;
  }
  if (!record) return NOT_FOUND;
  await socket.join(caseRoom(record.id));
  if (!tracked.includes(record.caseNo)) socket.data.tracked = [...tracked, record.caseNo];
  const events = await listCaseEvents(deps.pool, record.id, { publicOnly: true });
  const division = record.divisionCode ? (deps.units.get(record.divisionCode)?.name ?? null) : null;
  return { ok: true, case: presentPublicCase(record, events, division) };
}

/** Wraps `track` for a socket listener: answers through the ack, and never lets an error escape. */
export function trackListener(deps: TrackDeps, socket: TrackingSocket): (payload: unknown, ack: unknown) => void {
  return (payload, ack) => {
    // Without an ack there is nobody to answer, and a join nobody asked to confirm is not worth a lookup.
    if (typeof ack !== 'function') return;
    track(deps, socket, payload).then(
      (result) => ack(result),
      (err: unknown) => {
        deps.log.error({ err, socket: socket.id }, 'track failed');
        ack(refuse('internal', 'Something went wrong; try again'));
      },
    );
  };
}
