import type { RuleTarget } from './rule.js';

/**
 * Where the centre sent a case, relative to the case's place, so that a lesson from one county
 * applies in another: 'dept:<slug>' (that department of the case's county, or the city's),
 * 'township', 'county', or 'unit:<code>' for a unit that is the same wherever the case is.
 */
export type UnitLabel = string;

/**
 * The label of a request the centre keeps rather than dispatches (a private loan for the courts, a
 * question the operator answers): no unit's, so a classifier that is sure of it dispatches nothing.
 */
export const CENTRE_LABEL: UnitLabel = 'manual';

/** One labelled example: the case's tokens and where the centre dispatched it. */
export interface TrainingExample {
  readonly tokens: readonly string[];
  readonly label: UnitLabel;
}

/** A label the model favours, how sure it is, and the tokens that weighed most for it. */
export interface LabelPrediction {
  readonly label: UnitLabel;
  readonly probability: number;
  readonly evidence: readonly string[];
}

/** Every label a classifier ranks, best first, and the tokens that weighed most for one of them. */
export interface Ranking {
  readonly labels: readonly { readonly label: UnitLabel; readonly probability: number }[];
  evidence(label: UnitLabel): readonly string[];
}

const NO_RANKING: Ranking = { labels: [], evidence: () => [] };

const SMOOTHING = 1;
const EVIDENCE_SIZE = 3;

interface LabelCounts {
  examples: number;
  tokens: number;
}

/** The unit label of a dispatch, given the case's county and township; null when none applies. */
export function labelOfUnit(unitCode: string, place: { countyCode: string | null; townshipCode: string | null }, cityCode: string): UnitLabel {
  if (place.townshipCode !== null && unitCode === place.townshipCode) return 'township';
  if (place.countyCode !== null && unitCode === place.countyCode) return 'county';
  for (const prefix of [place.countyCode, cityCode]) {
    if (prefix !== null && unitCode.startsWith(`${prefix}-`)) return `dept:${unitCode.slice(prefix.length + 1)}`;
  }
  return `unit:${unitCode}`;
}

/** The rule target a label stands for, resolved for each case by its place as rules are. */
export function targetOfLabel(label: UnitLabel): RuleTarget {
  if (label === 'township' || label === 'county') return { kind: 'territorial', level: label };
  if (label.startsWith('dept:')) return { kind: 'territorial', departmentSlug: label.slice('dept:'.length) };
  return { kind: 'unit', unitCode: label.slice('unit:'.length) };
}

/** A classifier and how sure it must be to dispatch on its own. */
export interface LearnedRouting {
  readonly classifier: UnitClassifier;
  /**
   * Posterior probability at or above which the classifier dispatches; 1 means never. Naive
   * Bayes is overconfident on short texts, so the centre's model only suggests by default
   * (ROUTING_MODEL_THRESHOLD).
   */
  readonly threshold: number;
  /**
   * The threshold for a case in which the catalogue found none of its words (the catalogue's own
   * classifier): with nothing else to go on, the classifier must be surer; `threshold` when not given.
   */
  readonly thresholdAlone?: number;
  /** Examples a unit label needs before the classifier proposes it. */
  readonly minExamples: number;
  /** What it was taught, as a suggestion's basis names it; the number of examples when not given. */
  readonly about?: string;
  /**
   * Probability at or above which its unit is taken over another unit the catalogue's words chose
   * (the catalogue's own classifier); never when not given.
   */
  readonly overrules?: number;
  /**
   * How many units the classifier may favour over the unit the catalogue's words chose before the
   * case waits for the centre instead; never when not given.
   */
  readonly disputes?: number;
}

/** The label of a rule target: a catalogue matter's owner read as the centre's dispatch to it. */
export function labelOfTarget(target: RuleTarget): UnitLabel {
  if (target.kind === 'unit') return `unit:${target.unitCode}`;
  if (target.departmentSlug !== undefined) return `dept:${target.departmentSlug}`;
  return target.level ?? 'township';
}

/**
 * A multinomial naive Bayes model over the tokens of labelled requests (the catalogue's typical
 * wordings, or the centre's dispatches): incremental (an example can be added and taken back, as a
 * correction replaces a dispatch) and explainable (each prediction names the tokens that favoured it).
 */
