/** One case as the repeat grouping sees it. */
export interface RepeatCandidate {
  readonly caseId: string;
  readonly receivedAt: Date;
  readonly divisionCode: string;
  readonly category: string | null;
  /** Distinct, as a signature holds them. */
  readonly terms: readonly string[];
}

/** Complaints about one place and one matter, in order of receipt. */
export interface RepeatGroup {
  readonly divisionCode: string;
  readonly category: string | null;
  /** The recurring term the cases were grouped on. */
  readonly keyTerm: string;
  readonly caseIds: readonly string[];
  readonly firstReceivedAt: Date;
  readonly lastReceivedAt: Date;
  /** Terms at least half the cases share, the key term first. */
  readonly commonTerms: readonly string[];
}

/** What makes cases of one place a repeated complaint. */
export interface RepeatOptions {
  /** Groups (and key terms) with fewer cases than this are not repeats. */
  readonly minCases: number;
  /** Words less specific than this (jieba IDF) are never a key: 门口 (6.2) or 晚上 (6.0) say nothing of the matter. */
  readonly minKeySpecificity: number;
}

export const DEFAULT_REPEAT_OPTIONS: RepeatOptions = { minCases: 3, minKeySpecificity: 6.5 };

/**
 * Cases to group, column by column, with terms and buckets (a division and a category) as small
 * integers: a quarter of the city is a quarter of a million cases, and grouping them as objects
 * keyed by strings took a second.
 */
export interface RepeatColumns {
  /** Cases in order of receipt. */
  readonly receivedMs: ArrayLike<number>;
  /** Each case's bucket, numbered in order of the bucket's first case. */
  readonly bucket: ArrayLike<number>;
  /** Case i's terms are terms[termStart[i]] up to terms[termStart[i + 1]]. */
  readonly termStart: ArrayLike<number>;
  readonly terms: ArrayLike<number>;
}

/** What the integers of RepeatColumns stand for. */
export interface RepeatDictionary {
  readonly termText: readonly string[];
  /** jieba IDF of each term. */
  readonly specificity: ArrayLike<number>;
  readonly bucketDivision: readonly string[];
}

/** A RepeatGroup over RepeatColumns: members are case positions. */
export interface RepeatColumnGroup {
  readonly bucket: number;
  readonly keyTerm: number;
  readonly members: readonly number[];
  readonly firstMs: number;
  readonly lastMs: number;
  readonly commonTerms: readonly number[];
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Counts over term ids, emptied after each use by undoing only what was counted. */
class TermTally {
  private readonly counts: Int32Array;
  private readonly touched: number[] = [];

  constructor(size: number) {
    this.counts = new Int32Array(size);
  }

  add(term: number): void {
    if (this.counts[term] === 0) this.touched.push(term);
    this.counts[term] = (this.counts[term] ?? 0) + 1;
  }

  get(term: number): number {
    return this.counts[term] ?? 0;
  }

  entries(): [number, number][] {
    return this.touched.map((t) => [t, this.counts[t] ?? 0]);
  }

  clear(): void {
    for (const t of this.touched) this.counts[t] = 0;
    this.touched.length = 0;
  }
}

/**
 * Repeated complaints: cases of the same bucket (division and category) that share a recurring
 * specific term. Each case joins the group of its most specific term found in at least `minCases`
 * cases of its bucket (ties to the more frequent, then the first in text order), so a case is in
 * one group at most, and the grouping is linear in the number of cases. Largest groups first, then
 * the latest, then by division.
 */
export function groupRepeatColumns(columns: RepeatColumns, dictionary: RepeatDictionary, options: RepeatOptions = DEFAULT_REPEAT_OPTIONS): RepeatColumnGroup[] {
  const size = columns.receivedMs.length;
  const buckets = dictionary.bucketDivision.length;
  // A counting sort by bucket keeps each bucket's cases in order of receipt.
  const starts = new Int32Array(buckets + 1);
  for (let i = 0; i < size; i++) {
    const b = (columns.bucket[i] ?? 0) + 1;
    starts[b] = (starts[b] ?? 0) + 1;
  }
  for (let b = 0; b < buckets; b++) starts[b + 1] = (starts[b + 1] ?? 0) + (starts[b] ?? 0);
  const next = Int32Array.from(starts.subarray(0, buckets));
  const byBucket = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const b = columns.bucket[i] ?? 0;
    byBucket[next[b] ?? 0] = i;
    next[b] = (next[b] ?? 0) + 1;
  }

