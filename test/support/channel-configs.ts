import type { Pool } from '../../infra/db.js';

/**
 * Keeps the stored settings of these channels, and returns what puts them back: tests that point a
 * channel at a receiver of their own must not leave later tests delivering to a closed port. The
 * API never shows secrets back, so the rows themselves are kept.
 */
export async function keepChannelConfigs(pool: Pool, channels: readonly string[]): Promise<() => Promise<void>> {
  const { rows } = await pool.query<Record<string, unknown>>('SELECT * FROM channel_configs WHERE channel = ANY($1::text[])', [channels]);
  return async () => {
    await pool.query('DELETE FROM channel_configs WHERE channel = ANY($1::text[])', [channels]);
    for (const row of rows) {
      await pool.query('INSERT INTO channel_configs (channel, secret, reply_url, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)', [
        row.channel, row.secret, row.reply_url, row.settings, row.updated_at, row.updated_by,
      ]);
    }
  };
}
