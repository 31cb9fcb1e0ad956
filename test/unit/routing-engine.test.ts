import { expect } from 'chai';
import type { RoutingRule, RoutingCaseInput, RuleConditions, RuleTarget } from '../../routing-rules/rule.js';
import { compileRules, decide, type RoutingDecision, type UnitExists } from '../../routing-rules/engine.js';
import { buildKeywordIndex, findKeywords } from '../../routing-rules/segmenter.js';

function buildRule(overrides: Partial<RoutingRule> & { id: string }): RoutingRule {
  return {
    name: `rule ${overrides.id}`,
    priority: 100,
    enabled: true,
    conditions: {},
    target: { kind: 'unit', unitCode: `unit-${overrides.id}` },
    ...overrides,
  };
}

function buildCase(overrides: Partial<RoutingCaseInput> = {}): RoutingCaseInput {
  return {
    type: 'complaint',
    channel: 'hotline',
    urgency: 'normal',
    content: '反映一个问题',
    divisionCode: '371325105',
    countyCode: '371325',
    townshipCode: '371325105',
    ...overrides,
  };
}

function route(rules: RoutingRule[], input: RoutingCaseInput, unitExists?: UnitExists): RoutingDecision {
  return decide(compileRules(rules), input, unitExists);
}

function unitFor(conditions: RuleConditions, input: RoutingCaseInput): string | null {
  return route([buildRule({ id: 'only', conditions })], input).matched?.unitCode ?? null;
}

type TerritorialTarget = Omit<Extract<RuleTarget, { kind: 'territorial' }>, 'kind'>;

function territorial(target: TerritorialTarget, input: RoutingCaseInput, unitExists?: UnitExists): string | null {
  const rules = [buildRule({ id: 't', target: { kind: 'territorial', ...target } })];
  return route(rules, input, unitExists).matched?.unitCode ?? null;
}

describe('routing engine: order', () => {
  it('when several rules match, then the highest priority wins', () => {
    const rules = [
      buildRule({ id: 'low', priority: 1 }),
      buildRule({ id: 'high', priority: 9 }),
      buildRule({ id: 'mid', priority: 5 }),
    ];
    expect(route(rules, buildCase()).matched?.ruleId).to.equal('high');
  });

  it('when matching rules tie on priority, then the smaller id wins, whatever the array order', () => {
    const rules = [buildRule({ id: 'b' }), buildRule({ id: 'a' }), buildRule({ id: 'c' })];
    expect(route(rules, buildCase()).matched?.ruleId).to.equal('a');
    expect(route([...rules].reverse(), buildCase()).matched?.ruleId).to.equal('a');
  });

  it('when a rule is disabled, then it is ignored even at the top', () => {
    const rules = [buildRule({ id: 'off', priority: 99, enabled: false }), buildRule({ id: 'on', priority: 1 })];
    const decision = route(rules, buildCase());
    expect(decision.matched?.ruleId).to.equal('on');
    expect(decision.nearMisses.map((m) => m.ruleId)).not.to.include('off');
  });

  it('when two rules share an id, then compiling refuses the set', () => {
    expect(() => compileRules([buildRule({ id: 'x' }), buildRule({ id: 'x' })])).to.throw(/used twice/);
  });

  it('when no rule matches, then the decision is null (the manual-dispatch queue)', () => {
    const rules = [buildRule({ id: 'petition', conditions: { types: ['petition'] } })];
    expect(route(rules, buildCase()).matched).to.equal(null);
    expect(route([], buildCase()).matched).to.equal(null);
  });
});

