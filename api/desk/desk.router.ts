import { Router } from 'express';
import { OPEN_STATUSES } from '../../models/cases/case.js';
import { calendarDateOf } from '../../models/time-limits/working-calendar.js';
import { findCallerCases, findCasesRegisteredBy, findLikelyDuplicates, type DeskCase } from '../../models/cases/desk.repository.js';
import { STATUS_LABELS } from '../cases/labels.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { callerCasesQuery, deskCaseList, duplicateList, duplicatesBody } from './desk.schema.js';

// The desk's look-ups search every unit's cases by a citizen's number: the centre's staff only,
// never a unit's handler, whose view stops at its own subtree.
const DESK_ROLES = ['operator', 'supervisor', 'admin'] as const;

function presentDeskCase<T extends DeskCase>(c: T): Omit<T, 'receivedAt'> & { receivedAt: string; statusLabel: string; open: boolean } {
  return { ...c, receivedAt: c.receivedAt.toISOString(), statusLabel: STATUS_LABELS[c.status], open: OPEN_STATUSES.includes(c.status) };
}

/** 00:00 Asia/Shanghai of the day `now` falls on. */
function startOfShanghaiDay(now: Date): Date {
  return new Date(`${calendarDateOf(now)}T00:00:00+08:00`);
}

/** The operator's desk: the caller's earlier cases, likely duplicates of a draft, the operator's own day. */
export function deskRouter(ctx: ApiContext): Router {
  const router = Router();
  const staffRate = limitRate(ctx.redis, RATE_LIMITS.staff);

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    operationId: 'listCallerCases',
    path: '/api/desk/caller-cases',
    tag: 'desk',
    summary: "The caller's earlier cases by phone number (digits compared), newest first, with whether each is still open",
    access: DESK_ROLES,
    query: callerCasesQuery,
    before: [staffRate],
    responses: { 200: deskCaseList, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ query }) => ({ items: (await findCallerCases(ctx.pool, query.phone, query.limit)).map(presentDeskCase) }),
  });

  defineRoute(router, ctx.authenticate, {
    method: 'post',
    operationId: 'findDraftDuplicates',
    path: '/api/desk/duplicates',
    tag: 'desk',
    summary: 'Likely duplicates of a case being typed: recent cases of the same caller or township with similar text',
    access: DESK_ROLES,
    body: duplicatesBody,
    before: [staffRate],
    responses: { 200: duplicateList, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ body }) => ({ items: (await findLikelyDuplicates(ctx.pool, body, ctx.clock.now(), 10)).map(presentDeskCase) }),
  });

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    operationId: 'listMyCasesToday',
    path: '/api/desk/my-cases',
    tag: 'desk',
    summary: 'The cases the signed-in staff member registered today (Asia/Shanghai), newest first',
    access: DESK_ROLES,
    before: [staffRate],
    responses: { 200: deskCaseList, 401: 'Error', 403: 'Error' },
    handler: async ({ user }) => ({
      items: user ? (await findCasesRegisteredBy(ctx.pool, user.id, startOfShanghaiDay(ctx.clock.now()), 100)).map(presentDeskCase) : [],
    }),
  });
  return router;
}
