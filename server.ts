import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp } from './api/app.js';
import { RATE_LIMITS } from './api/http/rate-limit.js';
import { MAILBOX_DEFAULTS, type MailboxLimits, type TrustProxy } from './config.js';
import { watchConfigChanges } from './infra/config-change-channel.js';
import { authenticate } from './api/auth/authenticate.js';
import { createTokenStates } from './api/auth/token-states.js';
import { createPool } from './infra/db.js';
import type { Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { createDivisionLocator } from './models/org/division-locator.js';
import { pendingMigrations } from './models/db/migrate.js';
import { loadRuleSet } from './models/routing/rule-set.js';
import { createRoutingModel, DEFAULT_ROUTING_MODEL_OPTIONS } from './models/routing/routing-model.js';
import { compileShippedCatalogue } from './routing-rules/catalogue-files.js';
import { loadTimeLimits } from './models/time-limits/time-limits.js';
import { startDatabaseClock } from './infra/db-clock.js';
import { loadUnitDirectory, unitAvailability } from './models/org/unit-directory.js';
import { outboxRelayTask } from './realtime/outbox-relay.js';
import { startScheduler } from './infra/scheduler.js';
import { userRoom } from './realtime/rooms.js';
import { attachSocketServer, type RealtimeServer } from './realtime/socket-server.js';
import { createQueryCodeGuard } from './api/public/query-code-guard.js';
import { createOutboundGuard } from './infra/outbound-guard.js';
import { createKnowledgeSearch } from './models/knowledge/knowledge-search.js';
import { RepeatCandidates } from './models/insights/hot-topics/repeat-candidates.js';
import { MAX_REPEAT_PERIOD_DAYS } from './models/insights/hot-topics/repeats.js';
import { createMailboxGuard } from './api/public/mailbox-guard.js';

/** What the API process needs from whoever starts it. */
export interface ServerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
  readonly metricsToken?: string;
  /** Which hops may set X-Forwarded-For; loopback by default. */
  readonly trustProxy?: TrustProxy;
  /** Requests per minute per staff member (config STAFF_RATE_LIMIT); the default suits people at a desk. */
  readonly staffRateLimit?: number;
  /** Admin-set destinations allowed to resolve to internal addresses (OUTBOUND_ALLOW_HOSTS). */
  readonly outboundAllowHosts?: readonly string[];
  /** The mailbox's caps and captcha thresholds (config MAILBOX_*). */
  readonly mailbox?: MailboxLimits;
  /** ROUTING_MODEL_THRESHOLD; 1 (suggest only) when not given. */
  readonly routingModelThreshold?: number;
}

/** A running API process. */
export interface RunningServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the HTTP API on a database whose migrations have been applied. */
export async function start(options: ServerOptions): Promise<RunningServer> {
  const pool = createPool(options.databaseUrl);
  const pending = await pendingMigrations(pool);
  if (pending.length) {
    await pool.end();
    throw new Error(`Refusing to serve: pending migrations ${pending.join(', ')} (run npm run migrate)`);
  }
  // Auto-pipelining batches the commands of concurrent requests into one write: syscalls are the
  // dearest part of a request on small machines.
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3, enableAutoPipelining: true });
  await redis.connect();
  // Requests use a connection that fails at once while Redis is away (503), instead of queueing
  // commands through reconnection back-offs that hold a request for twenty seconds and more.
  const requestRedis = redis.duplicate({ enableOfflineQueue: false });
  requestRedis.on('error', () => undefined);
  await requestRedis.connect();
  const units = await loadUnitDirectory(pool);
  const catalogue = compileShippedCatalogue();
  const threshold = options.routingModelThreshold ?? DEFAULT_ROUTING_MODEL_OPTIONS.threshold;
  // The model segments as the rules in force do, so it is built once they are loaded.
  const model = createRoutingModel(pool, (text) => ruleSet.tokenize(text), { ...DEFAULT_ROUTING_MODEL_OPTIONS, threshold });
  const ruleSet = await loadRuleSet(pool, (code) => unitAvailability(units, code), { catalogue, learned: model.learned });
  await model.refresh();
  const timeLimits = await loadTimeLimits(pool);
  const clock = await startDatabaseClock(pool);
  const tokenStates = createTokenStates(pool);
  const configWatch = await watchConfigChanges(
    redis,
    { 'routing-rules': () => ruleSet.refresh(), 'time-limits': () => timeLimits.refresh(), accounts: async () => tokenStates.forget(), 'routing-model': () => model.refresh(), units: () => units.refresh() },
    options.log,
  );
  // Set once the socket server is attached below; an account change ends the account's sockets on every process.
  const attached: { realtime?: RealtimeServer } = {};
  const endSessions = async (userId: string): Promise<void> => {
    await configWatch.announce('accounts');
    attached.realtime?.io.in(userRoom(userId)).disconnectSockets(true);
  };
  const ctx = {
    pool,
    redis: requestRedis,
    log: options.log,
    jwtSecret: options.jwtSecret,
    metricsToken: options.metricsToken,
    trustProxy: options.trustProxy ?? ['loopback'],
    units,
    ruleSet,
    timeLimits,
    clock,
    intake: { locator: createDivisionLocator(units), route: ruleSet.decide, unitName: (code: string) => units.get(code)?.name, timeLimits, now: clock.now },
    announceConfigChanged: configWatch.announce,
    endSessions,
    authenticate: authenticate(options.jwtSecret, tokenStates),
    staffRateLimit: options.staffRateLimit ?? RATE_LIMITS.staff.max,
    outboundGuard: createOutboundGuard(options.outboundAllowHosts ?? []),
    knowledge: createKnowledgeSearch(pool),
    repeatCandidates: new RepeatCandidates(),
    queryCodes: createQueryCodeGuard({ redis, pool, log: options.log, jwtSecret: options.jwtSecret }),
    mailbox: createMailboxGuard(requestRedis, options.mailbox ?? MAILBOX_DEFAULTS),
  };
  const app = createApp(ctx, createMetrics());
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const sockets = attachSocketServer(server, { pool, redis, units, jwtSecret: options.jwtSecret, tokenStates, log: options.log, queryCodes: ctx.queryCodes });
  attached.realtime = sockets;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const relay = startScheduler(options.log, [outboxRelayTask({ pool, publisher: sockets.publisher, units })]);
  // The dashboard asks for the repeats of a quarter: their signatures are read now, in the
  // background, rather than by the first supervisor after a start.
  const warming = ctx.repeatCandidates.warm(pool, clock.now(), MAX_REPEAT_PERIOD_DAYS).catch((error: unknown) => options.log.warn({ err: error }, 'repeat signatures not read ahead'));
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    stop: async () => {
      // Rows committed from here on wait in the outbox for another process or the next start.
      await relay.stop();
      await warming;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; then the remaining connections are cut.
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      // Sockets are told the server is going away, so that they reconnect to another process at once.
      await sockets.close();
      await closed;
      clearTimeout(grace);
      await configWatch.stop();
      clock.stop();
      await requestRedis.quit().catch(() => requestRedis.disconnect());
      await redis.quit().catch(() => redis.disconnect());
      await pool.end();
    },
  };
}
