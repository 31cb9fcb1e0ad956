import { maskPhone } from '../models/privacy/de-identify.js';
import type { Queryable } from '../infra/db.js';
import { WEBHOOK_CHANNELS, type WebhookChannel } from '../models/cases/case.js';
import { getChannelConfig, type SmtpSettings } from '../models/channels/channel-config.repository.js';
import type { DeliveryContext } from '../models/channels/outbound.js';

/**
 * How one message reaches the citizen. `channel` is the configured channel it goes through (the
 * hotline's gateway for SMS); `to` is the recipient as recorded on the timeline, masked.
 */
export type Route =
  | { readonly via: 'webhook'; readonly channel: WebhookChannel; readonly url: string; readonly secret: string; readonly messageId: string; readonly to: string }
  | { readonly via: 'email'; readonly channel: 'mailbox'; readonly smtp: SmtpSettings; readonly password: string | null; readonly address: string; readonly to: string }
  | { readonly via: 'sms'; readonly channel: 'hotline'; readonly url: string; readonly secret: string; readonly phone: string; readonly to: string };

/** Why nothing can be sent: the channel is not configured, or the citizen left no way to reach them. */
export interface NoRoute {
  readonly via: 'none';
  readonly reason: 'not_configured' | 'no_contact';
  /** The configuration that would have been needed. */
  readonly needs: WebhookChannel | 'mailbox' | 'hotline' | null;
}

const isWebhookChannel = (channel: string): channel is WebhookChannel => (WEBHOOK_CHANNELS as readonly string[]).includes(channel);

/** z***@example.com: enough for staff to recognise the address, not enough to write to it. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${Array.from(address.slice(0, at))[0] ?? ''}***${address.slice(at)}`;
}

async function smsRoute(db: Queryable, phone: string | undefined): Promise<Route | NoRoute> {
  const digits = phone?.replace(/[^\d+]/g, '');
  if (!digits) return { via: 'none', reason: 'no_contact', needs: null };
  const hotline = await getChannelConfig(db, 'hotline');
  if (!hotline?.smsGatewayUrl || !hotline.secret) return { via: 'none', reason: 'not_configured', needs: 'hotline' };
  return { via: 'sms', channel: 'hotline', url: hotline.smsGatewayUrl, secret: hotline.secret, phone: digits, to: maskPhone(digits) ?? '' };
}

/**
 * The route by the case's source channel (按来源渠道回复): a social channel's reply endpoint; the
 * mailbox by e-mail, or by SMS when the citizen gave no e-mail address (or no SMTP server is set
 * up) and the hotline's SMS gateway is; every other channel — the hotline, letters, faxes, visits,
 * online forms — by SMS to the phone the citizen gave. Only the recipient's own address or number
 * leaves with the message, never the rest of the citizen's details.
 */
export async function resolveRoute(db: Queryable, d: DeliveryContext): Promise<Route | NoRoute> {
  if (isWebhookChannel(d.channel)) {
    const config = await getChannelConfig(db, d.channel);
    if (!config?.replyUrl || !config.secret) return { via: 'none', reason: 'not_configured', needs: d.channel };
    // Webhook cases always carry the message id; without one there is nothing to answer to.
    if (!d.externalId) return { via: 'none', reason: 'no_contact', needs: null };
    return { via: 'webhook', channel: d.channel, url: config.replyUrl, secret: config.secret, messageId: d.externalId, to: d.externalId };
  }
  if (d.channel === 'mailbox' && d.citizen.email) {
    const mailbox = await getChannelConfig(db, 'mailbox');
    if (mailbox) return { via: 'email', channel: 'mailbox', smtp: mailbox.smtp, password: mailbox.password, address: d.citizen.email, to: maskEmail(d.citizen.email) };
    const sms = await smsRoute(db, d.citizen.phone);
    return sms.via === 'none' ? { via: 'none', reason: 'not_configured', needs: 'mailbox' } : sms;
  }
  return smsRoute(db, d.citizen.phone);
}
