import Joi from 'joi';
import { CASE_TYPES, WEBHOOK_CHANNELS, type CaseType, type WebhookChannel } from '../../models/case.js';
import { text } from '../http/common.schema.js';

export const channelParams = Joi.object<{ channel: WebhookChannel }>({ channel: Joi.string().valid(...WEBHOOK_CHANNELS).required() });

export interface ChannelConfigBody {
  secret: string;
  replyUrl?: string;
}

export const channelConfigBody = Joi.object<ChannelConfigBody>({
  secret: Joi.string().min(16).max(256).required(),
  replyUrl: Joi.string().uri({ scheme: ['http', 'https'] }).max(500),
});

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
