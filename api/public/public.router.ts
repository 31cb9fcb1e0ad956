import { Router } from 'express';
import { forbidden, notFound } from '../../errors.js';
import { registerCase } from '../../models/cases/case-intake.js';
import { findCaseByNumberAndCode, listCaseEvents } from '../../models/cases/case.repository.js';
import type { ApiContext } from '../context.js';
import { ipOf, limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { STATUS_LABELS } from '../cases/labels.js';
import { presentPublicCase, presentPublicEvent } from './public-case.presenter.js';
import { caseNoParams, escalationBody, mailboxBody, publicCaseQuery, publicEventsQuery, ratingBody, reviewBody } from './public.schema.js';
import { escalateByCitizen, rateByCitizen, requestReview } from '../../models/cases/citizen-actions.js';
import type { CaseRecord } from '../../models/cases/case.js';
import { caseTrackPath, signCaseLink } from './case-link.js';
import { issueCaptcha } from './mailbox-captcha.js';

const PUBLIC_EVENTS_SCHEMA = {
  type: 'object',
  properties: {
    caseNo: { type: 'string' },
    status: { type: 'string' },
    statusLabel: { type: 'string' },
    events: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, action: { type: 'string' }, label: { type: 'string' }, status: { type: 'string' }, note: { type: ['string', 'null'] }, at: { type: 'string', format: 'date-time' } } } },
  },
};

