import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { fileURLToPath } from 'node:url';
import { badRequest, notFound } from '../errors.js';
import type { Metrics } from '../infra/metrics.js';
import { authRouter } from './auth/auth.router.js';
import { casesRouter } from './cases/cases.router.js';
import { centreRouter } from './centre/centre.router.js';
import { caseMixRouter } from './stats/case-mix.router.js';
import { channelsRouter } from './channels/channels.router.js';
import { consolePages } from './console/console.pages.js';
import { deskRouter } from './desk/desk.router.js';
import type { ApiContext } from './context.js';
import { healthRouter } from './health/health.router.js';
import { errorHandler } from './http/error-handler.js';
import { exceedsDepth } from './http/json-depth.js';
import { describeRoute, routeRegistry } from './http/route.js';
import { buildOpenApi } from './openapi/openapi.js';
import { open311Fallbacks } from './open311/open311-errors.js';
import { open311ClientsRouter } from './open311/clients.router.js';
import { open311Router } from './open311/open311.router.js';
import { PAGE_CSP } from './page-csp.js';
import { publicRouter } from './public/public.router.js';
import { routingRulesRouter } from './routing-rules/routing-rules.router.js';
import { timeLimitsRouter } from './time-limits/time-limits.router.js';
import { reportsRouter } from './reports/reports.router.js';
import { auditRouter } from './audit/audit.router.js';
import { knowledgeRouter } from './knowledge/knowledge.router.js';
import { hotTopicsRouter } from './stats/hot-topics.router.js';
import { supervisionRouter } from './supervision/supervision.router.js';
import { unitStatsRouter } from './stats/unit-stats.router.js';
import { unitsRouter } from './units/units.router.js';
import { usersRouter } from './users/users.router.js';

const BODY_LIMIT = '64kb';
const MAX_JSON_DEPTH = 8;

/** Builds the Express application: parsing limits, routes, and the one error handler. */
export function createApp(ctx: ApiContext, metrics: Metrics): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.trustProxy);
  app.set('query parser', 'simple');
  app.use(helmet());
  app.use((req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => stop({ route: routeLabel(req), status: String(res.statusCode) }));
    next();
  });
  app.use(
    express.json({
      limit: BODY_LIMIT,
      // Signed webhooks are verified over the exact bytes received.
      verify: (req: Request, _res, buf) => {
        req.rawBody = buf;
      },
    }),
  );
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.body !== undefined && exceedsDepth(req.body, MAX_JSON_DEPTH)) throw badRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    next();
  });

  app.use(healthRouter(ctx, metrics));
  for (const router of [authRouter, usersRouter, unitsRouter, casesRouter, publicRouter, channelsRouter, deskRouter, knowledgeRouter, routingRulesRouter, timeLimitsRouter, reportsRouter, auditRouter, hotTopicsRouter, supervisionRouter, unitStatsRouter, open311ClientsRouter, open311Router]) app.use(router(ctx));
  // The centre's dispatch and the supervision dashboard (console part 2).
  for (const router of [centreRouter, caseMixRouter]) app.use(router(ctx));
  // Errors under /open311, also those raised before its routes (a broken body), in the spec's format.
  app.use('/open311', ...open311Fallbacks(ctx.log));

  describeRoute({ method: 'get', path: '/api/openapi.json', operationId: 'getOpenApiDocument', tag: 'operations', summary: 'This document', access: 'public', responses: { 200: { type: 'object' } } });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(buildOpenApi(routeRegistry));
  });

  // Before the citizen pages' static folder, which holds the console's sources under web/console/.
  consolePages(app);
  citizenPages(app);

  app.use((_req: Request, _res: Response) => {
    throw notFound('Route');
  });
  app.use(errorHandler(ctx.log));
  return app;
}

// The matched route pattern keeps the metric's label set small; unmatched paths share one label.
function routeLabel(req: Request): string {
  const route = req.route as { path?: string } | undefined;
  return route?.path ? `${req.baseUrl}${route.path}` : 'unmatched';
}

// The citizen pages (web/): plain files, no build step. HTML is revalidated on every visit so a
// deploy shows at once; scripts and styles may be reused for a few minutes (ETag revalidation after).
const WEB_DIR = fileURLToPath(new URL('../web/', import.meta.url));

function citizenPages(app: Express): void {
  const cacheControl = (file: string): string => (file.endsWith('.html') ? 'no-cache' : 'public, max-age=300');
  const pageHeaders = (res: Response, file: string): void => {
    res.setHeader('Cache-Control', cacheControl(file));
    if (file.endsWith('.html')) res.setHeader('Content-Security-Policy', PAGE_CSP);
  };
  const pages: readonly [string, string, string, string][] = [
    ['/', 'index.html', 'getCitizenPage', 'Citizen page (HTML): track a case live with its number and query code, chase it (催办), rate it'],
    ['/mailbox', 'mailbox.html', 'getMailboxPage', "Citizen page (HTML): the mayor's mailbox form (市长信箱)"],
  ];
  for (const [route, file, operationId, summary] of pages) {
    describeRoute({ method: 'get', path: route, operationId, tag: 'pages', summary, access: 'public', responses: { 200: { type: 'string', contentMediaType: 'text/html' } } });
    app.get(route, (_req: Request, res: Response) => {
      pageHeaders(res, file);
      res.sendFile(file, { root: WEB_DIR });
    });
  }
  app.use(express.static(WEB_DIR, { index: false, redirect: false, setHeaders: pageHeaders }));
}
