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

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Splits one place-and-category bucket by each case's most specific recurring term. */
function groupBucket(cases: readonly RepeatCandidate[], options: RepeatOptions, specificity: (term: string) => number): RepeatGroup[] {
  const counts = new Map<string, number>();
  for (const c of cases) for (const t of c.terms) counts.set(t, (counts.get(t) ?? 0) + 1);
  const byKey = new Map<string, RepeatCandidate[]>();
  for (const c of cases) {
    // The most specific recurring term, ties to the more frequent, then the first in text order.
    let key: string | undefined;
    let keyRank = 0;
    let keyCount = 0;
    for (const t of c.terms) {
      const count = counts.get(t) ?? 0;
      const rank = specificity(t);
      if (count < options.minCases || rank < options.minKeySpecificity) continue;
      if (key === undefined || rank > keyRank || (rank === keyRank && (count > keyCount || (count === keyCount && t < key)))) {
        [key, keyRank, keyCount] = [t, rank, count];
      }
    }
    if (key === undefined) continue;
    const members = byKey.get(key);
    if (members) members.push(c);
    else byKey.set(key, [c]);
  }
  const groups: RepeatGroup[] = [];
  for (const [keyTerm, members] of byKey) {
    if (members.length < options.minCases) continue;
    const first = members[0];
    const last = members.at(-1);
    if (!first || !last) continue;
    const shared = new Map<string, number>();
    for (const m of members) for (const t of m.terms) shared.set(t, (shared.get(t) ?? 0) + 1);
    const commonTerms = [...shared]
      .filter(([t, n]) => t !== keyTerm && n * 2 >= members.length)
      .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
      .map(([t]) => t);
    groups.push({
      divisionCode: first.divisionCode,
      category: first.category,
      keyTerm,
      caseIds: members.map((m) => m.caseId),
      firstReceivedAt: first.receivedAt,
      lastReceivedAt: last.receivedAt,
      commonTerms: [keyTerm, ...commonTerms],
    });
  }
  return groups;
}

/**
 * Repeated complaints: cases of the same division (township, or county when no township is known)
 * and the same category — or both without one — that share a recurring specific term. Each case
 * joins the group of its most specific term found in at least `minCases` cases of its bucket, so
 * a case is in one group at most, and the grouping is linear in the number of cases (a month of
 * the city is 80,000 of them). Largest groups first.
 */
export function groupRepeats(cases: readonly RepeatCandidate[], specificity: (term: string) => number, options: RepeatOptions = DEFAULT_REPEAT_OPTIONS): RepeatGroup[] {
  const buckets = new Map<string, RepeatCandidate[]>();
  for (const c of cases) {
    const key = `${c.divisionCode}\u0000${c.category ?? ''}`;
    const bucket = buckets.get(key);
    if (bucket) bucket.push(c);
    else buckets.set(key, [c]);
  }
  const known = new Map<string, number>();
  const cached = (term: string): number => {
    let rank = known.get(term);
    if (rank === undefined) known.set(term, (rank = specificity(term)));
    return rank;
  };
  const groups: RepeatGroup[] = [];
  for (const bucket of buckets.values()) {
    if (bucket.length < options.minCases) continue;
    const ordered = [...bucket].sort((a, b) => a.receivedAt.valueOf() - b.receivedAt.valueOf() || compareText(a.caseId, b.caseId));
    groups.push(...groupBucket(ordered, options, cached));
  }
  return groups.sort((a, b) => b.caseIds.length - a.caseIds.length || b.lastReceivedAt.getTime() - a.lastReceivedAt.getTime() || compareText(a.divisionCode, b.divisionCode));
}
