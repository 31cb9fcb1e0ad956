import { Router } from 'express';
import { badRequest, forbidden, notFound } from '../../errors.js';
import { archiveArticle, createArticle, findArticle, listArticles, listArticleVersions, updateArticle } from '../../models/knowledge/knowledge.repository.js';
import { calendarDateOf } from '../../models/time-limits/working-calendar.js';
import type { StaffPrincipal } from '../auth/token.js';
import type { ApiContext } from '../context.js';
import { idParams } from '../http/common.schema.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { presentArticle, presentVersion } from './knowledge.presenter.js';
import { ARTICLE, ARTICLE_LIST, articleBody, articleListQuery, articleSearchQuery, articleUpdateBody, assertValidity, SEARCH_RESULT, VERSION_LIST } from './knowledge.schema.js';

const WRITERS = ['supervisor', 'admin', 'handler'] as const;
const WRITE_RULE = 'The centre (supervisors) and admins write any article; a unit\'s handlers write the articles of their own unit and the units below it; operators read.';

/**
 * GET/POST /api/knowledge, GET /api/knowledge/search, GET/PUT/DELETE /api/knowledge/{id} and
 * GET /api/knowledge/{id}/versions: the knowledge base (知识库) the desk answers from.
 */
export function knowledgeRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });
  const today = (): string => calendarDateOf(ctx.clock.now());

  /** Refuses a write to an article owned by `unitCode` that this staff member may not make. */
  const assertMayWrite = (user: StaffPrincipal | undefined, unitCode: string): void => {
    if (user?.role === 'supervisor' || user?.role === 'admin') return;
    if (user?.role === 'handler' && user.unitCode && ctx.units.isWithin(user.unitCode, unitCode)) return;
    throw forbidden('Only the centre, admins and the owning unit write this article');
  };
  const assertKnownUnit = (code: string): void => {
    if (!ctx.units.get(code)) throw badRequest('Unknown unit', [{ path: 'body.unitCode', message: `no unit has the code "${code}"` }]);
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/knowledge',
    operationId: 'listKnowledgeArticles',
    tag: 'knowledge',
    summary: 'List knowledge-base articles, most recently changed first (archived ones with archived=true)',
    access: 'staff',
    query: articleListQuery,
    before: [staffRate],
    responses: { 200: ARTICLE_LIST, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const page = await listArticles(ctx.pool, { ...query, unitCodes: query.unit ? ctx.units.subtree(query.unit) : undefined });
      const day = today();
      return { items: page.items.map((a) => presentArticle(a, day)), total: page.total };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/knowledge',
    operationId: 'createKnowledgeArticle',
    tag: 'knowledge',
    summary: 'Write a new article; its first version starts its history',
    description: WRITE_RULE,
    access: WRITERS,
    body: articleBody,
    before: [staffRate],
    status: 201,
    responses: { 201: ARTICLE, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => {
      assertValidity(body);
      assertKnownUnit(body.unitCode);
      assertMayWrite(user, body.unitCode);
      return presentArticle(await createArticle(ctx.pool, body, user?.id ?? null), today());
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/knowledge/search',
    operationId: 'searchKnowledgeArticles',
    tag: 'knowledge',
    summary: 'Articles for a question, most relevant first: jieba words and their synonyms, articles in force today by default',
    description: 'Relevance weighs each word of the question (or a synonym of it) by how rare it is among the articles, counts title and keywords above the body, and prefers articles that cover more of the question. Archived articles are never found.',
    access: 'staff',
    query: articleSearchQuery,
    before: [staffRate],
    responses: { 200: SEARCH_RESULT, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const day = today();
      const hits = await ctx.knowledge.search(query.q, {
        validOn: query.anyDate ? null : (query.validOn ?? day),
        unitCodes: query.unit ? ctx.units.subtree(query.unit) : undefined,
        limit: query.limit,
      });
      return { items: hits.map((h) => ({ ...presentArticle(h.article, day), score: Math.round(h.score * 1000) / 1000, matched: h.matched })) };
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/knowledge/{id}',
    operationId: 'getKnowledgeArticle',
    tag: 'knowledge',
    summary: 'One article as it stands now (archived ones too)',
    access: 'staff',
    params: idParams,
    before: [staffRate],
    responses: { 200: ARTICLE, 400: 'Error', 401: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const article = await findArticle(ctx.pool, params.id);
      if (!article) throw notFound('Article');
      return presentArticle(article, today());
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/knowledge/{id}',
    operationId: 'updateKnowledgeArticle',
    tag: 'knowledge',
    summary: 'Change an article: the new content becomes the next version and the one before stays in its history',
    description: `${WRITE_RULE} A handler moving an article needs both units. Pass \`expectedVersion\` to refuse the change (409) if someone changed the article since it was read. An archived article answers 409.`,
    access: WRITERS,
    params: idParams,
    body: articleUpdateBody,
    before: [staffRate],
    responses: { 200: ARTICLE, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error', 409: 'Error' },
    handler: async ({ params, body, user }) => {
      const { expectedVersion, ...content } = body;
      assertValidity(content);
      assertKnownUnit(content.unitCode);
      assertMayWrite(user, content.unitCode);
      const updated = await updateArticle(ctx.pool, params.id, content, user?.id ?? null, { expectedVersion, authorize: (current) => assertMayWrite(user, current.unitCode) });
      return presentArticle(updated, today());
    },
  });

  defineRoute(router, ctx.authenticate, {
    method: 'delete',
    path: '/api/knowledge/{id}',
    operationId: 'archiveKnowledgeArticle',
    tag: 'knowledge',
    summary: 'Archive an article: it leaves search and the list, and its whole history is kept (archiving again changes nothing)',
    description: WRITE_RULE,
    access: WRITERS,
    params: idParams,
    before: [staffRate],
    responses: { 200: ARTICLE, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, user }) => presentArticle(await archiveArticle(ctx.pool, params.id, user?.id ?? null, (current) => assertMayWrite(user, current.unitCode)), today()),
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/knowledge/{id}/versions',
    operationId: 'listKnowledgeArticleVersions',
    tag: 'knowledge',
    summary: "An article's history: every version it had, newest first, with who changed it and how",
    access: 'staff',
    params: idParams,
    before: [staffRate],
    responses: { 200: VERSION_LIST, 400: 'Error', 401: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const versions = await listArticleVersions(ctx.pool, params.id);
      if (versions.length === 0) throw notFound('Article');
      return { items: versions.map(presentVersion) };
    },
  });
  return router;
}
