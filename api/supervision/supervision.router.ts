import { Router } from 'express';
import { notFound } from '../../errors.js';
import { isVisibleTo } from '../../models/cases/case-actions.js';
import { findCaseById } from '../../models/cases/case.repository.js';
import { findCallerDuplicates, isIndexed, listDuplicatePairs, storedDuplicatesOf, type DuplicatePair } from '../../models/insights/hot-topics/duplicates.js';
import { findRepeats, MAX_REPEAT_PERIOD_DAYS } from '../../models/insights/hot-topics/repeats.js';
import { callerKey, caseText } from '../../models/insights/hot-topics/similarity.js';
import type { ApiContext } from '../context.js';
import { findVisibleCase } from '../cases/visible-case.js';
import { idParams } from '../http/common.schema.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { resolveDivision, resolvePeriod } from './period.js';
import { caseDuplicatesResponse, duplicatePairsResponse, duplicatesQuery, repeatsQuery, repeatsResponse } from './supervision.schema.js';

const CASES_PER_GROUP = 50;
const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Repeated complaints about one place, and likely duplicates from one caller (for the `merge` action). */
export function supervisionRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/repeats',
    operationId: 'listRepeatedComplaints',
    tag: 'statistics',
    summary: 'Repeated complaints about one place: same township (or county), same category, shared matter — candidates for proactive disclosure',
    description:
      'Cases of one division and one category (or both without a category) are grouped on a shared term: each case joins the group of its ' +
      'most specific term (jieba IDF at least 6.5, so not 门口 or 晚上) that at least `minCases` cases of its division and category mention. ' +
      `Groups of at least \`minCases\`, largest first, with up to 50 case numbers each. \`from\` defaults to 30 days before \`to\`; at most ${MAX_REPEAT_PERIOD_DAYS} days.`,
    access: ['supervisor', 'admin'],
    query: repeatsQuery,
    before: [staffRate],
    responses: { 200: repeatsResponse, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const period = resolvePeriod(query, ctx.clock.now(), 30, MAX_REPEAT_PERIOD_DAYS);
      const divisionPrefix = resolveDivision(ctx.units, query.division);
      const items = await findRepeats(ctx.pool, ctx.repeatCandidates, period, { divisionPrefix, limit: query.limit, casesPerGroup: CASES_PER_GROUP, minCases: query.minCases });
      return { period, items };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/stats/duplicates',
    operationId: 'listLikelyDuplicates',
    tag: 'statistics',
    summary: 'Likely duplicates to merge: cases of one caller with near-identical text received within 7 days',
    description: 'Pairs whose later case was received in the period, newest first; `from` defaults to 30 days before `to`.',
    access: ['supervisor', 'admin'],
    query: duplicatesQuery,
    before: [staffRate],
    responses: { 200: duplicatePairsResponse, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const period = resolvePeriod(query, ctx.clock.now(), 30, 366);
      const divisionPrefix = resolveDivision(ctx.units, query.division);
      const pairs = await listDuplicatePairs(ctx.pool, period, { divisionPrefix, limit: query.limit });
      return { period, items: pairs.map((p) => ({ ...p, similarity: round(p.similarity) })) };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/cases/{id}/duplicates',
    operationId: 'listCaseDuplicates',
    tag: 'cases',
    summary: 'Likely duplicates of a case: same phone (or social account), near-identical text, received within 7 days',
    description:
      'Similarity is the Dice coefficient of the character bigrams of title and content (at least 0.8). Pairs are found by the indexer ' +
      'after intake; for a case it has not reached yet, the caller\'s indexed cases are compared at once. Another unit\'s case answers 404, ' +
      'and candidates the user may not see are left out.',
    access: 'staff',
    params: idParams,
    before: [staffRate],
    responses: { 200: caseDuplicatesResponse, 400: 'Error', 401: 'Error', 404: 'Error' },
    handler: async ({ params, user, req }) => {
      if (!user) throw notFound('Case');
      const record = await findVisibleCase(ctx, params.id, user, req.originalUrl);
      const indexed = await isIndexed(ctx.pool, record.id);
      let pairs: (DuplicatePair & { readonly detectedAt: Date | null })[] = await storedDuplicatesOf(ctx.pool, record.id);
      const caller = callerKey(record.channel, record.citizen);
      if (!indexed && caller) {
        const found = await findCallerDuplicates(ctx.pool, [{ caseId: record.id, caller, text: caseText(record.title, record.content) }]);
        pairs = found.map((p) => ({ ...p, detectedAt: null }));
      }
      const candidates = [];
      for (const pair of pairs) {
        const otherId = pair.caseId === record.id ? pair.duplicateOf : pair.caseId;
        const other = await findCaseById(ctx.pool, otherId);
        if (!other || !isVisibleTo(user, other, ctx.units)) continue;
        candidates.push({
          id: other.id,
          caseNo: other.caseNo,
          title: other.title,
          status: other.status,
          receivedAt: other.receivedAt,
          similarity: round(pair.similarity),
          relation: pair.caseId === record.id ? 'earlier' : 'later',
          detectedAt: pair.detectedAt,
        });
      }
      candidates.sort((a, b) => b.similarity - a.similarity || a.receivedAt.getTime() - b.receivedAt.getTime());
      return { id: record.id, caseNo: record.caseNo, indexed, candidates };
    },
  });
  return router;
}
