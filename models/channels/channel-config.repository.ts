import { withTransaction, type Pool, type Queryable } from '../../infra/db.js';
import { recordAudit } from '../accounts/audit.repository.js';
import { WEBHOOK_CHANNELS, type WebhookChannel } from '../cases/case.js';

/** Channels an admin configures: the social channels, the mailbox's SMTP server, the hotline's SMS gateway. */
export const CONFIGURABLE_CHANNELS = [...WEBHOOK_CHANNELS, 'mailbox', 'hotline'] as const;
export type ConfigurableChannel = (typeof CONFIGURABLE_CHANNELS)[number];

/** A social channel's webhook secret and where replies to it go. */
export interface WebhookChannelConfig {
  readonly channel: WebhookChannel;
  readonly secret: string;
  readonly replyUrl: string | null;
  readonly updatedAt: Date;
}

/** The SMTP server the mayor's mailbox answers through. */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  readonly secure: boolean;
  readonly user: string | null;
  readonly from: string;
}

/** The mailbox's SMTP server; the password is kept in the secret column and never read back out through the API. */
export interface MailboxChannelConfig {
  readonly channel: 'mailbox';
  readonly smtp: SmtpSettings;
  readonly password: string | null;
  readonly updatedAt: Date;
}

/** The hotline's SMS gateway: an HTTP endpoint taking signed `{to, text}` requests. */
export interface HotlineChannelConfig {
  readonly channel: 'hotline';
  readonly secret: string;
  readonly smsGatewayUrl: string;
  readonly updatedAt: Date;
}

export type ChannelConfig = WebhookChannelConfig | MailboxChannelConfig | HotlineChannelConfig;

/** What a PUT stores, by channel. */
export type ChannelConfigInput =
  | { readonly channel: WebhookChannel; readonly secret: string; readonly replyUrl: string | null }
  | { readonly channel: 'mailbox'; readonly smtp: SmtpSettings; readonly password: string | null }
  | { readonly channel: 'hotline'; readonly secret: string; readonly smsGatewayUrl: string };

interface Row {
  channel: ConfigurableChannel;
  secret: string | null;
  reply_url: string | null;
  settings: { smtp?: SmtpSettings };
  updated_at: Date;
}

function toConfig(r: Row): ChannelConfig {
  if (r.channel === 'mailbox') {
    // Rows are written by putChannelConfig only, which always stores `smtp` for the mailbox.
    const smtp = r.settings.smtp as SmtpSettings;
    return { channel: 'mailbox', smtp, password: r.secret, updatedAt: r.updated_at };
  }
  if (r.channel === 'hotline') return { channel: 'hotline', secret: r.secret ?? '', smsGatewayUrl: r.reply_url ?? '', updatedAt: r.updated_at };
  return { channel: r.channel, secret: r.secret ?? '', replyUrl: r.reply_url, updatedAt: r.updated_at };
}

/** The columns of one configuration: the secret (webhook secret, SMTP password), the endpoint replies go to, the rest. */
function toColumns(input: ChannelConfigInput): [string | null, string | null, Record<string, unknown>] {
  switch (input.channel) {
    case 'mailbox':
      return [input.password, null, { smtp: input.smtp }];
    case 'hotline':
      return [input.secret, input.smsGatewayUrl, {}];
    default:
      return [input.secret, input.replyUrl, {}];
  }
}

/** What the audit trail keeps of a configuration: where it points, and whether secrets are set, never the secrets. */
function auditView(c: ChannelConfig | undefined): Record<string, unknown> | null {
  if (!c) return null;
  switch (c.channel) {
    case 'mailbox':
      return { smtp: c.smtp, passwordSet: c.password !== null };
    case 'hotline':
      return { smsGatewayUrl: c.smsGatewayUrl, secretSet: c.secret !== '' };
    default:
      return { replyUrl: c.replyUrl, secretSet: c.secret !== '' };
  }
}

/** Whether a PUT changed the secret (webhook secret, SMTP password): the trail says so without holding either value. */
function secretChanged(before: ChannelConfig | undefined, after: ChannelConfig): boolean {
  const secretOf = (c: ChannelConfig): string | null => (c.channel === 'mailbox' ? c.password : c.secret);
  return !before || secretOf(before) !== secretOf(after);
}

/**
 * Sets a channel's whole configuration (a PUT replaces it, the SMTP password included) and records
 * the change in the audit trail in the same transaction: no change without its audit row.
 */
export function putChannelConfig(pool: Pool, input: ChannelConfigInput, by: string | null): Promise<ChannelConfig> {
  const [secret, replyUrl, settings] = toColumns(input);
  return withTransaction(pool, async (client) => {
    const { rows: previous } = await client.query<Row>('SELECT * FROM channel_configs WHERE channel = $1 FOR UPDATE', [input.channel]);
    const before = previous[0] ? toConfig(previous[0]) : undefined;
    const { rows } = await client.query<Row>(
      `INSERT INTO channel_configs (channel, secret, reply_url, settings, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (channel) DO UPDATE SET secret = EXCLUDED.secret, reply_url = EXCLUDED.reply_url,
         settings = EXCLUDED.settings, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING *`,
      [input.channel, secret, replyUrl, settings, by],
    );
    const after = toConfig(rows[0] as Row);
    await recordAudit(client, {
      actorId: by,
      action: 'put',
      subjectType: 'channel',
      subjectId: input.channel,
      before: auditView(before),
      after: { ...auditView(after), secretChanged: secretChanged(before, after) },
    });
    return after;
  });
}

/** Reads a channel's configuration (the overloads narrow it by channel). */
export async function getChannelConfig(db: Queryable, channel: WebhookChannel): Promise<WebhookChannelConfig | undefined>;
export async function getChannelConfig(db: Queryable, channel: 'mailbox'): Promise<MailboxChannelConfig | undefined>;
export async function getChannelConfig(db: Queryable, channel: 'hotline'): Promise<HotlineChannelConfig | undefined>;
export async function getChannelConfig(db: Queryable, channel: ConfigurableChannel): Promise<ChannelConfig | undefined>;
export async function getChannelConfig(db: Queryable, channel: ConfigurableChannel): Promise<ChannelConfig | undefined> {
  const { rows } = await db.query<Row>('SELECT * FROM channel_configs WHERE channel = $1', [channel]);
  return rows[0] ? toConfig(rows[0]) : undefined;
}

/** Lists configured channels. */
export async function listChannelConfigs(db: Queryable): Promise<ChannelConfig[]> {
  const { rows } = await db.query<Row>('SELECT * FROM channel_configs ORDER BY channel');
  return rows.map(toConfig);
}
