import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../../errors.js';
import { registerCase } from '../../models/case-intake.js';
import { getChannelConfig, listChannelConfigs, putChannelConfig } from '../../models/channel-config.repository.js';
import type { WebhookChannel } from '../../models/case.js';
import { recordAudit } from '../../models/audit.repository.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { channelConfigBody, channelParams, webhookBody } from './channels.schema.js';
import { isValidSignature } from './signature.js';

const badSignature = (): AppError => new AppError(401, 'bad_signature', 'Missing or invalid X-Signature');
const presentConfig = (c: { channel: string; replyUrl: string | null; updatedAt: Date }): Record<string, unknown> => ({
  channel: c.channel,
  replyUrl: c.replyUrl,
  secretSet: true,
  updatedAt: c.updatedAt.toISOString(),
});

/** Channel configuration (admin) and the signed webhooks of the microblog, WeChat and web Q&A. */
export function channelsRouter(ctx: ApiContext): Router {
  const router = Router();

  // Runs before the body is validated, so that an unsigned request learns nothing about the schema.
  const verifySignature = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const { value, error } = channelParams.validate(req.params);
    if (error) throw badSignature();
    const config = await getChannelConfig(ctx.pool, value.channel);
    if (!config || !req.rawBody || !isValidSignature(config.secret, req.rawBody, req.get('X-Signature'))) throw badSignature();
    next();
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/channels',
    tag: 'channels',
    summary: 'List configured channels (secrets are never returned)',
    access: ['admin'],
    responses: { 200: { type: 'object' }, 401: 'Error', 403: 'Error' },
    handler: async () => ({ items: (await listChannelConfigs(ctx.pool)).map(presentConfig) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/channels/{channel}',
    tag: 'channels',
    summary: "Set a channel's webhook secret and reply endpoint",
    access: ['admin'],
    params: channelParams,
    body: channelConfigBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ params, body, user }) => {
      const config = await putChannelConfig(ctx.pool, params.channel, body.secret, body.replyUrl ?? null, user?.id ?? null);
      // The secret itself never enters the audit trail.
      await recordAudit(ctx.pool, { actorId: user?.id ?? null, action: 'put', subjectType: 'channel', subjectId: params.channel, after: presentConfig(config) });
      return presentConfig(config);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/channels/{channel}/webhook',
    tag: 'channels',
    summary: 'Deliver a message; signed with `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`, idempotent on messageId',
    access: 'public',
    params: channelParams,
    body: webhookBody,
    before: [limitRate(ctx.redis, RATE_LIMITS.webhook), verifySignature],
    status: 201,
    responses: { 200: 'WebhookReceipt', 201: 'WebhookReceipt', 400: 'Error', 401: 'Error', 409: 'Error', 429: 'Error' },
    handler: async ({ params, body, res }) => {
      const channel: WebhookChannel = params.channel;
      const { record, created } = await registerCase(
        ctx.pool,
        {
          channel,
          type: body.type ?? 'help',
          category: body.category,
          title: body.text.slice(0, 40),
          content: body.text,
          address: body.address,
          receivedAt: body.postedAt,
          externalId: body.messageId,
          citizen: { name: body.author.name, channelUserId: body.author.id },
        },
        { id: null, role: 'channel', unitCode: null },
        ctx.intake,
        { note: '网上诉求已受理登记' },
      );
      res.status(created ? 201 : 200).json({ caseNo: record.caseNo, queryCode: record.queryCode, duplicate: !created });
    },
  });
  return router;
}
