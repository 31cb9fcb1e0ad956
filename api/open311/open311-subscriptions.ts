import type { RequestHandler, Router } from 'express';
import { notFound } from '../../errors.js';
import { findSubscription, subscribe, unsubscribe, type Open311Subscription } from '../../models/open311/subscription.repository.js';
import type { ApiContext } from '../context.js';
import { defineRoute } from '../http/route.js';
import { withOffset } from './open311.presenter.js';
import { xmlList } from './open311.xml.js';
import { formatParams, readQuery, subscribeBody } from './open311.schema.js';
import { requireClient, respond } from './respond.js';

const present = (s: Open311Subscription): Record<string, unknown> => ({ subscription_id: s.id, callback_url: s.callbackUrl, created_datetime: withOffset(s.createdAt.toISOString()) });

/** The subscription extension: a client's callback for status changes of the requests it filed. */
export function defineSubscriptionRoutes(router: Router, ctx: ApiContext, rate: RequestHandler): void {
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/open311/v2/subscriptions.{format}',
    operationId: 'createOpen311Subscription',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: "Register (or replace) the client's callback for status changes of its requests; answers the signing secret once",
    description:
      'Each status change of a request the client filed is POSTed as JSON to `callback_url` with `X-Timestamp: <unix seconds>` and `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` under `secret`, retried with back-off; see docs/open311.md.',
    access: 'public',
    params: formatParams,
    body: subscribeBody,
    before: [rate],
    status: 201,
    responses: { 201: { type: 'array', items: { type: 'object' } }, 400: 'Open311Errors', 403: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, body, res }) => {
      const client = await requireClient(ctx.pool, body.api_key);
      const { subscription, secret } = await subscribe(ctx.pool, client.id, body.callback_url);
      const answer = [{ ...present(subscription), secret }];
      return respond(res, params.format, 201, answer, () => xmlList('subscriptions', 'subscription', answer));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/open311/v2/subscriptions.{format}',
    operationId: 'getOpen311Subscription',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: "The client's subscription in force (never its secret)",
    access: 'public',
    params: formatParams,
    query: readQuery,
    before: [rate],
    responses: { 200: { type: 'array', items: { type: 'object' } }, 400: 'Open311Errors', 403: 'Open311Errors', 404: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ params, query, res }) => {
      const client = await requireClient(ctx.pool, query.api_key);
      const subscription = await findSubscription(ctx.pool, client.id);
      if (!subscription) throw notFound('Subscription');
      const answer = [present(subscription)];
      return respond(res, params.format, 200, answer, () => xmlList('subscriptions', 'subscription', answer));
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'delete',
    path: '/open311/v2/subscriptions.{format}',
    operationId: 'deleteOpen311Subscription',
    tag: 'open311',
    errorSchema: 'Open311Errors',
    summary: "End the client's subscription: nothing more is sent, retries still pending included",
    access: 'public',
    params: formatParams,
    query: readQuery,
    before: [rate],
    responses: { 204: { type: 'null' }, 400: 'Open311Errors', 403: 'Open311Errors', 404: 'Open311Errors', 429: 'Open311Errors' },
    handler: async ({ query, res }) => {
      const client = await requireClient(ctx.pool, query.api_key);
      if (!(await unsubscribe(ctx.pool, client.id))) throw notFound('Subscription');
      res.status(204).end();
      return undefined;
    },
  });
}
