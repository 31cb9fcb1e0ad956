import { Router } from 'express';
import { badRequest, notFound } from '../../errors.js';
import { placeCase, routeCase } from '../../models/cases/case-intake.js';
import { createRule, deleteRule, getRule, listRevisions, listRules, updateRule, type StoredRule } from '../../models/routing/routing-rule.repository.js';
import type { RoutingRule } from '../../routing-rules/rule.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { createRuleBody, revisionsQuery, ruleParams, simulateBody, updateRuleBody } from './routing-rules.schema.js';

const present = (r: StoredRule): Record<string, unknown> => ({ ...r, updatedAt: r.updatedAt.toISOString() });

/** Routing rules as data: read by the centre, edited by admins (versioned and audited), and simulated. */
export function routingRulesRouter(ctx: ApiContext): Router {
  const router = Router();
  const assertTargetExists = (rule: RoutingRule): void => {
    if (rule.target.kind === 'unit' && !ctx.units.get(rule.target.unitCode)) {
      throw badRequest('Unknown unit', [{ path: 'body.target.unitCode', message: `no unit has the code "${rule.target.unitCode}"` }]);
    }
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/routing-rules',
    operationId: 'listRoutingRules',
    tag: 'routing',
    summary: 'The routing rules in decision order (priority, then id), with the rule-set version in force',
    access: ['admin', 'supervisor', 'operator'],
    responses: { 200: { type: 'object' }, 401: 'Error', 403: 'Error' },
    handler: async () => ({ version: ctx.ruleSet.version, items: (await listRules(ctx.pool)).map(present) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/routing-rules/revisions',
    operationId: 'listRoutingRuleRevisions',
    tag: 'routing',
    summary: 'The audit trail of rule changes: who, when, before and after',
    access: ['admin', 'supervisor'],
    query: revisionsQuery,
    responses: { 200: { type: 'object' }, 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => ({
      items: (await listRevisions(ctx.pool, query.ruleId, query.limit)).map((r) => ({ ...r, at: r.at.toISOString() })),
    }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/routing-rules/{id}',
    operationId: 'getRoutingRule',
    tag: 'routing',
    summary: 'One rule',
    access: ['admin', 'supervisor', 'operator'],
    params: ruleParams,
    responses: { 200: { type: 'object' }, 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params }) => {
      const rule = await getRule(ctx.pool, params.id);
      if (!rule) throw notFound('Routing rule');
      return present(rule);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/routing-rules',
    operationId: 'createRoutingRule',
    tag: 'routing',
    summary: 'Create a rule; every API process routes with it as soon as this returns',
    access: ['admin'],
    body: createRuleBody,
    status: 201,
    responses: { 201: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error', 409: 'Error' },
    handler: async ({ body, user }) => {
      assertTargetExists(body);
      const stored = await createRule(ctx.pool, body, user?.id ?? '');
      await ctx.announceConfigChanged('routing-rules');
      return present(stored);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/routing-rules/{id}',
    operationId: 'updateRoutingRule',
    tag: 'routing',
    summary: 'Replace a rule (pass expectedVersion to refuse a stale edit)',
    access: ['admin'],
    params: ruleParams,
    body: updateRuleBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error', 409: 'Error' },
    handler: async ({ params, body, user }) => {
      const { expectedVersion, ...fields } = body;
      const rule: RoutingRule = { id: params.id, ...fields };
      assertTargetExists(rule);
      const stored = await updateRule(ctx.pool, rule, user?.id ?? '', expectedVersion);
      await ctx.announceConfigChanged('routing-rules');
      return present(stored);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'delete',
    path: '/api/routing-rules/{id}',
    operationId: 'deleteRoutingRule',
    tag: 'routing',
    summary: 'Delete a rule (its last state stays in the audit trail)',
    access: ['admin'],
    params: ruleParams,
    status: 204,
    responses: { 204: { type: 'null' }, 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, user, res }) => {
      await deleteRule(ctx.pool, params.id, user?.id ?? '');
      await ctx.announceConfigChanged('routing-rules');
      res.status(204).end();
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/routing-rules/simulate',
    operationId: 'simulateRouting',
    tag: 'routing',
    summary: 'Route a case-shaped body without storing it: the division, the rule that matched and why, and the rules that nearly matched',
    access: ['admin', 'supervisor', 'operator'],
    body: simulateBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: ({ body }) => {
      const input = { ...body, citizen: {} };
      const placement = placeCase(input, ctx.intake.locator);
      const { routing } = routeCase(input, placement, ctx.intake);
      const unitCode = typeof routing.unitCode === 'string' ? routing.unitCode : null;
      return {
        divisionCode: placement.divisionCode,
        division: placement.division,
        assignedUnit: unitCode ? { code: unitCode, name: ctx.units.get(unitCode)?.name ?? unitCode } : null,
        routing,
      };
    },
  });
  return router;
}