/** The citizen's API: the mayor's mailbox, the de-identified case view, chasing and rating. No account needed. */
export function publicRouter(ctx: ApiContext): Router {
  const router = Router();
  const citizenLink = (record: CaseRecord): { link: string; trackUrl: string } => ({
    link: signCaseLink(ctx.jwtSecret, record.caseNo),
    trackUrl: caseTrackPath(ctx.jwtSecret, record.caseNo, record.queryCode),
  });
  // Every lookup by number and code is counted against the case when it finds nothing.
  const byCode = <T>(caseNo: string, input: { code: string; link?: string }, lookup: (code: string) => Promise<T | undefined>): Promise<T> =>
    ctx.queryCodes.attempt({ caseNo, link: input.link }, () => lookup(input.code)).then((found) => {
      if (found === undefined) throw notFound('Case');
      return found;
    });
  const publicView = async (record: CaseRecord): Promise<Record<string, unknown>> => {
    const events = await listCaseEvents(ctx.pool, record.id, { publicOnly: true });
    const division = record.divisionCode ? (ctx.units.get(record.divisionCode)?.name ?? null) : null;
    return presentPublicCase(record, events, division);
  };
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/mailbox',
    operationId: 'submitMailboxLetter',
    tag: 'public',
    summary: "Write to the mayor's mailbox (市长信箱); returns the case number and query code",
    description:
      'Capped per phone number and overall (429 with Retry-After). While traffic is unusual (many letters overall, from this ' +
      'phone or from this address) a letter without `captcha` answers 428 `captcha_required`: get one from ' +
      '`POST /api/public/mailbox/captchas` and send `captcha: { challengeId, answer }`; a wrong, used or expired answer is 400 `captcha_invalid`.',
    access: 'public',
    body: mailboxBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.mailbox)],
    status: 201,
    responses: { 201: 'MailboxReceipt', 400: 'Error', 413: 'Error', 428: 'Error', 429: 'Error' },
    handler: async ({ body, req }) => {
      await ctx.mailbox.admit({ phone: body.phone, ip: ipOf(req), captcha: body.captcha });
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
      return { caseNo: record.caseNo, queryCode: record.queryCode, ...citizenLink(record) };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/mailbox/captchas',
    operationId: 'issueMailboxCaptcha',
    tag: 'public',
    summary: 'A new captcha for the mailbox form (验证码), drawn on this server; answer it once within its expiry',
    access: 'public',
    before: [limitRate(ctx.redis, RATE_LIMITS.mailboxCaptcha)],
    status: 201,
    responses: { 201: 'CaptchaChallenge', 429: 'Error' },
    handler: () => issueCaptcha(ctx.redis),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/public/cases/{caseNo}',
    operationId: 'trackPublicCase',
    tag: 'public',
    summary: 'Track a case with its number and query code (de-identified; a wrong code answers like an unknown case)',
    access: 'public',
    params: caseNoParams,
    query: publicCaseQuery,
    before: [limitRate(ctx.redis, RATE_LIMITS.publicLookup)],
    responses: { 200: 'PublicCase', 400: 'Error', 404: 'Error', 429: 'Error' },
    handler: async ({ params, query }) => {
      return publicView(await byCode(params.caseNo, query, (code) => findCaseByNumberAndCode(ctx.pool, params.caseNo, code)));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/cases/{caseNo}/escalations',
    operationId: 'chasePublicCase',
    tag: 'public',
    summary: 'Chase an open case (催办): once per 24 hours per case; the unit and the centre are told',
    access: 'public',
    params: caseNoParams,
    body: escalationBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.publicAction)],
    status: 201,
    responses: { 201: 'PublicCase', 400: 'Error', 404: 'Error', 409: 'Error', 429: 'Error' },
    handler: async ({ params, body }) => publicView(await byCode(params.caseNo, body, (code) => escalateByCitizen(ctx.pool, params.caseNo, code, body.reason, ctx.clock.now))),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/cases/{caseNo}/rating',
    operationId: 'ratePublicCase',
    tag: 'public',
    summary: 'Rate the answer (评价): satisfied or basically satisfied closes the case, dissatisfied reopens it (at most twice, then the centre decides)',
    access: 'public',
    params: caseNoParams,
    body: ratingBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.publicAction)],
    responses: { 200: 'PublicCase', 400: 'Error', 403: 'Error', 404: 'Error', 409: 'Error', 429: 'Error' },
    handler: async ({ params, body, req }) => {
      // Staff never hold a case's code, and a rating must never come from a staff session either.
      if (req.get('Authorization')) throw forbidden('A rating comes from the citizen; staff accounts cannot rate cases');
      const rating = { satisfaction: body.satisfaction, comment: body.comment };
      return publicView(await byCode(params.caseNo, body, (code) => rateByCitizen(ctx.pool, params.caseNo, code, rating, { units: ctx.units, timeLimits: ctx.timeLimits, now: ctx.clock.now })));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/public/cases/{caseNo}/events',
    operationId: 'listPublicCaseEvents',
    tag: 'public',
    summary: 'Public timeline entries after event id `after`: what a tracking page missed while offline (a wrong code answers like an unknown case)',
    access: 'public',
    params: caseNoParams,
    query: publicEventsQuery,
    // The same counter as the case lookup: both guess at query codes.
    before: [limitRate(ctx.redis, RATE_LIMITS.publicLookup)],
    responses: { 200: PUBLIC_EVENTS_SCHEMA, 400: 'Error', 404: 'Error', 429: 'Error' },
    handler: async ({ params, query }) => {
      const record = await byCode(params.caseNo, query, (code) => findCaseByNumberAndCode(ctx.pool, params.caseNo, code));
      const events = await listCaseEvents(ctx.pool, record.id, { publicOnly: true, afterId: query.after });
      return { caseNo: record.caseNo, status: record.status, statusLabel: STATUS_LABELS[record.status], events: events.map((e) => presentPublicEvent(e, { citizenName: record.citizen.name })) };
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/public/cases/{caseNo}/review',
    operationId: 'requestPetitionReview',
    tag: 'public',
    summary: 'Ask for a review of a petition within 30 days of its answer: 复查 first, then 复核 of the review\'s opinion, each answered by the petitions office one level up within 30 days; a third is refused (409, code final: 信访事项终结)',
    access: 'public',
    params: caseNoParams,
    body: reviewBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.publicAction)],
    status: 201,
    responses: { 201: 'PublicCase', 400: 'Error', 404: 'Error', 409: 'Error', 429: 'Error' },
    handler: async ({ params, body }) =>
      publicView(await byCode(params.caseNo, body, (code) => requestReview(ctx.pool, params.caseNo, code, body.reason, { units: ctx.units, timeLimits: ctx.timeLimits, now: ctx.clock.now }))),
  });
  return router;
}
