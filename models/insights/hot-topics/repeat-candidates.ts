import type { Queryable } from '../../../infra/db.js';
import { Dictionary, type RepeatColumns, type RepeatDictionary } from './repeat-groups.js';
import { rangePeriod, shanghaiDayNumber, shanghaiDayStartOf, splitPeriod, type Period } from './periods.js';
import { termFilters } from './terms.js';

// The terms of a case that can make it a repeat: its most specific ones (signatures list them in
// that order), which is where the matter is; the rest are mostly generic words.
const KEY_TERMS = 6;

// About 60 bytes a case: a quarter at 5,000,000 cases a year fits.
const MAX_KEPT_CASES = 1_500_000;

/** The signatures of one day (or part of one), column by column, ids as 16 bytes each. */
interface DayCases {
  /** Signatures read, with or without a division: what case_days counts for a whole day. */
  readonly indexed: number;
  readonly ids: Uint8Array;
  readonly receivedMs: Float64Array;
  readonly division: Int32Array;
  /** -1 for none. */
  readonly category: Int32Array;
  readonly termStart: Int32Array;
  readonly terms: Int32Array;
}

/** The cases of a period ready for groupRepeatColumns, and their ids. */
export interface RepeatCandidateColumns {
  readonly columns: RepeatColumns;
  readonly dictionary: RepeatDictionary;
  /** Of each bucket. */
  readonly bucketCategory: readonly (string | null)[];
  readonly caseIdAt: (position: number) => string;
}

interface SignatureRow {
  readonly case_id: string;
  readonly received_ms: number;
  readonly division_code: string | null;
  readonly category: string | null;
  readonly terms: string;
}

const HEX = '0123456789abcdef';
const HEX_VALUE = new Map([...HEX].map((c, i) => [c.charCodeAt(0), i]));

/** A UUID's text into 16 bytes, without a Buffer per case. */
function writeUuid(text: string, into: Uint8Array, offset: number): void {
  let byte = offset;
  for (let k = 0; k < text.length; k++) {
    const high = HEX_VALUE.get(text.charCodeAt(k));
    if (high === undefined) continue;
    into[byte++] = high * 16 + (HEX_VALUE.get(text.charCodeAt(++k)) ?? 0);
  }
}

