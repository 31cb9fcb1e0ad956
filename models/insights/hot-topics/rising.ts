/**
 * Pseudo-count added to both periods before comparing them (additive smoothing). With 5, a term
 * going 1 -> 3 scores (3+5)/(1+5) = 1.33 and one going 40 -> 80 scores 85/45 = 1.89: a handful of
 * mentions cannot outrank a real surge, while a term new this period needs about 10 mentions
 * ((10+5)/(0+5) = 3) to reach the default warning threshold.
 */
export const GROWTH_SMOOTHING = 5;

/** growth = (current + k) / (previous + k): 1 is flat, 2 is doubling, below 1 is falling. */
export function growth(current: number, previous: number, smoothing = GROWTH_SMOOTHING): number {
  return (current + smoothing) / (previous + smoothing);
}

/** Counts of one term (or category) in a period and in the period of equal length before it. */
export interface TermCounts {
  readonly termId: number;
  readonly kind: 'word' | 'category';
  readonly term: string;
  readonly current: number;
  readonly previous: number;
}

/** A term with its growth. */
export interface RisingTerm extends TermCounts {
  readonly growth: number;
  readonly change: number;
}

/** Rising order: by growth, then count, then term (so equal scores list the same way every time). */
function before(a: RisingTerm, b: RisingTerm): boolean {
  if (a.growth !== b.growth) return a.growth > b.growth;
  if (a.current !== b.current) return a.current > b.current;
  return a.term < b.term;
}

/**
 * The `limit` terms rising fastest among those mentioned at least `minCount` times this period.
 * One pass keeping the best `limit` in order: a year of the city holds tens of thousands of terms,
 * and sorting them all to keep twenty took a noticeable part of the request.
 */
export function rankRising(rows: readonly TermCounts[], options: { readonly limit: number; readonly minCount: number }): RisingTerm[] {
  const best: RisingTerm[] = [];
  for (const row of rows) {
    if (row.current < options.minCount) continue;
    const g = growth(row.current, row.previous);
    const last = best[best.length - 1];
    if (best.length >= options.limit && last && (g < last.growth || (g === last.growth && row.current < last.current))) continue;
    const candidate = withGrowth(row);
    let at = best.length;
    for (let above = best[at - 1]; above && before(candidate, above); above = best[at - 1]) at -= 1;
    best.splice(at, 0, candidate);
    if (best.length > options.limit) best.pop();
  }
  return best;
}

/** Adds growth and absolute change to a term's counts. */
export function withGrowth(row: TermCounts): RisingTerm {
  return { ...row, growth: growth(row.current, row.previous), change: row.current - row.previous };
}

/** When a term's rise becomes a warning: at least `minCount` mentions and at least `growth` times the smoothed previous count. */
export interface RiseThreshold {
  readonly growth: number;
  readonly minCount: number;
}

/** Whether counts pass a threshold. */
export function isPastThreshold(counts: Pick<TermCounts, 'current' | 'previous'>, threshold: RiseThreshold): boolean {
  return counts.current >= threshold.minCount && growth(counts.current, counts.previous) >= threshold.growth;
}
