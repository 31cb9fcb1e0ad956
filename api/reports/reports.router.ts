import { Router } from 'express';
import Joi from 'joi';
import { forbidden } from '../../errors.js';
import { disclosureReport, disclosureReportRows } from '../../models/insights/reports/disclosure-report.js';
import type { ApiContext } from '../context.js';
import { unitCode } from '../http/common.schema.js';
import { sendCsv } from '../http/csv.js';
import { defineRoute } from '../http/route.js';

const query = Joi.object<{ year: number; unit?: string; format: 'json' | 'csv' }>({
  year: Joi.number().integer().min(2000).max(2100).required(),
  unit: unitCode,
  format: Joi.string().valid('json', 'csv').default('json'),
});

/** GET /api/reports/disclosure: the 依申请公开情况 section of the annual report, computed from the cases. */
export function reportsRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/reports/disclosure',
    operationId: 'getDisclosureReport',
    tag: 'reports',
    summary: 'Disclosure requests of a year in the layout of the annual report (received by mode, completed on time / extended, replies by outcome and ground)',
    access: ['admin', 'supervisor', 'handler'],
    query,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query: q, user, res }) => {
      const unit = q.unit ?? (user?.role === 'handler' ? user.unitCode ?? undefined : undefined);
      if (user?.role === 'handler' && (!user.unitCode || !unit || !ctx.units.isWithin(user.unitCode, unit))) throw forbidden('That unit is outside your own');
      const path = unit ? (ctx.units.get(unit)?.path ?? `${unit}/`) : null;
      const report = await disclosureReport(ctx.pool, q.year, path);
      if (q.format === 'json') return report;
      sendCsv(res, `disclosure-${q.year}.csv`, ['项目', '单位', '数量'], disclosureReportRows(report));
      return undefined;
    },
  });
  return router;
}
