import fs from 'node:fs';
import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import { compileShippedCatalogue } from '../../routing-rules/catalogue-files.js';
import { labelOfUnit, UnitClassifier } from '../../routing-rules/classifier.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide, type CompiledRules, type LearnedRouting } from '../../routing-rules/engine.js';
import { normalizeText } from '../../routing-rules/segmenter.js';
import { modelTokens } from '../../routing-rules/tokens.js';
import { DEFAULT_ROUTING_MODEL_OPTIONS } from '../../models/routing/routing-model.js';
import { loadLinyiGazetteer } from '../../routing-rules/gazetteer.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import { buildOrgTree } from '../../models/org/seed/org-tree.js';
import { withoutContactDetails } from '../../models/privacy/de-identify.js';

/** One labelled request of an evaluation set: the labels a centre would accept, and the text. */
export interface EvalCase {
  readonly line: number;
  readonly accept: readonly string[];
  readonly text: string;
}

/** How a set fared: every share is of all the set's cases. */
export interface EvalResult {
  readonly file: string;
  readonly label?: string;
  readonly cases: number;
  /** Dispatched to an acceptable unit, or left to the centre where that is acceptable. */
  readonly acceptable: number;
  readonly autoDispatched: number;
  readonly misrouted: number;
  /** Cases left to the centre whose first suggestion was acceptable. */
  readonly manualWithGoodSuggestion: number;
  readonly manual: number;
  readonly bySource: Readonly<Record<string, number>>;
  readonly misroutes: readonly string[];
}

/** Reads `labels|text` lines; '#' starts a comment. */
export function readEvalSet(file: string): EvalCase[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return [];
      const bar = line.indexOf('|');
      if (bar < 0) throw new Error(`${file}:${index + 1}: expected labels|text`);
      return [{ line: index + 1, accept: line.slice(0, bar).split(','), text: line.slice(bar + 1) }];
    });
}

let freshInstallation: { compiled: CompiledRules; unitExists: (code: string) => boolean } | undefined;

/**
 * The engine as a fresh installation routes: the default rules, then the catalogue (its words,
 * then its typical wordings). Compiled once: teaching the wordings takes most of a second, and
 * every set is routed with the same engine.
 */
export function defaultRouting(): { compiled: CompiledRules; unitExists: (code: string) => boolean } {
  if (!freshInstallation) {
    const units = new Set(buildOrgTree().map((u) => u.code));
    freshInstallation = { compiled: compileRules(loadDefaultRules(), { catalogue: compileShippedCatalogue() }), unitExists: (code) => units.has(code) };
  }
  return freshInstallation;
}

/**
 * A learned model taught sets as if the centre had dispatched each of their cases by hand to the
 * first unit its labels accept (cases the centre would leave waiting teach nothing), dispatching
 * on its own at `threshold` (ROUTING_MODEL_THRESHOLD; by default it only suggests).
 */
export function learnFromSets(files: readonly string[], threshold = DEFAULT_ROUTING_MODEL_OPTIONS.threshold): LearnedRouting {
  const { compiled } = defaultRouting();
  const classifier = new UnitClassifier();
  for (const item of files.flatMap((file) => readEvalSet(file))) {
    const label = item.accept.find((l) => l !== 'manual');
    if (label) classifier.add({ tokens: modelTokens(compiled.segmenter.tokenize(normalizeText(withoutContactDetails(item.text)))), label });
  }
  return { classifier, threshold, minExamples: DEFAULT_ROUTING_MODEL_OPTIONS.minExamples };
}

/** Routes every case of a set as intake routes a hotline complaint and scores the outcome against its labels. */
export function evaluateSet(file: string, learned?: LearnedRouting): EvalResult {
  const resolver = createAddressResolver(loadLinyiGazetteer());
  const { compiled, unitExists } = defaultRouting();
  const result = { file, cases: 0, acceptable: 0, autoDispatched: 0, misrouted: 0, manualWithGoodSuggestion: 0, manual: 0 };
  const bySource: Record<string, number> = {};
  const misroutes: string[] = [];
  for (const item of readEvalSet(file)) {
    const place = resolver.resolveDivision(item.text);
    // As intake routes: the place from the whole text, the decision on the text without contact details.
    const input: RoutingCaseInput = { type: 'complaint', channel: 'hotline', urgency: 'normal', content: withoutContactDetails(item.text), ...place };
    const decision = decide(compiled, input, unitExists, learned);
    const labelOf = (unitCode: string): string => labelOfUnit(unitCode, place, CITY_CODE);
    result.cases += 1;
    if (decision.matched) {
      result.autoDispatched += 1;
      bySource[decision.matched.source] = (bySource[decision.matched.source] ?? 0) + 1;
      const label = labelOf(decision.matched.unitCode);
      if (item.accept.includes(label)) result.acceptable += 1;
      else {
        result.misrouted += 1;
        misroutes.push(`line ${item.line}: ${label} (${decision.matched.ruleId}) not in ${item.accept.join(',')}: ${item.text}`);
      }
      continue;
    }
    result.manual += 1;
    if (item.accept.includes('manual')) result.acceptable += 1;
    const first = decision.suggestions[0];
    if (first && item.accept.includes(labelOf(first.unitCode))) result.manualWithGoodSuggestion += 1;
  }
  return { ...result, bySource, misroutes };
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(1)}%`;

/** The routing-quality lines of `npm run bench`. */
export function formatEvaluation(r: EvalResult): string {
  const sources = Object.entries(r.bySource).map(([source, n]) => `${source} ${n}`).join(', ');
  return [
    `  ${r.file}${r.label ? ` (${r.label})` : ''}: ${r.cases} cases`,
    `    acceptable unit or rightly manual: ${r.acceptable} (${pct(r.acceptable, r.cases)}; aim >= 90%)`,
    `    auto-dispatched: ${r.autoDispatched} (${pct(r.autoDispatched, r.cases)}; ${sources})`,
    `    misrouted: ${r.misrouted} (${pct(r.misrouted, r.cases)}; aim <= 3%)`,
    `    left to the centre: ${r.manual}, of which the first suggestion was acceptable: ${r.manualWithGoodSuggestion}`,
  ].join('\n');
}
