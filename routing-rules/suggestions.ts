import { DEPARTMENTS } from '../models/org/seed/departments.js';
import { isRuralTownship } from './gazetteer.js';
import { scoreMatters, type CompiledCatalogue, type Matter } from './catalogue.js';
import { CENTRE_LABEL, targetOfLabel, type LearnedRouting } from './classifier.js';
import type { RuleTarget } from './rule.js';
import { ModelReading } from './tokens.js';
import { resolveTarget, type CasePlace, type UnitExists } from './target.js';

/** A unit the centre might send the case to, how sure the system is (0..1), and why. */
export interface Suggestion {
  readonly unitCode: string;
  readonly confidence: number;
  readonly basis: string;
  /** What suggests it, for people: a catalogue matter's or a rule's name, 派单目录典型表述 or 中心派单学习. */
  readonly name: string;
  /** The case's words it rests on: a matter's words found, or the phrases holding the pairs of characters that weighed most. */
  readonly words: readonly string[];
}

/** A suggestion with what made it: `catalogue:<matter id>`, `wordings:<label>` or `model:<label>`. */
export interface Candidate extends Suggestion {
  readonly ref: string;
}

/** What one stage (catalogue or model) proposes: its candidates, and whether the best one is sure enough to dispatch. */
export interface StageOutcome {
  readonly candidates: readonly Candidate[];
  readonly confident: boolean;
  /** A classifier's every label, best first. */
  readonly ranking?: readonly { readonly label: string; readonly probability: number }[];
  /** When a classifier's best guess is that the centre keeps such requests: how sure, and why. */
  readonly keeps?: { readonly probability: number; readonly basis: string };
}

export const SUGGESTION_LIMIT = 3;

const EPSILON = 1e-9;

export interface Where {
  readonly place: CasePlace;
  readonly cityCode: string;
  readonly unitExists?: UnitExists;
}

/**
 * The unit a target names for this case. A township's matter needs a known township and a
 * county's a known county: without one the centre asks the caller where it is, rather than the
 * county government getting a street light or the city government a pothole.
 */
function unitFor(target: RuleTarget, where: Where): string | null {
  if (target.kind === 'territorial' && target.departmentSlug === undefined) {
    const known = (target.level ?? 'township') === 'township' ? where.place.townshipCode : where.place.countyCode;
    if (known === null) return null;
  }
  return resolveTarget(target, where.place, where.cityCode, where.unitExists).unitCode;
}

// Departments with a counterpart in every county: without a county, their street-level matters have no unit.
const COUNTY_DEPARTMENTS: ReadonlySet<string> = new Set(DEPARTMENTS.filter((d) => d.county).map((d) => d.slug));

/**
 * The unit of a matter: its owner; the township for a case in a 镇 or 乡 when the matter says so
 * (`ruralTownship`); or the county department it names for a case with a county and no township.
 * A county department's matter needs a known county unless the city runs it city-wide
 * (`cityWide`); the utilities exist at city level only, so they need none.
 */
function matterUnit(matter: Matter, where: Where): string | null {
  const { target } = matter;
  if (target.kind === 'territorial' && target.departmentSlug !== undefined && where.place.countyCode === null && COUNTY_DEPARTMENTS.has(target.departmentSlug) && matter.cityWide !== true) return null;
  const { townshipCode } = where.place;
  if (matter.ruralTownship === true && townshipCode !== null && isRuralTownship(townshipCode)) return unitFor({ kind: 'territorial', level: 'township' }, where);
  const owned = unitFor(target, where);
  if (owned !== null || matter.withoutTownship === undefined || where.place.countyCode === null || where.place.townshipCode !== null) return owned;
  return unitFor(matter.withoutTownship, where);
}

