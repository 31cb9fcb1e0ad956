import { Router } from 'express';
import { notFound } from '../../errors.js';
import { registerCase } from '../../models/case-intake.js';
import { findCaseByNumberAndCode, listCaseEvents } from '../../models/case.repository.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { presentPublicCase } from './public-case.presenter.js';
import { caseNoParams, mailboxBody, publicCaseQuery } from './public.schema.js';

/** The citizen's API: the mayor's mailbox and the de-identified case view. No account needed. */
export function publicRouter(ctx: ApiContext): Router {
  const router = Router();
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/mailbox',
    tag: 'public',
    summary: "Write to the mayor's mailbox (市长信箱); returns the case number and query code",
    access: 'public',
    body: mailboxBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.mailbox)],
    status: 201,
    responses: { 201: 'MailboxReceipt', 400: 'Error', 413: 'Error', 429: 'Error' },
    handler: async ({ body }) => {
      const { record } = await registerCase(
        ctx.pool,
        {
          channel: 'mailbox',
          type: body.type ?? 'help',
          title: body.title,
          content: body.content,
          address: body.address,
          citizen: { name: body.name, phone: body.phone, email: body.email },
        },
        { id: null, role: 'citizen', unitCode: null },
        ctx.intake,
        { note: '市长信箱来信已受理登记' },
      );
      return { caseNo: record.caseNo, queryCode: record.queryCode };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/public/cases/{caseNo}',
    tag: 'public',
    summary: 'Track a case with its number and query code (de-identified; a wrong code answers like an unknown case)',
    access: 'public',
    params: caseNoParams,
    query: publicCaseQuery,
    before: [limitRate(ctx.redis, RATE_LIMITS.publicLookup)],
    responses: { 200: 'PublicCase', 400: 'Error', 404: 'Error', 429: 'Error' },
    handler: async ({ params, query }) => {
      const record = await findCaseByNumberAndCode(ctx.pool, params.caseNo, query.code);
      if (!record) throw notFound('Case');
      const events = await listCaseEvents(ctx.pool, record.id, { publicOnly: true });
      const division = record.divisionCode ? (ctx.units.get(record.divisionCode)?.name ?? null) : null;
      return presentPublicCase(record, events, division);
    },
  });
  return router;
}
