import { Router } from 'express';
import Joi from 'joi';
import { AUDIT_SUBJECTS, listAudit, type AuditFilter } from '../../models/accounts/audit.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';

const query = Joi.object<AuditFilter>({
  actorId: Joi.string().guid(),
  subjectType: Joi.string().valid(...AUDIT_SUBJECTS),
  subjectId: Joi.string().max(100),
  from: Joi.date().iso(),
  to: Joi.date().iso(),
  limit: Joi.number().integer().min(1).max(500).default(100),
});

/** GET /api/audit: read-only; no route changes or deletes any of it (the tables refuse it too). */
export function auditRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/audit',
    operationId: 'listAuditTrail',
    tag: 'audit',
    summary: 'Who did what to which case, routing rule, policy, calendar, channel or user; newest first',
    access: ['admin', 'supervisor'],
    query,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query: q }) => ({ items: (await listAudit(ctx.pool, q)).map((e) => ({ ...e, at: e.at.toISOString() })) }),
  });
  return router;
}
