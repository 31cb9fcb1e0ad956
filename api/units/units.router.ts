import { Router } from 'express';
import { notFound } from '../../errors.js';
import { rebuildStatistics } from '../../models/insights/stats/rollup.js';
import { changeUnit, createUnit } from '../../models/org/unit-admin.repository.js';
import { getUnit, listUnits } from '../../models/org/unit.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { changeUnitBody, createUnitBody, listUnitsQuery, unitParams } from './units.schema.js';

/** GET /api/units and GET /api/units/{code}; an admin's POST /api/units and PATCH /api/units/{code}. */
export function unitsRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/units',
    operationId: 'listUnits',
    tag: 'units',
    summary: 'List or search units (q matches the name, or pinyin / pinyin initials such as "tyz" for 探沂镇); disabled units only with includeDisabled=true',
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
    params: unitParams,
    responses: { 200: 'Unit', 401: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const unit = await getUnit(ctx.pool, params.code);
      if (!unit) throw notFound('Unit');
      return unit;
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/units',
    operationId: 'createUnit',
    tag: 'units',
    summary: 'Create a unit under a parent (admin); its pinyin and initials are computed from the name, as for the seeded units',
    description: 'Audited (`create`). A code already taken answers 409; an unknown parent 400.',
    access: ['admin'],
    body: createUnitBody,
    status: 201,
    responses: { 201: 'Unit', 400: 'Error', 401: 'Error', 403: 'Error', 409: 'Error' },
    handler: async ({ body, user }) => {
      const unit = await createUnit(ctx.pool, body, user?.id ?? null);
      await ctx.announceConfigChanged('units');
      return unit;
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'patch',
    path: '/api/units/{code}',
    operationId: 'changeUnit',
    tag: 'units',
    summary: 'Rename a unit, move it (with its subtree) under another parent, or disable / enable it (admin)',
    description:
      'Each change is audited (`rename`, `move`, `disable`, `enable`). A unit cannot move under its own subtree (400). A disabled unit keeps its cases ' +
      'but is left out of GET /api/units (unless includeDisabled), refused as a dispatch target (400), and routing dispatches nothing to it: a rule ' +
      'naming it is passed over with the reason, and a case no other rule takes goes to the manual queue. A move rebuilds the statistics in the background.',
    access: ['admin'],
    params: unitParams,
    body: changeUnitBody,
    responses: { 200: 'Unit', 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, body, user }) => {
      const { unit, moved } = await changeUnit(ctx.pool, params.code, body, user?.id ?? null);
      await ctx.announceConfigChanged('units');
      // The subtree rollups were summed by the old tree; a rebuild takes a while over a long history.
      if (moved) void rebuildStatistics(ctx.pool).catch((error: unknown) => ctx.log.error({ err: error }, 'rebuilding statistics after a unit move failed'));
      return unit;
    },
  });
  return router;
}
