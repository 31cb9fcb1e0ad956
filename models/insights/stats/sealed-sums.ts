import type { Queryable } from '../../../infra/db.js';

/**
 * Sums over sealed days, kept per process. Each seal or rebuild stamps stat_seal.sealed_at, and
 * only a seal or a rebuild writes the rollups: an answer is reused while the stamp it was read
 * under is still the current one. The stamp is read in the same statement as the sums, so that a
 * seal landing between two queries cannot pair old sums with a new stamp.
 */
export class SealedSums {
  private readonly kept = new Map<string, { readonly stamp: string; readonly rows: string }>();

  /** `sql` is the query over the rollups, whose two parameters are the range of days asked for. */
  constructor(
    private readonly sql: string,
    private readonly capacity: number,
  ) {}

  /** The rows of the query over the sealed days [fromDay, toDay), as JSON text (an array). */
  async get(db: Queryable, fromDay: string, toDay: string): Promise<string> {
    const key = `${fromDay} ${toDay}`;
    const kept = this.kept.get(key);
    if (kept) {
      const { rows } = await db.query<{ stamp: string }>('SELECT sealed_at::text AS stamp FROM stat_seal');
      if (rows[0]?.stamp === kept.stamp) {
        this.kept.delete(key);
        this.kept.set(key, kept);
        return kept.rows;
      }
    }
    const { rows } = await db.query<{ stamp: string; rows: string }>(
      `SELECT s.sealed_at::text AS stamp, coalesce((SELECT jsonb_agg(r) FROM (${this.sql}) r), '[]'::jsonb)::text AS rows FROM stat_seal s`,
      [fromDay, toDay],
    );
    const fresh = { stamp: rows[0]?.stamp ?? '', rows: rows[0]?.rows ?? '[]' };
    this.kept.delete(key);
    this.kept.set(key, fresh);
    for (const old of this.kept.keys()) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(old);
    }
    return fresh.rows;
  }
}
