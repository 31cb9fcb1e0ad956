import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import { compileShippedCatalogue, loadCatalogue, readLabelledRequests, REQUESTS_DIR, requestFiles } from '../../routing-rules/catalogue-files.js';
import { labelOfUnit } from '../../routing-rules/classifier.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide, type CompiledRules } from '../../routing-rules/engine.js';
import { loadLinyiGazetteer } from '../../routing-rules/gazetteer.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';
import { CITY_CODE } from '../../models/org/seed/departments.js';
import { buildOrgTree } from '../../models/org/seed/org-tree.js';
import { withoutContactDetails } from '../../models/privacy/de-identify.js';

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

/** A fresh installation's engine, and which units exist. */
export interface Routing {
  readonly compiled: CompiledRules;
  readonly unitExists: (code: string) => boolean;
}

const routings = new Map<string, Routing>();

/**
 * The engine as a fresh installation routes: the default rules, then the catalogue (its words,
 * then the classifier of its typical wordings and labelled requests), with the labelled request
 * file `leftOut` not taught, so that the set can be judged. Compiled once each: teaching the
 * classifier takes most of a second.
 */
export function defaultRouting(leftOut?: string): Routing {
  const key = leftOut ?? '';
  let routing = routings.get(key);
  if (!routing) {
    const units = new Set(buildOrgTree().map((u) => u.code));
    const catalogue = compileShippedCatalogue(loadCatalogue(), requestFiles(REQUESTS_DIR, leftOut));
    routing = { compiled: compileRules(loadDefaultRules(), { catalogue }), unitExists: (code) => units.has(code) };
    routings.set(key, routing);
  }
  return routing;
}

/** Routes every case of a set as intake routes a hotline complaint and scores the outcome against its labels. */
export function evaluateSet(file: string, routing: Routing = defaultRouting()): EvalResult {
  const resolver = createAddressResolver(loadLinyiGazetteer());
  const { compiled, unitExists } = routing;
  const result = { file, cases: 0, acceptable: 0, autoDispatched: 0, misrouted: 0, manualWithGoodSuggestion: 0, manual: 0 };
  const bySource: Record<string, number> = {};
  const misroutes: string[] = [];
  for (const item of readLabelledRequests(file)) {
    const place = resolver.resolveDivision(item.text);
    // As intake routes: the place from the whole text, the decision on the text without contact details.
    const input: RoutingCaseInput = { type: 'complaint', channel: 'hotline', urgency: 'normal', content: withoutContactDetails(item.text), ...place };
    const decision = decide(compiled, input, unitExists);
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

/** How a second dispatcher's first choices fare by a set's labels. */
export interface DispatcherResult {
  readonly file: string;
  readonly cases: number;
  readonly acceptable: number;
  readonly misrouted: number;
  /** First choices to keep the case at the centre. */
  readonly kept: number;
}

/**
 * Judges a second dispatcher's labels of a set (`number|labels` a request, in the set's order, their
 * first choice first) by the set's own labels, as evaluateSet judges the routing: a person's yardstick.
 */
export function evaluateSecondDispatcher(setFile: string, labelsFile: string): DispatcherResult {
  const requests = readLabelledRequests(setFile);
  // Read as labelled requests are, a line's number in the place of labels and its labels in the place of text.
  const choices = readLabelledRequests(labelsFile).map((line) => ({ number: Number(line.accept.join(',')), labels: line.text.split(',') }));
  const numbers = choices.map((c) => c.number);
  if (choices.length !== requests.length || numbers.some((n, i) => n !== i + 1)) {
    throw new Error(`${labelsFile}: expected one line for each of the ${requests.length} requests of ${setFile}, numbered in order`);
  }
  const result = { file: labelsFile, cases: requests.length, acceptable: 0, misrouted: 0, kept: 0 };
  requests.forEach((request, i) => {
    const first = choices[i]?.labels[0] as string;
    if (first === 'manual') result.kept += 1;
    if (request.accept.includes(first)) result.acceptable += 1;
    else if (first !== 'manual') result.misrouted += 1;
  });
  return result;
}

/** The yardstick's line of `npm run bench`. */
export function formatDispatcher(r: DispatcherResult): string {
  return `  ${r.file}: ${r.cases} cases; first choice acceptable ${r.acceptable} (${pct(r.acceptable, r.cases)}), misrouted ${r.misrouted} (${pct(r.misrouted, r.cases)}), kept at the centre ${r.kept}`;
}
