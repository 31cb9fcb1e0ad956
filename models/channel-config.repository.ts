import type { Queryable } from '../infra/db.js';
import type { WebhookChannel } from './case.js';

/** A social channel's webhook secret and where replies to it go. */
export interface ChannelConfig {
  readonly channel: WebhookChannel;
  readonly secret: string;
  readonly replyUrl: string | null;
  readonly updatedAt: Date;
}

interface Row {
  channel: WebhookChannel;
  secret: string;
  reply_url: string | null;
  updated_at: Date;
}

const toConfig = (r: Row): ChannelConfig => ({ channel: r.channel, secret: r.secret, replyUrl: r.reply_url, updatedAt: r.updated_at });

/** Sets a channel's secret and reply endpoint. */
export async function putChannelConfig(db: Queryable, channel: WebhookChannel, secret: string, replyUrl: string | null, by: string | null): Promise<ChannelConfig> {
  const { rows } = await db.query<Row>(
    `INSERT INTO channel_configs (channel, secret, reply_url, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (channel) DO UPDATE SET secret = EXCLUDED.secret, reply_url = EXCLUDED.reply_url,
       updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING *`,
    [channel, secret, replyUrl, by],
  );
  return toConfig(rows[0] as Row);
}

/** Reads a channel's configuration. */
export async function getChannelConfig(db: Queryable, channel: WebhookChannel): Promise<ChannelConfig | undefined> {
  const { rows } = await db.query<Row>('SELECT * FROM channel_configs WHERE channel = $1', [channel]);
  return rows[0] ? toConfig(rows[0]) : undefined;
}

/** Lists configured channels. */
export async function listChannelConfigs(db: Queryable): Promise<ChannelConfig[]> {
  const { rows } = await db.query<Row>('SELECT * FROM channel_configs ORDER BY channel');
  return rows.map(toConfig);
}