export class UnitClassifier {
  private readonly labels = new Map<UnitLabel, LabelCounts>();
  // For each token, how often each label's examples hold it. A token absent from a label adds
  // log(0 + 1) = 0 beside the label's denominator, so a prediction reads only the labels each of
  // its tokens names: a few per token, not every label.
  private readonly postings = new Map<string, Map<UnitLabel, number>>();
  private examples = 0;

  /** How many examples the model holds. */
  get size(): number {
    return this.examples;
  }

  /** Learns one example. */
  add(example: TrainingExample): void {
    this.change(example, 1);
  }

  /** Forgets one example learned before (a dispatch the centre corrected). */
  remove(example: TrainingExample): void {
    this.change(example, -1);
  }

  private change({ tokens, label }: TrainingExample, sign: 1 | -1): void {
    const counts = this.labels.get(label) ?? { examples: 0, tokens: 0 };
    this.labels.set(label, counts);
    counts.examples += sign;
    this.examples += sign;
    for (const token of tokens) {
      counts.tokens += sign;
      const posting = this.postings.get(token) ?? new Map<UnitLabel, number>();
      const count = (posting.get(label) ?? 0) + sign;
      if (count > 0) posting.set(label, count);
      else posting.delete(label);
      if (posting.size > 0) this.postings.set(token, posting);
      else this.postings.delete(token);
    }
    if (counts.examples <= 0) this.labels.delete(label);
  }

  /**
   * The labels by posterior probability, best first, over the tokens the model knows; labels with
   * fewer than `minExamples` examples take no part (one dispatch is an anecdote, not a lesson).
   */
  predict(tokens: readonly string[], minExamples = 3, limit = 3): LabelPrediction[] {
    const ranking = this.rank(tokens, minExamples);
    return ranking.labels.slice(0, limit).map(({ label, probability }) => ({ label, probability, evidence: ranking.evidence(label) }));
  }

  /** Every label as predict ranks it, with its evidence to be asked for only where it is shown. */
  rank(tokens: readonly string[], minExamples = 3): Ranking {
    const times = new Map<string, number>();
    for (const token of tokens) if (this.postings.has(token)) times.set(token, (times.get(token) ?? 0) + 1);
    if (times.size === 0) return NO_RANKING;
    const known = [...times.entries()];
    const knownCount = known.reduce((sum, [, n]) => sum + n, 0);
    const vocabularySize = this.postings.size;
    const scored: { label: UnitLabel; logP: number; denominator: number }[] = [];
    const indexOf = new Map<UnitLabel, number>();
    for (const [label, counts] of this.labels) {
      if (counts.examples < minExamples) continue;
      const denominator = Math.log(counts.tokens + SMOOTHING * vocabularySize);
      indexOf.set(label, scored.length);
      scored.push({ label, logP: Math.log(counts.examples / this.examples) - knownCount * denominator, denominator });
    }
    if (scored.length === 0) return NO_RANKING;
    // Each known token's log(count + 1) summed over the scored labels, for its average weight.
    const logCountSums = known.map(([token, n]) => {
      let sum = 0;
      for (const [label, count] of this.postings.get(token) ?? []) {
        const index = indexOf.get(label);
        if (index === undefined) continue;
        const logCount = Math.log(count + SMOOTHING);
        (scored[index] as { logP: number }).logP += n * logCount;
        sum += logCount;
      }
      return sum;
    });
    const denominatorSum = scored.reduce((sum, s) => sum + s.denominator, 0);
    const top = Math.max(...scored.map((s) => s.logP));
    const total = scored.reduce((sum, s) => sum + Math.exp(s.logP - top), 0);
    const denominators = new Map(scored.map((s) => [s.label, s.denominator]));
    return {
      labels: scored.sort((a, b) => b.logP - a.logP || (a.label < b.label ? -1 : 1)).map(({ label, logP }) => ({ label, probability: Math.exp(logP - top) / total })),
      // The tokens that lift a label most above the average label: a token's weight for a label is
      // log(count + 1) - the label's denominator.
      evidence: (label) => {
        const denominator = denominators.get(label);
        if (denominator === undefined) return [];
        return known
          .map(([token], i) => {
            const weight = Math.log((this.postings.get(token)?.get(label) ?? 0) + SMOOTHING) - denominator;
            return { token, lift: weight - ((logCountSums[i] as number) - denominatorSum) / scored.length };
          })
          .filter(({ lift }) => lift > 0)
          .sort((a, b) => b.lift - a.lift)
          .slice(0, EVIDENCE_SIZE)
          .map(({ token }) => token);
      },
    };
  }
}
