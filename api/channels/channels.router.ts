import { Router, type NextFunction, type Request, type Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError, badRequest, notFound } from '../../errors.js';
import { RECEIVED_AT_LIMIT_DAYS, registerCase } from '../../models/cases/case-intake.js';
import { recordAudit } from '../../models/accounts/audit.repository.js';
import { getChannelConfig, listChannelConfigs, putChannelConfig, type ChannelConfig, type ChannelConfigInput, type ConfigurableChannel } from '../../models/channels/channel-config.repository.js';
import type { WebhookChannel } from '../../models/cases/case.js';
import type { ApiContext } from '../context.js';
import { limitRate, RATE_LIMITS } from '../http/rate-limit.js';
import { defineRoute } from '../http/route.js';
import { CHANNEL_CONFIG_BODIES, CHANNEL_TEST_BODIES, channelConfigBody, channelParams, channelTestBody, configChannelParams, webhookBody, type ChannelConfigBody } from './channels.schema.js';
import { sendChannelTest } from './channel-test.js';
import { isValidDeliverySignature } from './signature.js';
import { ForbiddenDestinationError, type OutboundGuard } from '../../infra/outbound-guard.js';
import { titleFrom } from '../../models/privacy/de-identify.js';
import { caseTrackPath, signCaseLink } from '../public/case-link.js';

/** Badly signed deliveries one client address may send per window before it is refused (429). */
export const BAD_SIGNATURE_LIMIT = { max: 20, windowMs: 60_000 } as const;
const badSignatureKey = (ip: string): string => `rl:webhook-bad-signature:${ip}`;
const COUNT_BAD_SIGNATURE = `local n = redis.call('INCR', KEYS[1]); if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end; return n`;

// A test waits for its receiver while the admin watches: less than the worker's 15 s.
const TEST_TIMEOUT_MS = 10_000;

const badSignature = (): AppError => new AppError(401, 'bad_signature', 'Missing or invalid X-Signature, or X-Timestamp more than 5 minutes off');

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

/**
 * Refuses a configuration whose reply URL, SMS gateway or SMTP host resolves to a loopback, private
 * or link-local address not on the allow-list (SSRF). A name that does not resolve now is accepted:
 * every message checks the address again when it connects.
 */
async function assertDestinationsAllowed(guard: OutboundGuard, input: ChannelConfigInput): Promise<void> {
  const destinations: [string, string][] = [];
  if ('replyUrl' in input && input.replyUrl) destinations.push(['body.replyUrl', new URL(input.replyUrl).hostname]);
  if ('smsGatewayUrl' in input && input.smsGatewayUrl) destinations.push(['body.smsGatewayUrl', new URL(input.smsGatewayUrl).hostname]);
  if ('smtp' in input) destinations.push(['body.smtp.host', input.smtp.host]);
  for (const [path, host] of destinations) {
    try {
      await guard.assertAllowed(host);
    } catch (error) {
      if (error instanceof ForbiddenDestinationError) throw badRequest('The destination is an internal address', [{ path, message: error.message }]);
    }
  }
}

