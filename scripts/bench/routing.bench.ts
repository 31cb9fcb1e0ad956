import fs from 'node:fs';
import { createAddressResolver } from '../../routing-rules/address-resolver.js';
import type { Matter } from '../../routing-rules/catalogue.js';
import { compileShippedCatalogue, loadCatalogue } from '../../routing-rules/catalogue-files.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide } from '../../routing-rules/engine.js';
import { loadLinyiGazetteer } from '../../routing-rules/gazetteer.js';
import type { RoutingCaseInput, RoutingRule } from '../../routing-rules/rule.js';
import { percentile } from './system.js';

/** Decision speed of the rule engine on its own. */
export interface EngineResult {
  readonly rules: number;
  readonly decisions: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /**
   * Each input's median time over the rounds, then the 99th percentile over the inputs: on a
   * machine shared with other work the p99 of all decisions measures how often the process was
   * descheduled or collected garbage; this one how long the slowest kinds of case take.
   */
  readonly perInputMedianP99Ms: number;
  readonly compileMs: number;
}

interface TableRow {
  channel: RoutingCaseInput['channel'];
  type: RoutingCaseInput['type'];
  title?: string;
  content: string;
  address?: string;
  divisionCode?: string;
}

/**
 * 1,000 rules made from the catalogue's own vocabulary: each takes a matter's words and owner but
 * narrows it to a county and a type, as a centre writing its own rules on top would.
 */
function thousandRules(matters: readonly Matter[], counties: readonly string[]): RoutingRule[] {
  const types: RoutingRule['conditions']['types'] = ['complaint', 'help', 'consultation', 'report', 'suggestion'];
  return Array.from({ length: 1000 }, (_, i) => {
    const matter = matters[i % matters.length] as Matter;
    return {
      id: `bench-${i}`,
      name: `${matter.name} #${i}`,
      priority: 100 + (i % 700),
      enabled: true,
      conditions: { keywords: { anyOf: matter.words.slice(0, 6) }, divisionPrefixes: [counties[i % counties.length] as string], types: [types[i % types.length] ?? 'complaint'] },
      target: matter.target,
    };
  });
}

/** Times decisions over the routing table's and the evaluation sets' cases with 1,000 rules, the defaults and the catalogue. */
export function benchEngine(tableFile: string, evalTexts: readonly string[] = [], rounds = 40): EngineResult {
  const gazetteer = loadLinyiGazetteer();
  const resolver = createAddressResolver(gazetteer);
  const matters = loadCatalogue();
  const rules = [...thousandRules(matters, gazetteer.counties.map((c) => c.code)), ...loadDefaultRules()];
  const t0 = performance.now();
  const compiled = compileRules(rules, { catalogue: compileShippedCatalogue(matters) });
  const compileMs = performance.now() - t0;
  const table: TableRow[] = [
    ...(JSON.parse(fs.readFileSync(tableFile, 'utf8')) as { cases: TableRow[] }).cases,
    ...evalTexts.map((content) => ({ channel: 'hotline' as const, type: 'complaint' as const, content })),
  ];
  const inputs: RoutingCaseInput[] = table.map((row) => {
    const place = resolver.resolveDivision(row.address ?? `${row.title ?? ''} ${row.content}`);
    return { ...row, urgency: 'normal', divisionCode: row.divisionCode ?? place.divisionCode, countyCode: place.countyCode, townshipCode: place.townshipCode };
  });
  for (const input of inputs) decide(compiled, input);
  const times: number[] = [];
  const perInput: number[][] = inputs.map(() => []);
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    inputs.forEach((input, i) => {
      const t = performance.now();
      decide(compiled, input);
      const took = performance.now() - t;
      times.push(took);
      perInput[i]?.push(took);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const medians = perInput.map((own) => percentile(own.sort((a, b) => a - b), 50)).sort((a, b) => a - b);
  return {
    rules: rules.length,
    decisions: times.length,
    perSecond: times.length / seconds,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    perInputMedianP99Ms: percentile(medians, 99),
    compileMs,
  };
}