describe('routing engine: conditions', () => {
  it('when a division prefix is a county, then its townships match and other counties do not', () => {
    const conditions = { divisionPrefixes: ['371325'] };
    expect(unitFor(conditions, buildCase())).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ divisionCode: '371325', townshipCode: null }))).to.equal('unit-only');
    const lanshan = buildCase({ divisionCode: '371302001', countyCode: '371302', townshipCode: '371302001' });
    expect(unitFor(conditions, lanshan)).to.equal(null);
    expect(unitFor(conditions, buildCase({ divisionCode: null, countyCode: null, townshipCode: null }))).to.equal(null);
  });

  it('when a division prefix is a township, then only that township matches', () => {
    const conditions = { divisionPrefixes: ['371325105', '371325106'] };
    expect(unitFor(conditions, buildCase())).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ divisionCode: '371325107', townshipCode: '371325107' }))).to.equal(null);
    expect(unitFor(conditions, buildCase({ divisionCode: '371325', townshipCode: null }))).to.equal(null);
  });

  it('when type, category, channel or urgency is required, then only cases with a listed value match', () => {
    expect(unitFor({ types: ['petition', 'report'] }, buildCase({ type: 'report' }))).to.equal('unit-only');
    expect(unitFor({ types: ['petition', 'report'] }, buildCase({ type: 'complaint' }))).to.equal(null);
    expect(unitFor({ categories: ['城市管理'] }, buildCase({ category: '城市管理' }))).to.equal('unit-only');
    expect(unitFor({ categories: ['城市管理'] }, buildCase({ category: '教育' }))).to.equal(null);
    expect(unitFor({ categories: ['城市管理'] }, buildCase())).to.equal(null);
    expect(unitFor({ channels: ['microblog', 'wechat'] }, buildCase({ channel: 'wechat' }))).to.equal('unit-only');
    expect(unitFor({ channels: ['microblog', 'wechat'] }, buildCase({ channel: 'hotline' }))).to.equal(null);
    expect(unitFor({ urgencies: ['urgent', 'emergency'] }, buildCase({ urgency: 'emergency' }))).to.equal('unit-only');
    expect(unitFor({ urgencies: ['urgent', 'emergency'] }, buildCase({ urgency: 'normal' }))).to.equal(null);
  });

  it('when anyOf lists keywords, then one of them as a word of the title or content is enough', () => {
    const conditions = { keywords: { anyOf: ['公积金', '出租车'] } };
    expect(unitFor(conditions, buildCase({ content: '想咨询一下住房公积金怎么提取' }))).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ title: '出租车拒载', content: '司机态度很差' }))).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ content: '小区门口的路灯坏了' }))).to.equal(null);
  });

  it('when allOf lists keywords, then every one must be present', () => {
    const conditions = { keywords: { allOf: ['路灯', '学校'] } };
    expect(unitFor(conditions, buildCase({ content: '学校门口的路灯不亮' }))).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ content: '村东头的路灯不亮' }))).to.equal(null);
  });

  it('when noneOf lists keywords, then any of them present rejects the case', () => {
    const conditions = { keywords: { anyOf: ['垃圾'], noneOf: ['垃圾短信'] } };
    expect(unitFor(conditions, buildCase({ content: '楼下垃圾三天没人清运' }))).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ content: '每天都收到垃圾短信' }))).to.equal(null);
  });

  it('when a keyword is only a substring across word boundaries, then it does not match (路灯 in 马路灯光)', () => {
    const conditions = { keywords: { anyOf: ['路灯'] } };
    expect(unitFor(conditions, buildCase({ content: '村东路灯不亮' }))).to.equal('unit-only');
    expect(unitFor(conditions, buildCase({ content: '马路灯光太刺眼' }))).to.equal(null);
  });

  it('when keywords differ in width or case, then they still match (ＥＴＣ, etc)', () => {
    expect(unitFor({ keywords: { anyOf: ['ETC'] } }, buildCase({ content: '高速ｅｔｃ扣费两次' }))).to.equal('unit-only');
  });

  it('when jieba splits a keyword into several tokens, then the token run still matches it', () => {
    const index = buildKeywordIndex(['公积金', '路灯']);
    expect([...findKeywords(['住房', '公积', '金', '提取'], index)]).to.deep.equal(['公积金']);
    expect([...findKeywords(['马路', '灯光'], index)]).to.deep.equal([]);
  });

  it('when a keyword lies inside a longer word another rule taught jieba, then it still matches', () => {
    const rules = [
      buildRule({ id: 'long', priority: 2, conditions: { keywords: { allOf: ['住房公积金', '贷款'] } } }),
      buildRule({ id: 'short', priority: 1, conditions: { keywords: { anyOf: ['公积金'] } } }),
    ];
    expect(route(rules, buildCase({ content: '住房公积金怎么提取' })).matched?.ruleId).to.equal('short');
    expect([...findKeywords(['住房公积金'], buildKeywordIndex(['公积金', '住房']))]).to.have.members(['公积金', '住房']);
  });

  it('when a condition list is empty, then it is no condition at all', () => {
    expect(unitFor({ types: [], keywords: { anyOf: [] } }, buildCase())).to.equal('unit-only');
  });
});