/** Channel configuration (admin) and the signed webhooks of the microblog, WeChat and web Q&A. */
export function channelsRouter(ctx: ApiContext): Router {
  const router = Router();

  // Runs before the body is validated, so that an unsigned request learns nothing about the schema,
  // and before the channel's limit, so that an unsigned flood cannot use up a channel's budget. An
  // address sending bad signatures is refused for a while, before any lookup (limit by IP).
  const verifySignature = async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const ip = ipKeyGenerator(req.ip ?? 'unknown');
    if (Number((await ctx.redis.get(badSignatureKey(ip))) ?? 0) >= BAD_SIGNATURE_LIMIT.max) throw new AppError(429, 'rate_limited', 'Too many badly signed deliveries from this address; try again later');
    const { value, error } = channelParams.validate(req.params);
    const config = error ? undefined : await getChannelConfig(ctx.pool, value.channel);
    if (!config?.secret || !req.rawBody || !isValidDeliverySignature(config.secret, req.rawBody, req.get('X-Timestamp'), req.get('X-Signature'), ctx.clock.now().getTime())) {
      await ctx.redis.eval(COUNT_BAD_SIGNATURE, 1, badSignatureKey(ip), BAD_SIGNATURE_LIMIT.windowMs);
      throw badSignature();
    }
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
      const input = configInput(params.channel, body);
      await assertDestinationsAllowed(ctx.outboundGuard, input);
      const config = await putChannelConfig(ctx.pool, input, user?.id ?? null);
      return presentConfig(config);
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/channels/{channel}/test',
    operationId: 'testChannel',
    tag: 'channels',
    summary: 'Send a test message through the channel\'s outbound path and answer what the receiver said',
    description:
      'microblog, wechat, web_qa: a signed POST `{messageId, event: "test", test: true, text, sentAt}` to the reply endpoint (409 when none is set); ' +
      'hotline: a signed SMS request `{to, text, test: true, messageId}` to the gateway, `to` a mobile number; mailbox: a letter through the SMTP server to `to`. ' +
      'The same address guard (no internal addresses unless allowed) and no redirects, as for replies to citizens; no retry. ' +
      'Answers 200 whether or not it got through: `{delivered, via, destination, status, error, ms}` (`status`: the receiver\'s HTTP status when it answered). ' +
      'Each test is in the audit trail (`test_send`), the recipient masked.',
    access: ['admin'],
    params: configChannelParams,
    body: channelTestBody,
    responses: { 200: { type: 'object' }, 400: 'Error', 401: 'Error', 403: 'Error', 404: 'Error', 409: 'Error' },
    handler: async ({ params, body, user }) => {
      const { value, error } = CHANNEL_TEST_BODIES[params.channel].validate(body, { abortEarly: false });
      if (error) throw badRequest(`Invalid test for ${params.channel}`, error.details.map((d) => ({ path: ['body', ...d.path].join('.'), message: d.message })));
      const config = await getChannelConfig(ctx.pool, params.channel);
      if (!config) throw notFound('Channel configuration');
      const result = await sendChannelTest(config, value.to, { timeoutMs: TEST_TIMEOUT_MS, guard: ctx.outboundGuard });
      await recordAudit(ctx.pool, { actorId: user?.id ?? null, action: 'test_send', subjectType: 'channel', subjectId: params.channel, after: result });
      return result;
    },
  });
  defineRoute(router, ctx.authenticate, {
    method: 'post',
    path: '/api/channels/{channel}/webhook',
    operationId: 'receiveChannelWebhook',
    tag: 'channels',
    summary: 'Deliver a message; signed with `X-Timestamp` and `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`, idempotent on messageId',
    description:
      '`X-Timestamp` is the unix time in seconds; a delivery more than 5 minutes off the server clock is refused (401) like a bad signature. ' +
      'The first answer (201) carries the query code and the signed link for the channel to pass to its author privately; ' +
      'a delivery of a message id already stored answers 200 with the case number only (`duplicate: true`), so that a replayed delivery never yields the code. ' +
      `Limits: an address that sent ${BAD_SIGNATURE_LIMIT.max} badly signed deliveries within a minute is refused (429) for the rest of it, before any check; ` +
      'the per-channel limit counts only correctly signed deliveries.',
    access: 'public',
    params: channelParams,
    body: webhookBody,
    before: [verifySignature, limitRate(ctx.redis, RATE_LIMITS.webhook)],
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
          title: titleFrom(body.text, 40),
          content: body.text,
          address: body.address,
          // A channel gives no reason for a post long past: it counts as received when delivered.
          receivedAt: ctx.clock.now().getTime() - body.postedAt.getTime() > RECEIVED_AT_LIMIT_DAYS * 86_400_000 ? undefined : body.postedAt,
          externalId: body.messageId,
          citizen: { name: body.author.name, channelUserId: body.author.id },
        },
        { id: null, role: 'channel', unitCode: null },
        ctx.intake,
        { note: '网上诉求已受理登记' },
      );
      if (!created) {
        res.status(200).json({ caseNo: record.caseNo, duplicate: true });
        return;
      }
      const link = signCaseLink(ctx.jwtSecret, record.caseNo);
      res.status(201).json({ caseNo: record.caseNo, queryCode: record.queryCode, link, trackUrl: caseTrackPath(ctx.jwtSecret, record.caseNo, record.queryCode), duplicate: false });
    },
  });
  return router;
}