function uuidText(bytes: Uint8Array, offset: number): string {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + offset, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The case signatures the repeat grouping reads, kept in memory by day. A past day's signatures
 * do not change once indexed, so each request reads from PostgreSQL only the days whose count in
 * case_days (written in the indexer's transaction with the signatures) differs from what is kept,
 * today among them, and the partial days at the period's ends. A watch term found in old cases
 * (the backfill appends it to their signatures) drops everything kept.
 */
export class RepeatCandidates {
  private readonly days = new Map<number, DayCases>();
  private kept = 0;
  private watchMark: string | null = null;
  private readonly terms = new Dictionary();
  private readonly specificity: number[] = [];
  private readonly divisions = new Dictionary();
  private readonly categories = new Dictionary();

  async read(db: Queryable, period: Period, divisionPrefix: string | undefined): Promise<RepeatCandidateColumns> {
    const split = splitPeriod(period);
    const whole = split.wholeDays ? rangePeriod(split.wholeDays) : null;
    const parts: DayCases[] = [];
    const edges = async (keep: (edge: Period) => boolean): Promise<void> => {
      for (const edge of split.edges.filter(keep)) parts.push(...(await this.load(db, edge)).values());
    };
    if (!whole) {
      await edges(() => true);
    } else {
      await edges((e) => e.to <= whole.from);
      parts.push(...(await this.wholeDays(db, shanghaiDayNumber(whole.from.getTime()), shanghaiDayNumber(whole.to.getTime()))));
      await edges((e) => e.from >= whole.to);
    }
    return this.columns(parts, divisionPrefix);
  }

  /**
   * Reads the `days` whole days before `now`'s day, as a request over them would: a process that
   * starts with them kept spares its first supervisor the read of a quarter's signatures.
   */
  async warm(db: Queryable, now: Date, days: number): Promise<void> {
    const today = shanghaiDayNumber(now.getTime());
    await this.wholeDays(db, today - days, today);
  }

  /** The whole days [from, to), read again where the kept copy is out of date. */
  private async wholeDays(db: Queryable, from: number, to: number): Promise<DayCases[]> {
    const [{ rows: counts }, { rows: marks }] = await Promise.all([
      db.query<{ day: number; cases: number }>(
        `SELECT day - DATE '1970-01-01' AS day, sum(cases)::int AS cases FROM case_days WHERE day >= DATE '1970-01-01' + $1::int AND day < DATE '1970-01-01' + $2::int GROUP BY day`,
        [from, to],
      ),
      db.query<{ mark: string | null }>('SELECT max(backfilled_at)::text AS mark FROM hot_topic_watch_terms'),
    ]);
    const mark = marks[0]?.mark ?? null;
    if (mark !== this.watchMark) {
      this.days.clear();
      this.kept = 0;
      this.watchMark = mark;
    }
    const indexed = new Map(counts.map((r) => [r.day, r.cases]));
    const result = new Map<number, DayCases>();
    const stale: number[] = [];
    for (let day = from; day < to; day++) {
      const cases = this.days.get(day);
      if ((indexed.get(day) ?? 0) !== (cases?.indexed ?? 0)) {
        stale.push(day);
      } else if (cases) {
        // Most recently used last, so that the oldest use is dropped first.
        this.days.delete(day);
        this.days.set(day, cases);
        result.set(day, cases);
      }
    }
    // Consecutive stale days are read in one query.
    for (let i = 0; i < stale.length; ) {
      let j = i;
      while (j + 1 < stale.length && stale[j + 1] === (stale[j] ?? 0) + 1) j++;
      const first = stale[i] ?? 0;
      const last = stale[j] ?? 0;
      const loaded = await this.load(db, { from: shanghaiDayStartOf(first), to: shanghaiDayStartOf(last + 1) });
      for (let day = first; day <= last; day++) {
        const cases = loaded.get(day);
        this.keep(day, cases);
        if (cases) result.set(day, cases);
      }
      i = j + 1;
    }
    return [...result.entries()].sort((a, b) => a[0] - b[0]).map(([, cases]) => cases);
  }

  private keep(day: number, cases: DayCases | undefined): void {
    const before = this.days.get(day);
    if (before) this.kept -= before.receivedMs.length;
    this.days.delete(day);
    if (!cases) return;
    this.days.set(day, cases);
    this.kept += cases.receivedMs.length;
    for (const [old, oldCases] of this.days) {
      if (this.kept <= MAX_KEPT_CASES || old === day) break;
      this.days.delete(old);
      this.kept -= oldCases.receivedMs.length;
    }
  }

  /** The signatures received in the period, by day, in order of receipt. */
  private async load(db: Queryable, period: Period): Promise<Map<number, DayCases>> {
    // Terms come joined in one string: node-postgres parses a text[] for every row far slower.
    // Likewise the time as milliseconds: parsing a timestamp text per row costs more than the grouping.
    const { rows } = await db.query<SignatureRow>(
      `SELECT case_id, (extract(epoch FROM received_at) * 1000)::float8 AS received_ms, division_code, category, array_to_string(terms[1:${KEY_TERMS}], E'\x1f') AS terms
         FROM case_signatures WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at`,
      [period.from, period.to],
    );
    const byDay = new Map<number, DayCases>();
    for (let start = 0; start < rows.length; ) {
      const day = shanghaiDayNumber(rows[start]?.received_ms ?? 0);
      let end = start;
      while (end < rows.length && shanghaiDayNumber(rows[end]?.received_ms ?? 0) === day) end++;
      byDay.set(day, this.toColumns(rows, start, end));
      start = end;
    }
    return byDay;
  }

  private toColumns(rows: readonly SignatureRow[], from: number, to: number): DayCases {
    let size = 0;
    for (let r = from; r < to; r++) if (rows[r]?.division_code !== null) size++;
    const ids = new Uint8Array(size * 16);
    const receivedMs = new Float64Array(size);
    const division = new Int32Array(size);
    const category = new Int32Array(size);
    const termStart = new Int32Array(size + 1);
    const terms: number[] = [];
    let i = 0;
    for (let r = from; r < to; r++) {
      const row = rows[r];
      if (!row || row.division_code === null) continue;
      writeUuid(row.case_id, ids, i * 16);
      receivedMs[i] = row.received_ms;
      division[i] = this.divisions.idOf(row.division_code);
      category[i] = row.category === null ? -1 : this.categories.idOf(row.category);
      if (row.terms) for (const t of row.terms.split('\x1f')) terms.push(this.termId(t));
      termStart[++i] = terms.length;
    }
    return { indexed: to - from, ids, receivedMs, division, category, termStart, terms: Int32Array.from(terms) };
  }

  private termId(term: string): number {
    const id = this.terms.idOf(term);
    if (id === this.specificity.length) this.specificity.push(termFilters().idf(term));
    return id;
  }

  private columns(parts: readonly DayCases[], divisionPrefix: string | undefined): RepeatCandidateColumns {
    const wanted = this.divisions.texts.map((code) => divisionPrefix === undefined || code.startsWith(divisionPrefix));
    let size = 0;
    let termCount = 0;
    for (const p of parts) {
      for (let i = 0; i < p.receivedMs.length; i++) {
        if (!wanted[p.division[i] ?? 0]) continue;
        size++;
        termCount += (p.termStart[i + 1] ?? 0) - (p.termStart[i] ?? 0);
      }
    }
    const receivedMs = new Float64Array(size);
    const bucket = new Int32Array(size);
    const termStart = new Int32Array(size + 1);
    const terms = new Int32Array(termCount);
    const originPart = new Int32Array(size);
    const originRow = new Int32Array(size);
    const bucketIds = new Map<number, number>();
    const bucketDivision: string[] = [];
    const bucketCategory: (string | null)[] = [];
    const categoryCount = this.categories.texts.length + 1;
    let n = 0;
    parts.forEach((p, part) => {
      for (let i = 0; i < p.receivedMs.length; i++) {
        const division = p.division[i] ?? 0;
        if (!wanted[division]) continue;
        const category = p.category[i] ?? -1;
        const key = division * categoryCount + category + 1;
        let b = bucketIds.get(key);
        if (b === undefined) {
          b = bucketDivision.length;
          bucketIds.set(key, b);
          bucketDivision.push(this.divisions.texts[division] ?? '');
          bucketCategory.push(category < 0 ? null : (this.categories.texts[category] ?? null));
        }
        receivedMs[n] = p.receivedMs[i] ?? 0;
        bucket[n] = b;
        const from = p.termStart[i] ?? 0;
        const to = p.termStart[i + 1] ?? 0;
        terms.set(p.terms.subarray(from, to), termStart[n] ?? 0);
        termStart[n + 1] = (termStart[n] ?? 0) + (to - from);
        originPart[n] = part;
        originRow[n] = i;
        n++;
      }
    });
    return {
      columns: { receivedMs, bucket, termStart, terms },
      dictionary: { termText: this.terms.texts, specificity: this.specificity, bucketDivision },
      bucketCategory,
      caseIdAt: (position) => uuidText(parts[originPart[position] ?? 0]?.ids ?? new Uint8Array(16), (originRow[position] ?? 0) * 16),
    };
  }
}
