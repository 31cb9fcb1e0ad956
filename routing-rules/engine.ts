import { CITY_CODE } from '../models/org/seed/departments.js';
import { catalogueVocabulary, type CompiledCatalogue } from './catalogue.js';
import { compileChecks, normalizeKeywords, type CaseFacts, type Check } from './conditions.js';
import type { RoutingCaseInput, RoutingRule } from './rule.js';
import { buildKeywordIndex, findKeywords, normalizeText, segmenterFor, type KeywordIndex, type Segmenter } from './segmenter.js';
import type { LearnedRouting } from './classifier.js';
import { catalogueStage, classifierStage, mergeSuggestions, unitRank, type Candidate, type StageOutcome, type Suggestion, type Where } from './suggestions.js';
import { resolveTarget, type CasePlace, type UnitExists } from './target.js';

export type { UnitExists } from './target.js';
export type { Suggestion } from './suggestions.js';
export type { LearnedRouting } from './classifier.js';

interface CompiledRule {
  readonly rule: RoutingRule;
  readonly checks: readonly Check[];
}

/** A rule set prepared for deciding: enabled rules in decision order, keyword sets precomputed. */
export interface CompiledRules {
  readonly rules: readonly CompiledRule[];
  readonly keywordIndex: KeywordIndex;
  readonly segmenter: Segmenter;
  readonly cityCode: string;
  readonly catalogue?: CompiledCatalogue;
}

/**
 * What took a case and the unit it goes to, with the conditions that held: an admin rule, a
 * catalogue matter (ruleId `catalogue:<matter id>`), the catalogue's typical wordings
 * (`wordings:<label>`, source `catalogue`) or the learned model (`model:<label>`).
 */
export interface RoutingMatch {
  readonly source: 'rule' | 'catalogue' | 'model';
  readonly ruleId: string;
  readonly ruleName: string;
  readonly unitCode: string;
  readonly explanation: string;
  readonly matchedConditions: readonly string[];
}

/**
 * A rule ranked before the decision that failed exactly one condition while another (not a
 * noneOf) held, or held everywhere but had no unit to go to. A rule whose only condition failed
 * is no near miss: every complaint would otherwise "nearly" be a petition.
 */
export interface NearMiss {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly failed: readonly string[];
}

/** The outcome of routing one case; `matched: null` leaves it in the centre's manual-dispatch queue. */
export interface RoutingDecision {
  readonly matched: RoutingMatch | null;
  /** Why the case waits for the centre when the catalogue's classifier is sure the centre keeps such requests. */
  readonly kept?: string;
  /** Why the case waits for the centre when the catalogue's words and its classifier disagree too much. */
  readonly disputed?: string;
  readonly nearMisses: readonly NearMiss[];
  /** Up to three units with confidence and reason: what the centre sees when the case waits for it. */
  readonly suggestions: readonly Suggestion[];
}

const NEAR_MISS_LIMIT = 3;

/** Decision order: higher priority first, ties by id (code-unit order, so it is locale-free). */
function compareRules(a: RoutingRule, b: RoutingRule): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function assertUniqueIds(rules: readonly RoutingRule[]): void {
  const seen = new Set<string>();
  for (const { id } of rules) {
    if (seen.has(id)) throw new Error(`routing rule id "${id}" is used twice`);
    seen.add(id);
  }
}

/** Options of compileRules: the city of territorial fallbacks, and a segmenter shared across rule sets. */
export interface CompileOptions {
  readonly cityCode?: string;
  /** Tests of rule-ordering logic pass one segmenter for a fixed vocabulary instead of one per keyword set. */
  readonly segmenter?: Segmenter;
  /** The dispatch catalogue, consulted when no rule takes the case. */
  readonly catalogue?: CompiledCatalogue;
}

/** Sorts, drops disabled rules, compiles conditions and prepares a segmenter knowing the keywords; run once per rule-set version. */
export function compileRules(rules: readonly RoutingRule[], options: CompileOptions = {}): CompiledRules {
  const cityCode = options.cityCode ?? CITY_CODE;
  assertUniqueIds(rules);
  const enabled = rules.filter((rule) => rule.enabled).sort(compareRules);
  const keywords = enabled.flatMap(({ conditions: { keywords: k } }) => [
    ...(normalizeKeywords(k?.anyOf) ?? []),
    ...(normalizeKeywords(k?.allOf) ?? []),
    ...(normalizeKeywords(k?.noneOf) ?? []),
  ]);
  // The segmenter knows the catalogue's words too; the rules' index holds only the rules' own, as
  // looking for every catalogue word inside every token would cost more than the rest of a decision.
  const taught = options.catalogue ? [...keywords, ...catalogueVocabulary(options.catalogue)] : keywords;
  return {
    rules: enabled.map((rule) => ({ rule, checks: compileChecks(rule.conditions) })),
    keywordIndex: buildKeywordIndex(keywords),
    segmenter: options.segmenter ?? segmenterFor(taught),
    cityCode,
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
  };
}

