import Joi from 'joi';
import { CASE_TYPES, WEBHOOK_CHANNELS, type CaseType, type WebhookChannel } from '../../models/cases/case.js';
import { CONFIGURABLE_CHANNELS, type ConfigurableChannel } from '../../models/channels/channel-config.repository.js';
import { text } from '../http/common.schema.js';

/** The channels that deliver by webhook: the path parameter of the webhook route. */
export const channelParams = Joi.object<{ channel: WebhookChannel }>({ channel: Joi.string().valid(...WEBHOOK_CHANNELS).required() });

/** The channels an admin configures: the webhook channels, the mailbox and the hotline. */
export const configChannelParams = Joi.object<{ channel: ConfigurableChannel }>({ channel: Joi.string().valid(...CONFIGURABLE_CHANNELS).required() });

/** A PUT body: which fields are required depends on the channel (see CHANNEL_CONFIG_BODIES). */
export interface ChannelConfigBody {
  secret?: string;
  replyUrl?: string;
  smsGatewayUrl?: string;
  smtp?: { host: string; port: number; secure?: boolean; user?: string; password?: string; from: string };
}

const secret = Joi.string().min(16).max(256);
const endpoint = Joi.string().uri({ scheme: ['http', 'https'] }).max(500);
const smtp = Joi.object({
  host: Joi.string().trim().hostname().max(253).required(),
  port: Joi.number().integer().min(1).max(65535).required(),
  secure: Joi.boolean(),
  user: Joi.string().max(256),
  password: Joi.string().max(256),
  from: Joi.string().trim().email({ tlds: false }).max(254).required(),
}).and('user', 'password');

/** Every field any channel takes, each with its format: the schema the route documents and checks first. */
export const channelConfigBody = Joi.object<ChannelConfigBody>({ secret, replyUrl: endpoint, smsGatewayUrl: endpoint, smtp });

/**
 * What each channel needs, checked once the channel is known: the social channels sign webhooks
 * with a secret and take replies at `replyUrl`; the mailbox sends through an SMTP server; the
 * hotline sends SMS through a gateway that it signs its requests to.
 */
export const CHANNEL_CONFIG_BODIES: Readonly<Record<ConfigurableChannel, Joi.ObjectSchema<ChannelConfigBody>>> = {
  microblog: Joi.object({ secret: secret.required(), replyUrl: endpoint }),
  wechat: Joi.object({ secret: secret.required(), replyUrl: endpoint }),
  web_qa: Joi.object({ secret: secret.required(), replyUrl: endpoint }),
  mailbox: Joi.object({ smtp: smtp.required() }),
  hotline: Joi.object({ smsGatewayUrl: endpoint.required(), secret: secret.required() }),
};

/** A test send's body: whom to send to, for the channels that send to a person (see CHANNEL_TEST_BODIES). */
export interface ChannelTestBody {
  to?: string;
}

/** Every field a test send takes, with its widest format: the schema the route documents and checks first. */
export const channelTestBody = Joi.object<ChannelTestBody>({ to: Joi.string().trim().max(254) });

/** Whom each channel's test goes to: the hotline's SMS to a mobile number, the mailbox's letter to an address, the social channels to their reply endpoint. */
export const CHANNEL_TEST_BODIES: Readonly<Record<ConfigurableChannel, Joi.ObjectSchema<ChannelTestBody>>> = {
  microblog: Joi.object({}),
  wechat: Joi.object({}),
  web_qa: Joi.object({}),
  mailbox: Joi.object({ to: Joi.string().trim().email({ tlds: false }).max(254).required() }),
  hotline: Joi.object({ to: Joi.string().trim().pattern(/^1\d{10}$/, 'mobile number').required() }),
};

export interface WebhookBody {
  messageId: string;
  text: string;
  author: { id: string; name?: string };
  postedAt: Date;
  address?: string;
  type?: CaseType;
  category?: string;
}

/** A message delivered by a social channel. `type` and `category` are optional hints. */
export const webhookBody = Joi.object<WebhookBody>({
  messageId: Joi.string().trim().min(1).max(128).required(),
  text: text(5000).min(2).required(),
  author: Joi.object({ id: Joi.string().trim().min(1).max(128).required(), name: text(64) }).required(),
  postedAt: Joi.date().iso().min('2000-01-01').required(),
  address: text(200),
  type: Joi.string().valid(...CASE_TYPES.filter((t) => t !== 'disclosure')),
  category: text(50),
});
