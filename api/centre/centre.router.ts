import { Router } from 'express';
import Joi from 'joi';
import { centreQueues, type CentreQueueCase } from '../../models/centre/centre-queues.js';
import type { CaseStatus, CaseType, Channel } from '../../models/cases/case.js';
import { CHANNEL_LABELS, STATUS_LABELS, TYPE_LABELS } from '../cases/labels.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { CENTRE_QUEUES_RESPONSE } from './centre.schema.js';

function presentQueueCase(c: CentreQueueCase, unitName: (code: string) => string | null): Record<string, unknown> {
  return {
    ...c,
    typeLabel: TYPE_LABELS[c.type as CaseType] ?? c.type,
    channelLabel: CHANNEL_LABELS[c.channel as Channel] ?? c.channel,
    statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    receivedAt: c.receivedAt.toISOString(),
    replyBy: c.replyBy?.toISOString() ?? null,
    lastReturn: c.lastReturn ? { ...c.lastReturn, unitName: c.lastReturn.unitCode ? unitName(c.lastReturn.unitCode) : null, at: c.lastReturn.at.toISOString() } : null,
    lastCitizenEscalationAt: c.lastCitizenEscalationAt?.toISOString() ?? null,
  };
}

/** GET /api/centre/queues: the 派单中心's worklists in one read. */
export function centreRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, { ...RATE_LIMITS.staff, max: ctx.staffRateLimit });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/centre/queues',
    operationId: 'getCentreQueues',
    tag: 'cases',
    summary: "The centre's queues: cases no rule took and cases returned (退单, with the unit's reason), extension requests to decide, open cases the citizen chased (催办), and cases overdue now per unit",
    description: 'Oldest first within each list (chased: latest chase first), at most `limit` cases each; `totals` counts every case waiting in each list. The centre only: units see their own queue at GET /api/cases.',
    access: ['supervisor', 'admin'],
    query: Joi.object<{ limit: number }>({ limit: Joi.number().integer().min(1).max(200).default(100) }),
    before: [staffRate],
    responses: { 200: CENTRE_QUEUES_RESPONSE, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => {
      const queues = await centreQueues(ctx.pool, query.limit);
      const unitName = (code: string): string | null => ctx.units.get(code)?.name ?? null;
      return {
        manual: queues.manual.map((c) => presentQueueCase(c, unitName)),
        extensions: queues.extensions.map((c) => presentQueueCase(c, unitName)),
        chased: queues.chased.map((c) => presentQueueCase(c, unitName)),
        totals: queues.totals,
        overdueByUnit: queues.overdueByUnit,
      };
    },
  });
  return router;
}