function caseFacts(input: RoutingCaseInput, keywordIndex: KeywordIndex, segmenter: Segmenter): CaseFacts & { tokens: () => readonly string[] } {
  let tokenized: string[] | undefined;
  let found: ReadonlySet<string> | undefined;
  // Segmenting is the costliest step, so it waits until a rule with keywords is reached.
  // A title cut from the content's start, as the webhook channels make one, is not read twice: the
  // classifiers count tokens, and the same words twice made them sure of what they half-guessed.
  const title = input.title && !input.content.startsWith(input.title) ? input.title : '';
  const tokens = (): readonly string[] => {
    tokenized ??= segmenter.tokenize(normalizeText(`${title}\n${input.content}`));
    return tokenized;
  };
  const keywords = (): ReadonlySet<string> => {
    found ??= findKeywords(tokens(), keywordIndex);
    return found;
  };
  return { input, divisionCode: input.divisionCode, keywords, tokens };
}

/** The case's county and township, taken from `divisionCode` when not given. */
function casePlace(input: RoutingCaseInput): CasePlace {
  const division = input.divisionCode;
  const townshipCode = input.townshipCode ?? (division !== null && division.length === 9 ? division : null);
  const countyCode = input.countyCode ?? (division !== null && division.length >= 6 ? division.slice(0, 6) : null);
  return { countyCode, townshipCode };
}

/** Marks a rule that failed two or more conditions: neither a match nor a near miss. */
const FAILED_SEVERAL = Symbol('failed several');

/** The one failed check, `FAILED_SEVERAL`, or undefined when all held; allocation-free, as it runs per rule. */
function failedCheck(checks: readonly Check[], facts: CaseFacts): Check | typeof FAILED_SEVERAL | undefined {
  let failed: Check | undefined;
  for (const check of checks) {
    if (check.test(facts)) continue;
    if (failed !== undefined) return FAILED_SEVERAL;
    failed = check;
  }
  return failed;
}

/** The case's words a matching rule named (anyOf and allOf), for the suggestion's reader. */
function ruleWords(rule: RoutingRule, facts: CaseFacts): string[] {
  const named = new Set(normalizeKeywords([...(rule.conditions.keywords?.anyOf ?? []), ...(rule.conditions.keywords?.allOf ?? [])]) ?? []);
  return named.size === 0 ? [] : [...facts.keywords()].filter((word) => named.has(word));
}

function ruleLabel(rule: RoutingRule): string {
  return `rule "${rule.name}" (${rule.id}, priority ${rule.priority})`;
}

/**
 * Routes one case. Decision order: the first enabled rule (by priority, then id) whose every
 * condition holds and whose target has a unit; else the catalogue when confident, by its words
 * (unless its classifier is sure enough of another unit, or that the centre keeps such requests,
 * to overrule them) and then by that classifier of its typical wordings and labelled requests;
 * else the learned model when confident; else the manual queue with the top suggestions. Near
 * misses are the rules ranked before the decision that failed one thing.
 */
