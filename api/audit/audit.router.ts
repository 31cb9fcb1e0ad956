import { Router } from 'express';
import Joi from 'joi';
import { AUDIT_SUBJECTS, listAudit, type AuditFilter } from '../../models/accounts/audit.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';

const query = Joi.object<AuditFilter>({
  actorId: Joi.string().guid(),
  actor: Joi.string().trim().min(1).max(64),
  action: Joi.string().pattern(/^[a-z0-9_.]{1,60}$/, 'action name'),
  subjectType: Joi.string().valid(...AUDIT_SUBJECTS),
  subjectId: Joi.string().max(100),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  limit: Joi.number().integer().min(1).max(500).default(100),
  // Deep pages cost every source offset + limit rows; narrow the filters rather than page that far.
  offset: Joi.number().integer().min(0).max(10_000).default(0),
});

/** GET /api/audit: read-only; no route changes or deletes any of it (the tables refuse it too). */
export function auditRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/audit',
    operationId: 'listAuditTrail',
    tag: 'audit',
    summary: 'Who did what to which case, routing rule, policy, calendar, channel or user; newest first, a page at a time (limit, offset)',
    description: '`actor` is a username, `actorId` an account id; `action` an action name (e.g. dispatch, update, password_reset). A page holds `limit` entries; `hasMore` says whether another follows.',
    access: ['admin', 'supervisor'],
    query,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query: q }) => {
      // One entry past the page tells whether there is a next one.
      const found = await listAudit(ctx.pool, { ...q, limit: q.limit + 1 });
      return { items: found.slice(0, q.limit).map((e) => ({ ...e, at: e.at.toISOString() })), hasMore: found.length > q.limit };
    },
  });
  return router;
}
