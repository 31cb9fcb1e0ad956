import type { Queryable } from '../../../infra/db.js';

/** What a query over the rollups answered, and the seal (stat_seal.sealed_at) it read them under. */
interface Sealed<T> {
  readonly stamp: string;
  readonly value: T;
}

/**
 * Sums over sealed days, kept per process. Each seal or rebuild stamps stat_seal.sealed_at, and
 * only a seal or a rebuild writes the rollups: an answer is reused while the stamp it was read
 * under is still the current one. The stamp is read in the same statement as the sums, so that a
 * seal landing between two queries cannot pair old sums with a new stamp.
 */
export class SealedSums<T> {
  private readonly kept = new Map<string, Sealed<T>>();

  constructor(private readonly capacity: number) {}

  /**
   * The value for `key` (the rollup range asked for), from memory when the seal has not moved since;
   * `read` returns the value with the stamp its own statement saw (`SEAL_STAMP_SQL`).
   */
  async get(db: Queryable, key: string, read: () => Promise<Sealed<T>>): Promise<T> {
    const kept = this.kept.get(key);
    if (kept) {
      const { rows } = await db.query<{ stamp: string }>(SEAL_STAMP_SQL);
      if (rows[0]?.stamp === kept.stamp) {
        this.kept.delete(key);
        this.kept.set(key, kept);
        return kept.value;
      }
    }
    const fresh = await read();
    this.kept.delete(key);
    this.kept.set(key, fresh);
    for (const old of this.kept.keys()) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(old);
    }
    return fresh.value;
  }
}

/** The current seal's stamp, as text (microseconds kept). */
export const SEAL_STAMP_SQL = 'SELECT sealed_at::text AS stamp FROM stat_seal';
