import { Router } from 'express';
import Joi from 'joi';
import { notFound } from '../../errors.js';
import { getUnit, listUnits } from '../../models/org/unit.repository.js';
import type { ApiContext } from '../context.js';
import { unitCode } from '../http/common.schema.js';
import { defineRoute } from '../http/route.js';

interface ListUnitsQuery {
  kind?: string;
  parent?: string;
  q?: string;
  limit: number;
  offset: number;
}

const listUnitsQuery = Joi.object<ListUnitsQuery>({
  kind: Joi.string().valid('city', 'county', 'township', 'department', 'petitions_office', 'disclosure_office', 'hotline_centre'),
  parent: unitCode,
  q: Joi.string().trim().min(1).max(50),
  limit: Joi.number().integer().min(1).max(500).default(100),
  offset: Joi.number().integer().min(0).max(100_000).default(0),
});

/** GET /api/units and GET /api/units/{code}. */
export function unitsRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/units',
    operationId: 'listUnits',
    tag: 'units',
    summary: 'List or search units (q matches the name, or pinyin / pinyin initials such as "tyz" for 探沂镇)',
    access: 'staff',
    query: listUnitsQuery,
    responses: { 200: 'UnitList', 400: 'Error', 401: 'Error' },
    handler: ({ query }) => listUnits(ctx.pool, query),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/units/{code}',
    operationId: 'getUnit',
    tag: 'units',
    summary: 'One unit',
    access: 'staff',
    params: Joi.object<{ code: string }>({ code: unitCode.required() }),
    responses: { 200: 'Unit', 401: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const unit = await getUnit(ctx.pool, params.code);
      if (!unit) throw notFound('Unit');
      return unit;
    },
  });
  return router;
}
