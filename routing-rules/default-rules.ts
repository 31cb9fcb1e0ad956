import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRoutingRule, type RoutingRule } from './rule.js';

/** Where the default rule families live: one JSON file each, `{ about, rules: [...] }`. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('./defaults/', import.meta.url));

function readFamily(file: string): RoutingRule[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const rules = typeof parsed === 'object' && parsed !== null ? (parsed as { rules?: unknown }).rules : undefined;
  if (!Array.isArray(rules)) throw new Error(`${file}: expected { "rules": [...] }`);
  return rules.map((rule, i) => parseRoutingRule(rule, `${file} rules[${i}]`));
}

/** Linyi's default rule set (read once at first start, then the database holds the rules). */
export function loadDefaultRules(dir: string = DEFAULT_RULES_DIR): RoutingRule[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const rules = files.flatMap((name) => readFamily(join(dir, name)));
  const ids = new Set<string>();
  for (const { id } of rules) {
    if (ids.has(id)) throw new Error(`default routing rule id "${id}" appears twice in ${dir}`);
    ids.add(id);
  }
  return rules;
}
