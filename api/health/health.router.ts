import crypto from 'node:crypto';
import { Router, type Request } from 'express';
import { unauthenticated } from '../../errors.js';
import type { Metrics } from '../../infra/metrics.js';
import { pendingMigrations } from '../../models/db/migrate.js';
import type { ApiContext } from '../context.js';
import { describeRoute } from '../http/route.js';
import { yearsInReach } from '../time-limits/time-limits.router.js';

const digest = (value: string): Buffer => crypto.createHash('sha256').update(value).digest();

/** Whether the request carries METRICS_TOKEN as its bearer; never true when none is configured. */
function hasMetricsToken(req: Request, metricsToken: string | undefined): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  // Comparing digests keeps the comparison constant-time whatever the lengths.
  return Boolean(metricsToken && presented && crypto.timingSafeEqual(digest(presented), digest(metricsToken)));
}

/**
 * /healthz (the process is up), /readyz (it can serve: database, Redis, schema), /metrics. Probes
 * see only the readiness status; its checks and warnings and the metrics (which name routes, error
 * rates and versions) need METRICS_TOKEN.
 */
export function healthRouter(ctx: ApiContext, metrics: Metrics): Router {
  const router = Router();
  describeRoute({ method: 'get', path: '/healthz', operationId: 'getLiveness', tag: 'operations', summary: 'Liveness: the process answers', access: 'public', responses: { 200: { type: 'object' } } });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  describeRoute({
    method: 'get',
    path: '/readyz',
    operationId: 'getReadiness',
    tag: 'operations',
    summary: 'Readiness: PostgreSQL and Redis answer and the schema is current. With the METRICS_TOKEN bearer also the checks, and warnings naming calendar years without an official schedule (statutory holidays applied, deadlines provisional)',
    access: 'public',
    responses: { 200: 'Readiness', 503: 'Readiness' },
  });
  router.get('/readyz', async (req, res) => {
    const checks: Record<string, string> = {};
    await Promise.all([
      ctx.pool
        .query('SELECT 1')
        .then(async () => {
          const pending = await pendingMigrations(ctx.pool);
          checks.database = pending.length ? `pending migrations: ${pending.join(', ')}` : 'ok';
        })
        .catch((e: Error) => {
          checks.database = e.message;
        }),
      ctx.redis
        .ping()
        .then(() => {
          checks.redis = 'ok';
        })
        .catch((e: Error) => {
          checks.redis = e.message;
        }),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    // A year without its official holiday schedule still serves (statutory holidays and weekends), but must be loaded.
    const warnings = yearsInReach(ctx.clock.now())
      .filter((year) => !ctx.timeLimits.calendar.isYearCovered(year))
      .map((year) => `calendar: ${year} has no official holiday schedule yet; its statutory holidays are applied and deadlines counted over it are provisional; load it with PUT /api/calendar/overrides { year: ${year}, overrides }`);
    const status = ready ? 'ready' : 'not_ready';
    res.status(ready ? 200 : 503).json(hasMetricsToken(req, ctx.metricsToken) ? { status, checks, warnings } : { status });
  });

  describeRoute({ method: 'get', path: '/metrics', operationId: 'getMetrics', tag: 'operations', summary: 'Prometheus metrics (bearer METRICS_TOKEN; closed when it is not set)', access: 'public', responses: { 200: { type: 'string' }, 401: 'Error' } });
  router.get('/metrics', async (req, res) => {
    if (!hasMetricsToken(req, ctx.metricsToken)) throw unauthenticated(ctx.metricsToken ? 'Bearer METRICS_TOKEN required' : '/metrics is closed: set METRICS_TOKEN to open it');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
