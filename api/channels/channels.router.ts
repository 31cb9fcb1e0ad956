import { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError, badRequest } from '../../errors.js';
import { registerCase } from '../../models/case-intake.js';
import { getChannelConfig, listChannelConfigs, putChannelConfig, type ChannelConfig, type ChannelConfigInput, type ConfigurableChannel } from '../../models/channel-config.repository.js';
import type { WebhookChannel } from '../../models/case.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { CHANNEL_CONFIG_BODIES, channelConfigBody, channelParams, configChannelParams, webhookBody, type ChannelConfigBody } from './channels.schema.js';
import { isValidSignature } from './signature.js';

const badSignature = (): AppError => new AppError(401, 'bad_signature', 'Missing or invalid X-Signature');

/** A configuration as the API shows it: secrets and the SMTP password are never returned. */
function presentConfig(c: ChannelConfig): Record<string, unknown> {
  const common = { channel: c.channel, updatedAt: c.updatedAt.toISOString() };
  switch (c.channel) {
    case 'mailbox': {
      const { host, port, secure, user, from } = c.smtp;
      return { ...common, smtp: { host, port, secure, user, from, passwordSet: c.password !== null } };
    }
    case 'hotline':
      return { ...common, smsGatewayUrl: c.smsGatewayUrl, secretSet: true };
    default:
      return { ...common, replyUrl: c.replyUrl, secretSet: true };
  }
}

/** Checks a PUT body against what its channel needs, and turns it into what is stored. */
function configInput(channel: ConfigurableChannel, body: ChannelConfigBody): ChannelConfigInput {
  const { value, error } = CHANNEL_CONFIG_BODIES[channel].validate(body, { abortEarly: false });
  if (error) throw badRequest(`Invalid configuration for ${channel}`, error.details.map((d) => ({ path: ['body', ...d.path].join('.'), message: d.message })));
  // The channel's schema made its required fields present; `?? ''` only satisfies the compiler.
  switch (channel) {
    case 'mailbox': {
      const { host, port, secure, user, password, from } = value.smtp as NonNullable<ChannelConfigBody['smtp']>;
      // Port 465 speaks TLS from the start; any other port upgrades with STARTTLS when offered.
      return { channel, smtp: { host, port, secure: secure ?? port === 465, user: user ?? null, from }, password: password ?? null };
    }
    case 'hotline':
      return { channel, secret: value.secret ?? '', smsGatewayUrl: value.smsGatewayUrl ?? '' };
    default:
      return { channel, secret: value.secret ?? '', replyUrl: value.replyUrl ?? null };
  }
}

/** Channel configuration (admin) and the signed webhooks of the microblog, WeChat and web Q&A. */
export function channelsRouter(ctx: ApiContext): Router {
  const router = Router();

  // Runs before the body is validated, so that an unsigned request learns nothing about the schema.
  const verifySignature = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const { value, error } = channelParams.validate(req.params);
    if (error) throw badSignature();
    const config = await getChannelConfig(ctx.pool, value.channel);
    if (!config?.secret || !req.rawBody || !isValidSignature(config.secret, req.rawBody, req.get('X-Signature'))) throw badSignature();
    next();
  };

  defineRoute(router, ctx.authenticate, {
    method: 'get',
    path: '/api/channels',
    operationId: 'listChannels',
    tag: 'channels',
    summary: 'List configured channels (secrets are never returned)',
    access: ['admin'],
    responses: { 200: { type: 'object' }, 401: 'Error', 403: 'Error' },
    handler: async () => ({ items: (await listChannelConfigs(ctx.pool)).map(presentConfig) }),
  });
  defineRoute(router, ctx.authenticate, {
    method: 'put',
    path: '/api/channels/{channel}',
    operationId: 'configureChannel',
    tag: 'channels',
    summary: "Configure a channel: a social channel's webhook secret and reply endpoint, the mailbox's SMTP server, the hotline's SMS gateway",
    description:
      'microblog, wechat, web_qa: `{secret, replyUrl?}`; mailbox: `{smtp: {host, port, secure?, user?, password?, from}}`; ' +
      'hotline: `{smsGatewayUrl, secret}` (SMS requests `{to, text}` are signed with `X-Signature: sha256=<hex>`). ' +
      'A PUT replaces the whole configuration; secrets and the SMTP password are never returned.',
    access: ['admin'],
    params: configChannelParams,
    body: channelConfigBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error' },
    handler: async ({ params, body, user }) => {
      const config = await putChannelConfig(ctx.pool, configInput(params.channel, body), user?.id ?? null);
      return presentConfig(config);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/channels/{channel}/webhook',
    operationId: 'receiveChannelWebhook',
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
