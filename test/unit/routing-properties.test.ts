import { expect } from 'chai';
import fc from 'fast-check';
import { CASE_TYPES, CHANNELS, URGENCIES } from '../../models/cases/case.js';
import { compileRules as compileWith, decide } from '../../routing-rules/engine.js';
import { segmenterFor } from '../../routing-rules/segmenter.js';
import type { RoutingCaseInput, RoutingRule, RuleTarget } from '../../routing-rules/rule.js';

// One segmenter knowing the whole vocabulary: these properties are about rule order, not segmentation.
const WORDS = ['公积金', '路灯', '出租车', '学校', '垃圾', '噪音', '食品', '社保', '收费', '物业'];
const SEGMENTER = segmenterFor(WORDS);
const compileRules = (rules: readonly RoutingRule[]) => compileWith(rules, { segmenter: SEGMENTER });
const FILLER = ['反映', '门口', '已经', '一个月', '，', '没人管', '希望', '尽快处理'];
const DIVISIONS = [null, '371325', '371325105', '371302', '371302001'];
const PREFIXES = ['3713', '371325', '371325105', '371302'];

const subset = <T>(values: readonly T[]) => fc.option(fc.subarray([...values], { minLength: 1 }), { nil: undefined });

const targetArb: fc.Arbitrary<RuleTarget> = fc.oneof(
  fc.constantFrom('3713-gongjijin', '3713-hotline').map((unitCode): RuleTarget => ({ kind: 'unit', unitCode })),
  fc.record({ kind: fc.constant('territorial' as const), level: fc.constantFrom('township' as const, 'county' as const) }),
  fc.record({ kind: fc.constant('territorial' as const), departmentSlug: fc.constantFrom('renshe', 'petitions') }),
);

const rulesArb: fc.Arbitrary<RoutingRule[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-e]{1,3}$/), { minLength: 0, maxLength: 12 })
  .chain((ids) =>
    fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          name: fc.constant(`rule ${id}`),
          // A narrow range, so that ties (broken by id) are common.
          priority: fc.integer({ min: 0, max: 3 }),
          enabled: fc.boolean(),
          conditions: fc.record(
            {
              divisionPrefixes: subset(PREFIXES),
              types: subset(CASE_TYPES),
              channels: subset(CHANNELS),
              urgencies: subset(URGENCIES),
              keywords: fc.record({ anyOf: subset(WORDS), allOf: subset(WORDS), noneOf: subset(WORDS) }, { requiredKeys: [] }),
            },
            { requiredKeys: [] },
          ),
          target: targetArb,
        }),
      ),
    ),
  );

const caseArb: fc.Arbitrary<RoutingCaseInput> = fc.record({
  type: fc.constantFrom(...CASE_TYPES),
  channel: fc.constantFrom(...CHANNELS),
  urgency: fc.constantFrom(...URGENCIES),
  content: fc.array(fc.constantFrom(...WORDS, ...FILLER), { maxLength: 8 }).map((parts) => parts.join('')),
  divisionCode: fc.constantFrom(...DIVISIONS),
});

describe('routing engine properties', () => {
  it('when the same rules come in any order, then the decision is the same', () => {
    const arb = rulesArb.chain((rules) =>
      fc.tuple(fc.constant(rules), fc.shuffledSubarray(rules, { minLength: rules.length, maxLength: rules.length })),
    );
    fc.assert(
      fc.property(arb, caseArb, ([rules, shuffled], input) => {
        expect(decide(compileRules(shuffled), input)).to.deep.equal(decide(compileRules(rules), input));
      }),
    );
  });

  it('when a case is decided twice, then both decisions are equal', () => {
    fc.assert(
      fc.property(rulesArb, caseArb, (rules, input) => {
        const compiled = compileRules(rules);
        expect(decide(compiled, input)).to.deep.equal(decide(compiled, input));
      }),
    );
  });

  it('when a rule wins, then it matches on its own and no enabled rule ranked before it would', () => {
    fc.assert(
      fc.property(rulesArb, caseArb, (rules, input) => {
        const { matched } = decide(compileRules(rules), input);
        const alone = (rule: RoutingRule) => decide(compileRules([rule]), input).matched;
        const ranked = rules
          .filter((rule) => rule.enabled)
          .sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : 1));
        const winnerAt = matched === null ? ranked.length : ranked.findIndex((rule) => rule.id === matched.ruleId);
        for (const rule of ranked.slice(0, winnerAt)) expect(alone(rule), rule.id).to.equal(null);
        const winner = ranked[winnerAt];
        if (matched !== null && winner !== undefined) expect(alone(winner)?.unitCode).to.equal(matched.unitCode);
      }),
    );
  });
});
