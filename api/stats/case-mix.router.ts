import { Router } from 'express';
import { badRequest } from '../../errors.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import { sealStatistics } from '../../models/insights/stats/rollup.js';
import { caseMix, periodDays, termCounts } from '../../models/insights/stats/case-mix.js';
import type { Channel } from '../../models/cases/case.js';
import { CHANNEL_LABELS } from '../cases/labels.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { statsParent, statsPeriod } from './stats-scope.js';
import { CASE_MIX_RESPONSE, caseMixQuery, TERM_SERIES_RESPONSE, termSeriesQuery } from './case-mix.schema.js';

const MAX_SERIES_DAYS = 366;

/** GET /api/stats/case-mix (weekly trend, channels, divisions) and GET /api/stats/term-series (hot-topic sparklines). */
export function caseMixRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/case-mix',
    operationId: 'getCaseMix',
    tag: 'statistics',
    summary: 'Cases received in the period per week, per channel and per division (township, or county when no township is known)',
    description:
      'The period as in GET /api/stats/units (dates are Asia/Shanghai days; default the year so far). Centre staff see every case, or with ' +
      '`parent` the cases assigned to that unit\'s subtree; a handler sees the cases assigned to its own subtree (another `parent` answers 403).',
    access: ['supervisor', 'admin', 'handler'],
    query: caseMixQuery,
    before: [staffRate],
    responses: { 200: CASE_MIX_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ query, user }) => {
      const parent = statsParent(ctx.units, user, query.parent);
      const { from, to } = statsPeriod(query, ctx.clock.now());
      const mix = await caseMix(ctx.pool, { from, to }, await sealStatistics(ctx.pool), parent === CITY_CODE ? undefined : ctx.units.subtree(parent));
      return {
        parent: { code: parent, name: ctx.units.get(parent)?.name ?? parent },
        from: from.toISOString(),
        to: to.toISOString(),
        weeks: mix.weeks,
        channels: mix.channels.map((c) => ({ ...c, label: CHANNEL_LABELS[c.channel as Channel] ?? c.channel })),
        divisions: mix.divisions.map((d) => {
          const countyCode = d.code.length >= 6 ? d.code.slice(0, 6) : null;
          return { ...d, name: ctx.units.get(d.code)?.name ?? null, countyCode, countyName: countyCode ? (ctx.units.get(countyCode)?.name ?? null) : null };
        }),
      };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/term-series',
    operationId: 'getTermSeries',
    tag: 'statistics',
    summary: 'Cases mentioning each term per day of the period, city-wide (the sparklines of the hot topics)',
    description: `\`terms\`: up to 30 comma-separated words as GET /api/stats/hot-topics names them. Counts cover indexed cases. At most ${MAX_SERIES_DAYS} days; default the year so far.`,
    access: ['supervisor', 'admin'],
    query: termSeriesQuery,
    before: [staffRate],
    responses: { 200: TERM_SERIES_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const { from, to } = statsPeriod(query, ctx.clock.now());
      const days = periodDays(from, to);
      if (days.length > MAX_SERIES_DAYS) throw badRequest('Period too long', [{ path: 'query.from', message: `the period may be at most ${MAX_SERIES_DAYS} days long` }]);
      const counts = await termCounts(ctx.pool, query.terms, days);
      return { days, items: query.terms.map((term) => ({ term, counts: counts.get(term) ?? [] })) };
    },
  });
  return router;
}