describe('routing engine: targets', () => {
  const city = { divisionCode: null, countyCode: null, townshipCode: null };
  const countyOnly = { divisionCode: '371325', countyCode: '371325', townshipCode: null };

  it('when the target is territorial, then it falls back township -> county -> city', () => {
    expect(territorial({}, buildCase())).to.equal('371325105');
    expect(territorial({}, buildCase(countyOnly))).to.equal('371325');
    expect(territorial({}, buildCase(city))).to.equal('3713');
  });

  it('when the territorial level is county, then the township is skipped', () => {
    expect(territorial({ level: 'county' }, buildCase())).to.equal('371325');
  });

  it('when only divisionCode is given, then county and township are derived from it', () => {
    const input = buildCase({ divisionCode: '371302001', countyCode: undefined, townshipCode: undefined });
    expect(territorial({}, input)).to.equal('371302001');
    expect(territorial({ departmentSlug: 'renshe' }, input)).to.equal('371302-renshe');
  });

  it("when a departmentSlug is set, then the target is the county's department, or the city's without a county", () => {
    expect(territorial({ departmentSlug: 'petitions' }, buildCase())).to.equal('371325-petitions');
    expect(territorial({ departmentSlug: 'petitions' }, buildCase(city))).to.equal('3713-petitions');
  });

  it('when a territorial unit does not exist, then the next level up is taken', () => {
    const exists = (code: string): boolean => code !== '371325105' && code !== '371325-gongjijin';
    expect(territorial({}, buildCase(), exists)).to.equal('371325');
    expect(territorial({ departmentSlug: 'gongjijin' }, buildCase(), exists)).to.equal('3713-gongjijin');
  });

  it('when no unit of a rule exists, then the rule is passed over and shows as a near miss', () => {
    const rules = [
      buildRule({ id: 'ghost', priority: 9, target: { kind: 'unit', unitCode: 'nowhere' } }),
      buildRule({ id: 'real', priority: 1 }),
    ];
    const decision = route(rules, buildCase(), (code) => code !== 'nowhere');
    expect(decision.matched?.ruleId).to.equal('real');
    expect(decision.nearMisses).to.deep.equal([{ ruleId: 'ghost', ruleName: 'rule ghost', failed: ['unit nowhere does not exist'] }]);
  });
});

describe('routing engine: explanations', () => {
  it('when a rule matches, then the explanation names the rule, each condition that held and the unit', () => {
    const rule = buildRule({
      id: 'street',
      name: '路灯 -> 属地',
      priority: 300,
      conditions: { divisionPrefixes: ['3713'], types: ['complaint'], keywords: { anyOf: ['路灯'] } },
      target: { kind: 'territorial' },
    });
    const { matched } = route([rule], buildCase({ content: '村东路灯不亮' }));
    expect(matched?.matchedConditions).to.deep.equal(['type complaint', 'division 371325105 within 3713', 'keyword 路灯']);
    expect(matched?.explanation).to.equal(
      'rule "路灯 -> 属地" (street, priority 300): type complaint; division 371325105 within 3713; keyword 路灯 -> territorial township 371325105',
    );
  });

  it('when a rule fails exactly one condition while another held, then it is a near miss with the reason', () => {
    const rules = [
      buildRule({ id: 'street', priority: 9, conditions: { divisionPrefixes: ['3713'], keywords: { anyOf: ['路灯'] } } }),
      buildRule({ id: 'two-off', priority: 8, conditions: { types: ['petition'], keywords: { anyOf: ['公积金'] } } }),
      buildRule({ id: 'lone', priority: 7, conditions: { types: ['petition'] } }),
    ];
    const decision = route(rules, buildCase({ content: '路灯坏了', divisionCode: null, countyCode: null, townshipCode: null }));
    expect(decision.matched).to.equal(null);
    expect(decision.nearMisses).to.deep.equal([
      { ruleId: 'street', ruleName: 'rule street', failed: ['no division known (rule wants 3713)'] },
    ]);
  });

  it('when a rule matches, then only rules ranked before it are near misses', () => {
    const rules = [
      buildRule({ id: 'above', priority: 9, conditions: { types: ['complaint'], channels: ['wechat'] } }),
      buildRule({ id: 'winner', priority: 5 }),
      buildRule({ id: 'below', priority: 1, conditions: { types: ['complaint'], channels: ['wechat'] } }),
    ];
    const decision = route(rules, buildCase());
    expect(decision.matched?.ruleId).to.equal('winner');
    expect(decision.nearMisses).to.deep.equal([
      { ruleId: 'above', ruleName: 'rule above', failed: ['channel hotline not in wechat'] },
    ]);
  });
});
