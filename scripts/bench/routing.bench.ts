import fs from 'node:fs';
import { createAddressResolver } from '../../routing-rules/address-resolver.js';
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
 * 1,000 rules made from the default rules' own vocabulary: each keeps a default rule's keywords
 * and target but narrows it to a county and a type, as a centre refining its defaults would.
 */
function thousandRules(defaults: readonly RoutingRule[], counties: readonly string[]): RoutingRule[] {
  const types: RoutingRule['conditions']['types'] = ['complaint', 'help', 'consultation', 'report', 'suggestion'];
  return Array.from({ length: 1000 }, (_, i) => {
    const base = defaults[i % defaults.length] as RoutingRule;
    return {
      ...base,
      id: `bench-${i}`,
      name: `${base.name} #${i}`,
      priority: 100 + (i % 700),
      conditions: { ...base.conditions, divisionPrefixes: [counties[i % counties.length] as string], types: [types[i % types.length] ?? 'complaint'] },
    };
  });
}

/** Times decisions over the routing table's cases with 1,000 rules plus the defaults. */
export function benchEngine(tableFile: string, rounds = 40): EngineResult {
  const gazetteer = loadLinyiGazetteer();
  const resolver = createAddressResolver(gazetteer);
  const defaults = loadDefaultRules();
  const rules = [...thousandRules(defaults, gazetteer.counties.map((c) => c.code)), ...defaults];
  const t0 = performance.now();
  const compiled = compileRules(rules);
  const compileMs = performance.now() - t0;
  const table = (JSON.parse(fs.readFileSync(tableFile, 'utf8')) as { cases: TableRow[] }).cases;
  const inputs: RoutingCaseInput[] = table.map((row) => {
    const place = resolver.resolveDivision(row.address ?? `${row.title ?? ''} ${row.content}`);
    return { ...row, urgency: 'normal', divisionCode: row.divisionCode ?? place.divisionCode, countyCode: place.countyCode, townshipCode: place.townshipCode };
  });
  for (const input of inputs) decide(compiled, input);
  const times: number[] = [];
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    for (const input of inputs) {
      const t = performance.now();
      decide(compiled, input);
      times.push(performance.now() - t);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { rules: rules.length, decisions: times.length, perSecond: times.length / seconds, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), compileMs };
}