export function decide(compiled: CompiledRules, input: RoutingCaseInput, unitExists?: UnitExists, learned?: LearnedRouting): RoutingDecision {
  const facts = caseFacts(input, compiled.keywordIndex, compiled.segmenter);
  const place = casePlace(input);
  const nearMisses: NearMiss[] = [];
  const noteNearMiss = (rule: RoutingRule, failed: string): void => {
    if (nearMisses.length < NEAR_MISS_LIMIT) nearMisses.push({ ruleId: rule.id, ruleName: rule.name, failed: [failed] });
  };
  for (const { rule, checks } of compiled.rules) {
    const failed = failedCheck(checks, facts);
    if (failed === FAILED_SEVERAL) continue;
    if (failed !== undefined) {
      const anotherHeld = checks.some((check) => check.positive && check !== failed);
      if (anotherHeld) noteNearMiss(rule, failed.describe(facts, false));
      continue;
    }
    const target = resolveTarget(rule.target, place, compiled.cityCode, unitExists);
    if (target.unitCode === null) {
      noteNearMiss(rule, target.explanation);
      continue;
    }
    const matchedConditions = checks.map((check) => check.describe(facts, true));
    const because = matchedConditions.length > 0 ? matchedConditions.join('; ') : 'no conditions';
    const explanation = `${ruleLabel(rule)}: ${because} -> ${target.explanation}`;
    return {
      matched: { source: 'rule', ruleId: rule.id, ruleName: rule.name, unitCode: target.unitCode, explanation, matchedConditions },
      nearMisses,
      suggestions: [{ unitCode: target.unitCode, confidence: 1, basis: explanation, name: rule.name, words: ruleWords(rule, facts) }],
    };
  }
  const where = { place, cityCode: compiled.cityCode, unitExists };
  const words = compiled.catalogue ? catalogueStage(compiled.catalogue, findKeywords(facts.tokens(), compiled.catalogue.index, false), where) : undefined;
  const wordings = compiled.catalogue?.wordings;
  const wordsFound = (words?.candidates.length ?? 0) > 0;
  const wordingsStage = wordings ? classifierStage('wordings', wordings, facts.tokens(), where, wordsFound ? wordings.threshold : (wordings.thresholdAlone ?? wordings.threshold)) : undefined;
  const classifiers = [...(wordingsStage ? [wordingsStage] : []), ...(learned ? [classifierStage('model', learned, facts.tokens(), where)] : [])];
  const keeps = wordingsStage?.keeps;
  if (keeps && wordings?.overrules !== undefined && keeps.probability >= wordings.overrules) {
    const chosen = words?.confident ? words.candidates[0] : undefined;
    return { matched: null, kept: `${keeps.basis}${chosen ? overruledNote(chosen) : ''}`, nearMisses, suggestions: mergeSuggestions(undefined, words, classifiers) };
  }
  const overruled = overruling(words, wordingsStage, wordings?.overrules);
  const disputed = overruled ? undefined : dispute(words, wordingsStage, wordings?.disputes, where);
  if (disputed !== undefined) return { matched: null, disputed, nearMisses, suggestions: mergeSuggestions(undefined, words, classifiers) };
  const decided = overruled ?? [...(words ? [words] : []), ...classifiers].find((stage) => stage.confident)?.candidates[0];
  return { matched: decided ? asMatch(decided) : null, nearMisses, suggestions: mergeSuggestions(decided, words, classifiers) };
}

/**
 * The catalogue's classifier's candidate when the words chose another unit and it is sure enough
 * to overrule them: the words are often decided by an incidental word (the supermarket whose
 * cashiers are owed wages, the fraud call that named the medical insurance card), while the
 * classifier has read how such requests were dispatched.
 */
function overruling(words: StageOutcome | undefined, stage: StageOutcome | undefined, overrules: number | undefined): Candidate | undefined {
  const chosen = words?.confident ? words.candidates[0] : undefined;
  const best = stage?.candidates[0];
  if (!chosen || !best || overrules === undefined || best.unitCode === chosen.unitCode || best.confidence < overrules) return undefined;
  return { ...best, basis: `${best.basis}${overruledNote(chosen)}` };
}

/**
 * Why the case waits when the catalogue's words chose a unit that its classifier ranks below
 * `disputes` others: the words were likely decided by an incidental word, and the classifier, not
 * sure enough to overrule them, is no better a guide than the centre.
 */
function dispute(words: StageOutcome | undefined, stage: StageOutcome | undefined, disputes: number | undefined, where: Where): string | undefined {
  const chosen = words?.confident ? words.candidates[0] : undefined;
  if (!chosen || !stage || disputes === undefined) return undefined;
  const rank = unitRank(stage, chosen.unitCode, where);
  if (rank === null || rank < disputes) return undefined;
  return `catalogue matter "${chosen.name}" (${chosen.unitCode}) is ranked ${rank + 1} by the catalogue's typical wordings and labelled requests`;
}

/** What a basis adds when the classifier overruled the catalogue's words. */
function overruledNote(chosen: Candidate): string {
  return `; overrules catalogue matter "${chosen.name}" (${chosen.unitCode})`;
}

/** The candidate of the first stage sure enough to dispatch, as a match. */
function asMatch(best: Candidate): RoutingMatch {
  // The wordings are the catalogue's own data: a decision by them is the catalogue's.
  const source = best.ref.startsWith('model:') ? 'model' : 'catalogue';
  const explanation = `${best.basis} -> ${best.unitCode}`;
  return { source, ruleId: best.ref, ruleName: best.name, unitCode: best.unitCode, explanation, matchedConditions: [best.basis] };
}
