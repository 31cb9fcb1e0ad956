import { Router } from 'express';
import type { Metrics } from '../../infra/metrics.js';
import { pendingMigrations } from '../../models/migrate.js';
import type { ApiContext } from '../context.js';
import { describeRoute } from '../http/route.js';
import { yearsInReach } from '../time-limits/time-limits.router.js';

/** /healthz (the process is up), /readyz (it can serve: database, Redis, schema), /metrics. */
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
    summary: 'Readiness: PostgreSQL and Redis answer and the schema is current; warnings name calendar years without an official schedule',
    access: 'public',
    responses: { 200: 'Readiness', 503: 'Readiness' },
  });
  router.get('/readyz', async (_req, res) => {
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
    // A year without its official holiday schedule still serves (weekends only), but must be loaded.
    const warnings = yearsInReach(ctx.clock.now())
      .filter((year) => !ctx.timeLimits.calendar.isYearCovered(year))
      .map((year) => `calendar: ${year} has no official holiday schedule yet; load it with PUT /api/calendar/overrides { year: ${year}, overrides }`);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks, warnings });
  });

  describeRoute({ method: 'get', path: '/metrics', operationId: 'getMetrics', tag: 'operations', summary: 'Prometheus metrics', access: 'public', responses: { 200: { type: 'string' } } });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