  const text = dictionary.termText;
  const rank = (t: number): number => dictionary.specificity[t] ?? 0;
  const counts = new TermTally(text.length);
  const shared = new TermTally(text.length);
  const groups: RepeatColumnGroup[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = starts[b] ?? 0;
    const to = starts[b + 1] ?? 0;
    if (to - from < options.minCases) continue;
    for (let k = from; k < to; k++) {
      const i = byBucket[k] ?? 0;
      for (let j = columns.termStart[i] ?? 0; j < (columns.termStart[i + 1] ?? 0); j++) counts.add(columns.terms[j] ?? 0);
    }
    const byKey = new Map<number, number[]>();
    for (let k = from; k < to; k++) {
      const i = byBucket[k] ?? 0;
      let key = -1;
      let keyRank = 0;
      let keyCount = 0;
      for (let j = columns.termStart[i] ?? 0; j < (columns.termStart[i + 1] ?? 0); j++) {
        const t = columns.terms[j] ?? 0;
        const count = counts.get(t);
        const r = rank(t);
        if (count < options.minCases || r < options.minKeySpecificity) continue;
        if (key < 0 || r > keyRank || (r === keyRank && (count > keyCount || (count === keyCount && compareText(text[t] ?? '', text[key] ?? '') < 0)))) {
          [key, keyRank, keyCount] = [t, r, count];
        }
      }
      if (key < 0) continue;
      const members = byKey.get(key);
      if (members) members.push(i);
      else byKey.set(key, [i]);
    }
    counts.clear();
    for (const [keyTerm, members] of byKey) {
      if (members.length < options.minCases) continue;
      for (const i of members) for (let j = columns.termStart[i] ?? 0; j < (columns.termStart[i + 1] ?? 0); j++) shared.add(columns.terms[j] ?? 0);
      const common = shared
        .entries()
        .filter(([t, n]) => t !== keyTerm && n * 2 >= members.length)
        .sort((x, y) => y[1] - x[1] || compareText(text[x[0]] ?? '', text[y[0]] ?? ''))
        .map(([t]) => t);
      shared.clear();
      groups.push({
        bucket: b,
        keyTerm,
        members,
        firstMs: columns.receivedMs[members[0] ?? 0] ?? 0,
        lastMs: columns.receivedMs[members.at(-1) ?? 0] ?? 0,
        commonTerms: [keyTerm, ...common],
      });
    }
  }
  return groups.sort(
    (x, y) => y.members.length - x.members.length || y.lastMs - x.lastMs || compareText(dictionary.bucketDivision[x.bucket] ?? '', dictionary.bucketDivision[y.bucket] ?? ''),
  );
}

/** Interns strings as small integers, in order of first sight. */
export class Dictionary {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.ids.set(text, id);
      this.texts.push(text);
    }
    return id;
  }
}

/** groupRepeatColumns over cases given one by one, in any order. */
export function groupRepeats(cases: readonly RepeatCandidate[], specificity: (term: string) => number, options: RepeatOptions = DEFAULT_REPEAT_OPTIONS): RepeatGroup[] {
  const bucketKeys = new Dictionary();
  const bucketOf = (c: RepeatCandidate): number => bucketKeys.idOf(`${c.divisionCode}\u0000${c.category ?? ''}`);
  for (const c of cases) bucketOf(c);
  const ordered = [...cases].sort((a, b) => a.receivedAt.valueOf() - b.receivedAt.valueOf() || compareText(a.caseId, b.caseId));
  const terms = new Dictionary();
  const termStart = [0];
  const termIds: number[] = [];
  for (const c of ordered) {
    for (const t of c.terms) termIds.push(terms.idOf(t));
    termStart.push(termIds.length);
  }
  const bucketCase = new Map<number, RepeatCandidate>();
  for (const c of ordered) if (!bucketCase.has(bucketOf(c))) bucketCase.set(bucketOf(c), c);
  const groups = groupRepeatColumns(
    { receivedMs: ordered.map((c) => c.receivedAt.valueOf()), bucket: ordered.map(bucketOf), termStart, terms: termIds },
    { termText: terms.texts, specificity: terms.texts.map(specificity), bucketDivision: bucketKeys.texts.map((k) => k.slice(0, k.indexOf('\u0000'))) },
    options,
  );
  return groups.map((g) => {
    const first = bucketCase.get(g.bucket);
    return {
      divisionCode: first?.divisionCode ?? '',
      category: first?.category ?? null,
      keyTerm: terms.texts[g.keyTerm] ?? '',
      caseIds: g.members.map((i) => ordered[i]?.caseId ?? ''),
      firstReceivedAt: new Date(g.firstMs),
      lastReceivedAt: new Date(g.lastMs),
      commonTerms: g.commonTerms.map((t) => terms.texts[t] ?? ''),
    };
  });
}
