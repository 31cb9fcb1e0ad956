import type { Queryable } from '../../infra/db.js';
import type { CompiledCatalogue } from '../../routing-rules/catalogue.js';
import { compileRules, decide, type CompiledRules, type LearnedRouting, type RoutingDecision, type UnitExists } from '../../routing-rules/engine.js';
import type { RoutingCaseInput } from '../../routing-rules/rule.js';
import { listRules, ruleOf, ruleSetVersion } from './routing-rule.repository.js';

/** The compiled rules this process routes with, and how to catch up with the database. */
export interface RuleSet {
  decide(input: RoutingCaseInput): RoutingDecision & { readonly rulesVersion: number };
  readonly version: number;
  /** Segments text as the rules in force do (the learned model sees the tokens decisions see). */
  tokenize(text: string): string[];
  /** Reloads when the database holds a newer rule set; resolves true when it did. */
  refresh(): Promise<boolean>;
}

/** What routes a case after the stored rules: the dispatch catalogue, then the learned model. */
export interface RoutingAfterRules {
  readonly catalogue?: CompiledCatalogue;
  readonly learned?: LearnedRouting;
}

/** Loads and compiles the stored rules; compiling happens once per rule-set version, not per case. */
export async function loadRuleSet(db: Queryable, unitExists: UnitExists, after: RoutingAfterRules = {}): Promise<RuleSet> {
  let compiled: CompiledRules;
  let version = -1;
  let pending: Promise<boolean> | undefined;

  const reload = async (): Promise<boolean> => {
    const latest = await ruleSetVersion(db);
    if (latest === version) return false;
    const rules = (await listRules(db)).map(ruleOf);
    compiled = compileRules(rules, after.catalogue ? { catalogue: after.catalogue } : {});
    version = latest;
    return true;
  };
  await reload();

  return {
    decide: (input) => ({ ...decide(compiled, input, unitExists, after.learned), rulesVersion: version }),
    get version() {
      return version;
    },
    tokenize: (text) => compiled.segmenter.tokenize(text),
    // Each refresh runs after the one in flight: that one may have read the version before the
    // change that triggered this call committed.
    refresh: () => {
      const next: Promise<boolean> = (pending ?? Promise.resolve(false)).then(reload, reload);
      pending = next;
      void next.finally(() => {
        if (pending === next) pending = undefined;
      }).catch(() => undefined);
      return next;
    },
  };
}
