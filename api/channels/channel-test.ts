import crypto from 'node:crypto';
import { conflict } from '../../errors.js';
import { DeliveryError, postSigned, sendMail, type SendOptions } from '../../jobs/outbound-adapters.js';
import { maskEmail } from '../../jobs/outbound-route.js';
import type { ChannelConfig } from '../../models/channels/channel-config.repository.js';
import { deIdentifyOptional, maskPhone } from '../../models/privacy/de-identify.js';

/** What a test message met: delivered or not, the receiver's HTTP status, or why it did not get through. */
export interface ChannelTestResult {
  readonly delivered: boolean;
  readonly via: 'webhook' | 'sms' | 'email';
  /** Where it went: the endpoint's origin or the SMTP server, with the recipient masked. */
  readonly destination: string;
  readonly status: number | null;
  readonly error: string | null;
  readonly ms: number;
}

const TEXT = '这是 12345 热线平台发送的测试消息，用于检查渠道设置，无需回复。';

/**
 * Sends one test message along the path the channel's replies take (the outbound worker's own
 * adapters: signed POST, SMS gateway, SMTP; the same address guard and no redirects), and says
 * what happened instead of retrying. `to` is the phone (hotline) or address (mailbox) to send to.
 */
export async function sendChannelTest(config: ChannelConfig, to: string | undefined, options: SendOptions): Promise<ChannelTestResult> {
  const id = `test-${crypto.randomUUID()}`;
  const started = performance.now();
  const run = async (via: ChannelTestResult['via'], destination: string, send: () => Promise<number | null>): Promise<ChannelTestResult> => {
    try {
      const status = await send();
      return { delivered: true, via, destination, status, error: null, ms: Math.round(performance.now() - started) };
    } catch (error) {
      const status = error instanceof DeliveryError ? error.status : null;
      // What a receiver says may quote the address or number: masked like public text.
      return { delivered: false, via, destination, status, error: deIdentifyOptional(error instanceof Error ? error.message : String(error)) ?? '', ms: Math.round(performance.now() - started) };
    }
  };
  switch (config.channel) {
    case 'hotline': {
      const phone = to ?? '';
      return run('sms', `${new URL(config.smsGatewayUrl).origin} → ${maskPhone(phone) ?? ''}`, () =>
        postSigned(config.smsGatewayUrl, config.secret, { to: phone, text: TEXT, test: true, messageId: id }, id, options),
      );
    }
    case 'mailbox': {
      const address = to ?? '';
      return run('email', `${config.smtp.host}:${config.smtp.port} → ${maskEmail(address)}`, async () => {
        await sendMail(config.smtp, config.password, { to: address, subject: '12345 热线平台测试邮件', text: TEXT }, options);
        return null;
      });
    }
    default: {
      const { replyUrl } = config;
      if (!replyUrl) throw conflict('The channel has no reply endpoint to test; set replyUrl first');
      return run('webhook', new URL(replyUrl).origin, () =>
        postSigned(replyUrl, config.secret, { messageId: id, event: 'test', test: true, text: TEXT, sentAt: new Date().toISOString() }, id, options),
      );
    }
  }
}