/** The catalogue's candidates, one per unit (its best matter); confident when the best leads by the margin. */
export function catalogueStage(catalogue: CompiledCatalogue, found: ReadonlySet<string>, where: Where): StageOutcome {
  const byUnit = new Map<string, { score: number; basis: string; ref: string; name: string; words: readonly string[] }>();
  for (const { matter, score, words } of scoreMatters(catalogue, found)) {
    const unitCode = matterUnit(matter, where);
    if (unitCode === null || byUnit.has(unitCode)) continue;
    const basis = `catalogue matter "${matter.name}" (${matter.id}): ${words.join('、')}, score ${score.toFixed(1)}`;
    byUnit.set(unitCode, { score, basis, ref: `catalogue:${matter.id}`, name: matter.name, words });
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

/** Which classifier a stage asks: the catalogue's (typical wordings and labelled requests), or the model of the centre's dispatches. */
export type ClassifierKind = 'wordings' | 'model';

function classifierBasis(kind: ClassifierKind, learned: LearnedRouting, label: string): string {
  const size = learned.classifier.size;
  return `${learned.about ?? (kind === 'wordings' ? `the catalogue's ${size} typical wordings` : `learned from ${size} centre dispatches`)}, label ${label}`;
}

/**
 * A classifier's candidates over the case's words (the segmenter's); confident when the best
 * label's probability reaches its threshold.
 */
export function classifierStage(kind: ClassifierKind, learned: LearnedRouting, words: readonly string[], where: Where, threshold = learned.threshold): StageOutcome {
  const candidates: Candidate[] = [];
  const reading = new ModelReading(words);
  const ranking = learned.classifier.rank(reading.tokens, learned.minExamples);
  const predictions = ranking.labels.slice(0, SUGGESTION_LIMIT).map(({ label, probability }) => ({ label, probability, evidence: ranking.evidence(label) }));
  const readable = (evidence: readonly string[]): string[] => reading.phrases(evidence);
  const because = (evidence: readonly string[]): string => (evidence.length > 0 ? `: ${readable(evidence).join('、')}` : '');
  const [top] = predictions;
  const keeps = top?.label === CENTRE_LABEL ? { probability: top.probability, basis: `${classifierBasis(kind, learned, top.label)}${because(top.evidence)}` } : undefined;
  for (const { label, probability, evidence } of predictions) {
    if (label === CENTRE_LABEL) continue;
    const unitCode = unitFor(targetOfLabel(label), where);
    if (unitCode === null || candidates.some((c) => c.unitCode === unitCode)) continue;
    const basis = `${classifierBasis(kind, learned, label)}${because(evidence)}`;
    // The name the desk shows beside the unit as what decided (命中规则).
    const name = kind === 'wordings' ? '派单目录典型表述' : '中心派单学习';
    candidates.push({ unitCode, confidence: probability, basis, ref: `${kind}:${label}`, name, words: readable(evidence) });
  }
  const best = candidates[0];
  // A best guess that the centre keeps such requests dispatches nothing.
  const confident = keeps === undefined && best !== undefined && threshold < 1 && best.confidence >= threshold;
  return { candidates, confident, ranking: ranking.labels, ...(keeps ? { keeps } : {}) };
}

/**
 * Where a classifier places a unit among the units it favours for this case, 0 for its first; null
 * when none of its labels stands for that unit (it has learned nothing of the unit's matters).
 */
export function unitRank(stage: StageOutcome, unitCode: string, where: Where): number | null {
  const seen = new Set<string>();
  for (const { label } of stage.ranking ?? []) {
    if (label === CENTRE_LABEL) continue;
    const unit = unitFor(targetOfLabel(label), where);
    if (unit === null || seen.has(unit)) continue;
    if (unit === unitCode) return seen.size;
    seen.add(unit);
  }
  return null;
}

/**
 * The top suggestions, one per unit: the candidate that decided (if any), then the classifiers'
 * (the wordings' and the centre's model, by probability: both are naive Bayes posteriors) and the
 * catalogue's words' in turn, a classifier's first. The words' scores and the probabilities are not
 * on one scale, so they are not sorted together. A classifier first, because for the cases left to
 * the centre its first unit was acceptable more often: over the nineteen taught sets, each judged by
 * a classifier taught the others, 175 of the 284 such cases a unit could take against 137 with the
 * words first (any of the three: 260 against 256).
 */
export function mergeSuggestions(decided: Candidate | undefined, words: StageOutcome | undefined, classifiers: readonly StageOutcome[]): Suggestion[] {
  const best = new Map<string, Suggestion>();
  const byProbability = classifiers.flatMap((stage) => stage.candidates).sort((a, b) => b.confidence - a.confidence);
  const byWords = words?.candidates ?? [];
  const inTurn = Array.from({ length: Math.max(byProbability.length, byWords.length) }, (_, i) => [byProbability[i], byWords[i]]).flat();
  for (const candidate of [decided, ...inTurn]) {
    if (candidate === undefined || best.has(candidate.unitCode)) continue;
    const { unitCode, confidence, basis, name, words } = candidate;
    best.set(unitCode, { unitCode, confidence, basis, name, words });
  }
  return [...best.values()].slice(0, SUGGESTION_LIMIT);
}
