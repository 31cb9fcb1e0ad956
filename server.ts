import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp } from './api/app.js';
import { watchConfigChanges } from './infra/config-change-channel.js';
import { authenticate } from './api/auth/authenticate.js';
import { createPool } from './infra/db.js';
import type { Logger } from './infra/logger.js';
import { createMetrics } from './infra/metrics.js';
import { createDivisionLocator } from './models/division-locator.js';
import { pendingMigrations } from './models/migrate.js';
import { loadRuleSet } from './models/rule-set.js';
import { createRoutingModel, DEFAULT_ROUTING_MODEL_OPTIONS } from './models/routing-model.js';
import { compileCatalogue } from './routing-rules/catalogue.js';
import { loadCatalogue } from './routing-rules/catalogue-files.js';
import { loadTimeLimits } from './models/time-limits/time-limits.js';
import { startDatabaseClock } from './infra/db-clock.js';
import { loadUnitDirectory } from './models/unit-directory.js';
import { startOutboxRelay } from './realtime/outbox-relay.js';
import { attachSocketServer } from './realtime/socket-server.js';

/** What the API process needs from whoever starts it. */
export interface ServerOptions {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly jwtSecret: string;
  readonly port: number;
  readonly host: string;
  readonly log: Logger;
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
  const units = await loadUnitDirectory(pool);
  const catalogue = compileCatalogue(loadCatalogue());
  const threshold = options.routingModelThreshold ?? DEFAULT_ROUTING_MODEL_OPTIONS.threshold;
  // The model segments as the rules in force do, so it is built once they are loaded.
  const model = createRoutingModel(pool, (text) => ruleSet.tokenize(text), { ...DEFAULT_ROUTING_MODEL_OPTIONS, threshold });
  const ruleSet = await loadRuleSet(pool, (code) => units.get(code) !== undefined, { catalogue, learned: model.learned });
  await model.refresh();
  const timeLimits = await loadTimeLimits(pool);
  const clock = await startDatabaseClock(pool);
  const configWatch = await watchConfigChanges(
    redis,
    { 'routing-rules': () => ruleSet.refresh(), 'time-limits': () => timeLimits.refresh(), 'routing-model': () => model.refresh() },
    options.log,
  );
  const ctx = {
    pool,
    redis,
    log: options.log,
    jwtSecret: options.jwtSecret,
    units,
    ruleSet,
    timeLimits,
    clock,
    intake: { locator: createDivisionLocator(units), route: ruleSet.decide, unitName: (code: string) => units.get(code)?.name, timeLimits, now: clock.now },
    announceConfigChanged: configWatch.announce,
    authenticate: authenticate(options.jwtSecret),
  };
  const app = createApp(ctx, createMetrics());
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime = attachSocketServer(server, { pool, redis, units, jwtSecret: options.jwtSecret, log: options.log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const relay = startOutboxRelay({ pool, publisher: realtime.publisher, units, log: options.log });
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    stop: async () => {
      // Rows committed from here on wait in the outbox for another process or the next start.
      await relay.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Requests in flight get a moment to finish; then the remaining connections are cut.
      const grace = setTimeout(() => server.closeAllConnections(), 5_000);
      // Sockets are told the server is going away, so that they reconnect to another process at once.
      await realtime.close();
      await closed;
      clearTimeout(grace);
      await configWatch.stop();
      clock.stop();
      await redis.quit().catch(() => redis.disconnect());
      await pool.end();
    },
  };
}
