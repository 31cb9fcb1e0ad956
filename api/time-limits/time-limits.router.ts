import { Router } from 'express';
import { notFound } from '../../errors.js';
import { yearSchedule } from '../../models/time-limits/calendar-year.js';
import { DEFAULT_WARN_AT } from '../../models/time-limits/time-limit-policy.js';
import { recomputeProvisionalDeadlines } from '../../models/time-limits/recompute-deadlines.js';
import { currentPolicySet, deleteCalendarOverride, loadCalendar, putCalendarOverrides, storePolicySet, type PolicySet } from '../../models/time-limits/time-limits.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { calendarYearParams, overrideDateParams, overridesBody, overridesQuery, policiesBody } from './time-limits.schema.js';

/** The years a deadline set now could fall in: this year and the next. */
export function yearsInReach(now: Date): number[] {
  const year = Number(now.toISOString().slice(0, 4));
  return [year, year + 1];
}

/** A policy set as the API shows it. */
function presentPolicySet(set: PolicySet): Record<string, unknown> {
  return { version: set.version, createdAt: set.createdAt.toISOString(), policies: set.policies, procedureLimits: set.procedureLimits };
}

/** Time-limit policies and the working-day calendar (admin writes, staff reads). */
export function timeLimitsRouter(ctx: ApiContext): Router {
  const router = Router();
  const calendarStatus = (): Record<string, unknown> => {
    const uncovered = yearsInReach(ctx.clock.now()).filter((y) => !ctx.timeLimits.calendar.isYearCovered(y));
    return { coveredYears: ctx.timeLimits.calendar.coveredYears(), uncoveredYears: uncovered };
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/time-limit-policies',
    operationId: 'listTimeLimitPolicies',
    tag: 'time limits',
    summary: 'The time-limit policies in force (per case type and urgency), the limits of the procedures, and their version',
    description:
      '`procedureLimits` holds the limits of the procedures, whatever the case type: `thirdPartyAnswer` (a third party consulted on a disclosure request, 15 working days, art. 32), ' +
      '`arbitration` (the centre decides a contested dispatch, 5 working days) and `ratingAppeal` (a unit appeals a dissatisfied rating, 5 working days). Each deadline they set records the set\'s version.',
    access: 'staff',
    responses: { 200: { type: 'object' }, 401: 'Error' },
    handler: async () => {
      return presentPolicySet(await currentPolicySet(ctx.pool));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/time-limit-policies',
    operationId: 'replaceTimeLimitPolicies',
    tag: 'time limits',
    summary: 'Replace the policy set; new deadlines use it, existing deadlines keep the version that produced them',
    description: '`procedureLimits` is optional, and so is each of its limits: those left out keep their value in the set in force.',
    access: ['admin'],
    body: policiesBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => {
      const policies = body.policies.map((p) => ({ ...p, warnAt: p.warnAt ?? DEFAULT_WARN_AT }));
      const set = await storePolicySet(ctx.pool, policies, body.procedureLimits ?? {}, user?.id ?? null);
      await ctx.announceConfigChanged('time-limits');
      return presentPolicySet(set);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/calendar/overrides',
    operationId: 'listCalendarOverrides',
    tag: 'time limits',
    summary: 'Calendar overrides, and which years have an official holiday schedule (national package or loaded by an admin)',
    access: 'staff',
    query: overridesQuery,
    responses: { 200: { type: 'object' }, 401: 'Error' },
    handler: async ({ query }) => {
      const stored = await loadCalendar(ctx.pool);
      const overrides = query.year === undefined ? stored.overrides : stored.overrides.filter((o) => o.date.startsWith(`${query.year}-`));
      return { overrides, loadedYears: stored.loadedYears, ...calendarStatus() };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/calendar/years/{year}',
    operationId: 'getCalendarYear',
    tag: 'time limits',
    summary: "One year's holidays and adjusted workdays (调休) as deadlines count them, and whether the year has an official schedule",
    description:
      '`days` lists only the exceptional days: `holiday` (a day off) or `workday` (a weekend day worked), each with its `source`: ' +
      '`national` (the State Council schedule), `statutory` (the fixed days of the law, in a year without an official schedule: `official` is false and deadlines over it are provisional) or `override` (an admin\'s).',
    access: 'staff',
    params: calendarYearParams,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error' },
    handler: async ({ params }) => {
      const stored = await loadCalendar(ctx.pool);
      return yearSchedule(params.year, stored.overrides, stored.loadedYears);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/calendar/overrides',
    operationId: 'putCalendarOverrides',
    tag: 'time limits',
    summary:
      "Add or change overrides; with `year`, load that year's official schedule in one request (replacing its overrides), then count every open case's provisional deadlines again under it (`recomputed`: how many cases changed, each with a timeline event)",
    access: ['admin'],
    body: overridesBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body, user }) => {
      await putCalendarOverrides(ctx.pool, body.overrides, { year: body.year, actorId: user?.id ?? null });
      await ctx.announceConfigChanged('time-limits');
      // The official schedule replaces the statutory-holidays-only count of that year (docs/decisions/007).
      await ctx.timeLimits.refresh();
      const recomputed = body.year === undefined ? 0 : await recomputeProvisionalDeadlines(ctx.pool, ctx.timeLimits.calendar, ctx.clock.now, [body.year]);
      const stored = await loadCalendar(ctx.pool);
      return { overrides: stored.overrides, loadedYears: stored.loadedYears, recomputed, ...calendarStatus() };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'delete',
    path: '/api/calendar/overrides/{date}',
    operationId: 'deleteCalendarOverride',
    tag: 'time limits',
    summary: 'Remove the override of one date (the national calendar applies again)',
    access: ['admin'],
    params: overrideDateParams,
    status: 204,
    responses: { 204: { type: 'null' }, 401: 'Error', 403: 'Error', 404: 'Error' },
    handler: async ({ params, res, user }) => {
      if (!(await deleteCalendarOverride(ctx.pool, params.date, user?.id ?? null))) throw notFound('Override');
      await ctx.announceConfigChanged('time-limits');
      res.status(204).end();
    },
  });
  return router;
}
