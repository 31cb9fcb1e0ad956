import { Router } from 'express';
import { sharedFlight } from '../../infra/shared-flight.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import { currentWeights, rankUnits, RANKING_GROUPS, saveWeights, weightHistory } from '../../models/insights/stats/ranking.js';
import { sealStatistics } from '../../models/insights/stats/rollup.js';
import { unitStatistics, type UnitFigures } from '../../models/insights/stats/unit-stats.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { statsParent, statsPeriod } from './stats-scope.js';
import { presentWeights, unitStatsCsv } from './unit-stats.presenter.js';
import { DEFINITIONS, RANKINGS_RESPONSE, rankingsQuery, UNIT_STATS_RESPONSE, unitStatsQuery, WEIGHTS_RESPONSE, weightsBody } from './unit-stats.schema.js';

// A weight set's history is short: a few changes a year.
const HISTORY_LIMIT = 50;

/** GET /api/stats/units, GET /api/stats/rankings, GET/PUT /api/stats/ranking-weights. */
export function unitStatsRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });
  // The dashboard asks for the city's units and for the ranking (the same figures) at once.
  const shared = sharedFlight<UnitFigures[]>();
  const figuresOf = async (parent: string, from: Date, to: Date): Promise<UnitFigures[]> => {
    const sealed = await sealStatistics(ctx.pool);
    return shared(`${parent} ${from.toISOString()} ${to.toISOString()} ${sealed.toISOString()}`, () => unitStatistics(ctx.pool, parent, from, to, sealed));
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/units',
    operationId: 'getUnitStats',
    tag: 'statistics',
    summary: 'Unit statistics: received, on-time acceptance and reply, overdue, returns, extensions, reopens, 催办, ratings and the three rates, per unit rolled up over its subtree',
    description: `${DEFINITIONS}\n\nA handler sees its own unit's subtree only (by default its own unit; another \`parent\` answers 403). \`format=csv\` answers text/csv (UTF-8 with a byte order mark, for Excel) with a header row of the field names and one row per item.`,
    access: ['supervisor', 'admin', 'handler'],
    query: unitStatsQuery,
    before: [staffRate],
    responses: { 200: UNIT_STATS_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ query, user, res }) => {
      const parent = statsParent(ctx.units, user, query.parent);
      const { from, to } = statsPeriod(query, ctx.clock.now());
      const items = await figuresOf(parent, from, to);
      if (query.format === 'csv') {
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', `attachment; filename="unit-stats-${parent}-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`);
        res.send(unitStatsCsv(items));
        return undefined;
      }
      return { parent: { code: parent, name: ctx.units.get(parent)?.name ?? parent }, from: from.toISOString(), to: to.toISOString(), items };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/rankings',
    operationId: 'getUnitRankings',
    tag: 'statistics',
    summary: "Ranking (县区排名) of the city's counties and zones, or of its departments, by a weighted score of the three rates",
    description:
      'score = (response × responseRate + resolution × resolutionRate + satisfaction × satisfactionRate) / (sum of the weights of the rates the unit has) − overduePenalty × overdueRate, ' +
      'where overdueRate = overdue / acceptDue (at most 1), and the weights are those of GET /api/stats/ranking-weights. Figures are rolled up over each unit\'s subtree, as in GET /api/stats/units. ' +
      'Highest score first; a tie goes to the unit asked to sign for more cases, then to the lower unit code. Units with none of the rates (no data) come last with score and rank null.',
    access: ['supervisor', 'admin'],
    query: rankingsQuery,
    before: [staffRate],
    responses: { 200: RANKINGS_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const { from, to } = statsPeriod(query, ctx.clock.now());
      const kinds: readonly string[] = RANKING_GROUPS[query.group];
      const [figures, weights] = await Promise.all([
        figuresOf(CITY_CODE, from, to),
        currentWeights(ctx.pool),
      ]);
      const members = figures.filter((f) => f.level === 'child' && kinds.includes(f.kind));
      return { group: query.group, from: from.toISOString(), to: to.toISOString(), weights: presentWeights(weights), items: rankUnits(members, weights) };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/ranking-weights',
    operationId: 'getRankingWeights',
    tag: 'statistics',
    summary: 'The ranking weights in force, and the earlier versions with who set them and when',
    access: ['supervisor', 'admin'],
    responses: { 200: WEIGHTS_RESPONSE, 401: 'Error', 403: 'Error' },
    handler: async () => {
      const [current, ...history] = await weightHistory(ctx.pool, HISTORY_LIMIT);
      if (!current) throw new Error('no ranking weights stored');
      return { current: presentWeights(current), history: history.map(presentWeights) };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/stats/ranking-weights',
    operationId: 'replaceRankingWeights',
    tag: 'statistics',
    summary: 'Set the ranking weights (response, resolution and satisfaction sum to 1; overduePenalty 0..1); recorded with who and when',
    access: ['admin'],
    body: weightsBody,
    responses: { 200: WEIGHTS_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => {
      await saveWeights(ctx.pool, body, user?.id ?? '');
      const [current, ...history] = await weightHistory(ctx.pool, HISTORY_LIMIT);
      if (!current) throw new Error('no ranking weights stored');
      return { current: presentWeights(current), history: history.map(presentWeights) };
    },
  });
  return router;
}
