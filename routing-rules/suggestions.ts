import { scoreMatters, type CompiledCatalogue } from './catalogue.js';
import { targetOfLabel, type UnitClassifier } from './classifier.js';
import type { RuleTarget } from './rule.js';
import { resolveTarget, type CasePlace, type UnitExists } from './target.js';

/** A unit the centre might send the case to, how sure the system is (0..1), and why. */
export interface Suggestion {
  readonly unitCode: string;
  readonly confidence: number;
  readonly basis: string;
}

/** The learned model and how sure it must be to dispatch on its own. */
export interface LearnedRouting {
  readonly classifier: UnitClassifier;
  /**
   * Posterior probability at or above which the model dispatches (ROUTING_MODEL_THRESHOLD); 1
   * means never: naive Bayes is overconfident on short texts, so by default it only suggests.
   */
  readonly threshold: number;
  /** Examples a unit label needs before the model proposes it. */
  readonly minExamples: number;
}

/** A suggestion with what made it: `catalogue:<matter id>` or `model:<label>`, and a name for people. */
export interface Candidate extends Suggestion {
  readonly ref: string;
  readonly name: string;
}

/** What one stage (catalogue or model) proposes: its candidates, and whether the best one is sure enough to dispatch. */
export interface StageOutcome {
  readonly candidates: readonly Candidate[];
  readonly confident: boolean;
}

export const SUGGESTION_LIMIT = 3;

const EPSILON = 1e-9;

interface Where {
  readonly place: CasePlace;
  readonly cityCode: string;
  readonly unitExists?: UnitExists;
}

/**
 * The unit a target names for this case. Street-level matters need a known county: without one
 * the centre asks the caller where it is, rather than the city government getting a pothole.
 */
function unitFor(target: RuleTarget, where: Where): string | null {
  if (target.kind === 'territorial' && target.departmentSlug === undefined && where.place.countyCode === null) return null;
  return resolveTarget(target, where.place, where.cityCode, where.unitExists).unitCode;
}

/** The catalogue's candidates, one per unit (its best matter); confident when the best leads by the margin. */
export function catalogueStage(catalogue: CompiledCatalogue, found: ReadonlySet<string>, where: Where): StageOutcome {
  const byUnit = new Map<string, { score: number; basis: string; ref: string; name: string }>();
  for (const { matter, score, words } of scoreMatters(catalogue, found)) {
    const unitCode = unitFor(matter.target, where);
    if (unitCode === null || byUnit.has(unitCode)) continue;
    const basis = `catalogue matter "${matter.name}" (${matter.id}): ${words.join('、')}, score ${score.toFixed(1)}`;
    byUnit.set(unitCode, { score, basis, ref: `catalogue:${matter.id}`, name: matter.name });
  }
  const ranked = [...byUnit.entries()].map(([unitCode, v]) => ({ unitCode, ...v }));
  const total = ranked.reduce((sum, r) => sum + r.score, 0);
  const [best, next] = ranked;
  const { minScore, margin, ratio } = catalogue.thresholds;
  const nextScore = next?.score ?? 0;
  // Scores are sums of fractional weights: 0.9 - 0.4 must count as the margin 0.5 it is.
  const confident = best !== undefined && best.score >= minScore - EPSILON && best.score - nextScore >= margin - EPSILON && best.score >= ratio * nextScore;
  return {
    // The share of the evidence, damped so that one weak word never reads as certainty.
    candidates: ranked.slice(0, SUGGESTION_LIMIT).map(({ score, ...r }) => ({ ...r, confidence: score / (total + 1) })),
    confident,
  };
}

/** The learned model's candidates; confident when the best label's probability reaches the threshold. */
export function modelStage(learned: LearnedRouting, tokens: readonly string[], where: Where): StageOutcome {
  const candidates: Candidate[] = [];
  for (const { label, probability, evidence } of learned.classifier.predict(tokens, learned.minExamples)) {
    const unitCode = unitFor(targetOfLabel(label), where);
    if (unitCode === null || candidates.some((c) => c.unitCode === unitCode)) continue;
    const because = evidence.length > 0 ? `: ${evidence.join('、')}` : '';
    const basis = `learned from ${learned.classifier.size} centre dispatches, label ${label}${because}`;
    candidates.push({ unitCode, confidence: probability, basis, ref: `model:${label}`, name: `learned ${label}` });
  }
  const best = candidates[0];
  return { candidates, confident: best !== undefined && learned.threshold < 1 && best.confidence >= learned.threshold };
}

/**
 * The top suggestions of several stages, one per unit, in decision order (the catalogue's before
 * the model's): the two confidences are not on one scale, so they are not sorted together.
 */
export function mergeSuggestions(stages: readonly StageOutcome[]): Suggestion[] {
  const best = new Map<string, Suggestion>();
  for (const stage of stages) {
    for (const { unitCode, confidence, basis } of stage.candidates) {
      if (!best.has(unitCode)) best.set(unitCode, { unitCode, confidence, basis });
    }
  }
  return [...best.values()].slice(0, SUGGESTION_LIMIT);
}
