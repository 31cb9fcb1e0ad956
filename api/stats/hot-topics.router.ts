import { Router } from 'express';
import { hotTopics, type HotTopic } from '../../models/insights/hot-topics/hot-topics.js';
import { periodDays, termCounts } from '../../models/insights/stats/case-mix.js';
import { GROWTH_SMOOTHING } from '../../models/insights/hot-topics/rising.js';
import { loadWatchList, replaceWatchList, watchSettingsOf, type WatchList } from '../../models/insights/hot-topics/watch-list.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { resolveDivision, resolvePeriod } from '../supervision/period.js';
import { hotTopicsQuery, hotTopicsResponse, watchListBody, watchListResponse } from './hot-topics.schema.js';

// Longer periods would compare against a previous period beyond a year of history.
const MAX_PERIOD_DAYS = 366;

function presentTopic(t: HotTopic): Record<string, unknown> {
  return {
    term: t.term,
    current: t.current,
    previous: t.previous,
    growth: Math.round(t.growth * 1000) / 1000,
    change: t.change,
    divisions: t.divisions,
    counties: t.counties,
    examples: t.examples,
  };
}

function presentWatchList(list: WatchList): Record<string, unknown> {
  return {
    ...watchSettingsOf(list),
    terms: list.terms.map((t) => ({ term: t.term, growth: t.growth, minCount: t.minCount, backfilled: t.backfilledAt !== null, addedAt: t.addedAt })),
    updatedAt: list.updatedAt,
  };
}

/** GET /api/stats/hot-topics and the watch list of the early warning (舆情预警). */
export function hotTopicsRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/hot-topics',
    operationId: 'getHotTopics',
    tag: 'statistics',
    summary: 'Terms and categories rising fastest against the preceding period of equal length (热点), where they cluster, example cases',
    description:
      'Terms are jieba words of title and content (stop words, single characters, numbers and Linyi place names dropped; at most the 20 most ' +
      'specific per case) plus the watch-list terms. Each case counts once per term. growth = (current + 5) / (previous + 5): the ' +
      'pseudo-count keeps 1 -> 3 (1.33) below 40 -> 80 (1.89). Ranked by growth, then count, among terms with at least `minCount` ' +
      'cases. `from` defaults to 7 days before `to`, `to` to now; at most 366 days. Counts cover indexed cases (see `pendingCases`). ' +
      'With `series=true` each rising term also carries its cases per day over the period, city-wide (`series`, one per entry of `days`), as GET /api/stats/term-series gives them: one request for the dashboard\'s sparklines.',
    access: ['supervisor', 'admin'],
    query: hotTopicsQuery,
    before: [staffRate],
    responses: { 200: hotTopicsResponse, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const period = resolvePeriod(query, ctx.clock.now(), 7, MAX_PERIOD_DAYS);
      const divisionPrefix = resolveDivision(ctx.units, query.division);
      const report = await hotTopics(ctx.pool, { period, divisionPrefix, limit: query.limit, minCount: query.minCount });
      const days = query.series ? periodDays(period.from, period.to) : null;
      const series = days ? await termCounts(ctx.pool, report.terms.map((t) => t.term), days) : null;
      return {
        period: report.period,
        previousPeriod: report.previousPeriod,
        division: report.divisionPrefix,
        cases: report.cases,
        smoothing: GROWTH_SMOOTHING,
        terms: report.terms.map((t) => ({ ...presentTopic(t), ...(series ? { series: series.get(t.term) ?? [] } : {}) })),
        categories: report.categories.map(presentTopic),
        watched: report.watched.map((w) => ({ ...presentTopic(w), threshold: w.threshold, pastThreshold: w.pastThreshold })),
        pendingCases: report.pendingCases,
        ...(days ? { days } : {}),
      };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/hot-topics/watch-list',
    operationId: 'getHotTopicWatchList',
    tag: 'statistics',
    summary: 'The early-warning thresholds and the watch list (terms always tracked, taught to the segmenter)',
    access: ['supervisor', 'admin'],
    before: [staffRate],
    responses: { 200: watchListResponse, 401: 'Error', 403: 'Error' },
    handler: async () => presentWatchList(await loadWatchList(ctx.pool)),
  });

  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/stats/hot-topics/watch-list',
    operationId: 'replaceHotTopicWatchList',
    tag: 'statistics',
    summary: 'Replace the thresholds and the watch list',
    description:
      'A term rising in the last `windowHours` against the `windowHours` before, with at least `minCount` cases and growth at least `growth`, ' +
      'is pushed to the centre once per window. Watch-list terms may carry their own threshold; with `allTerms: false` only they are checked. ' +
      'A new term is looked for in the cases indexed before it by the next indexing run (`backfilled`), and raises no warning until then.',
    access: ['admin'],
    body: watchListBody,
    before: [staffRate],
    responses: { 200: watchListResponse, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => presentWatchList(await replaceWatchList(ctx.pool, body, user?.id ?? null)),
  });
  return router;
}
