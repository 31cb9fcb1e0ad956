import { expect } from 'chai';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS } from '../../models/cases/case.js';
import { DEPARTMENTS } from '../../models/org/seed/departments.js';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import { compileRules, decide } from '../../routing-rules/engine.js';
import { parseRoutingRule, type RoutingRule } from '../../routing-rules/rule.js';

const byId = (rules: readonly RoutingRule[], id: string): RoutingRule => {
  const rule = rules.find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no default rule ${id}`);
  return rule;
};

describe('default routing rules', () => {
  const rules = loadDefaultRules();
  const compiled = compileRules(rules);

  it('when loaded, then every family file parses and every department target is a known slug', () => {
    expect(rules.map((r) => r.id)).to.include.members(['disclosure-office', 'petitions-office', 'hotline-service']);
    const slugs = new Map(DEPARTMENTS.map((d) => [d.slug, d]));
    for (const { id, target } of rules) {
      if (target.kind === 'unit') {
        expect(slugs.has(target.unitCode.replace(/^3713-/, '')), id).to.equal(true);
      } else if (target.departmentSlug !== undefined) {
        expect(slugs.get(target.departmentSlug)?.county, id).to.equal(true);
      }
    }
  });

  it('when ranked, then disclosure comes before petition, and petition before praise of the hotline', () => {
    const disclosure = byId(rules, 'disclosure-office').priority;
    const petition = byId(rules, 'petitions-office').priority;
    expect(disclosure).to.be.above(petition);
    expect(petition).to.be.above(byId(rules, 'hotline-service').priority);
  });

  it('when any disclosure request comes in, then it reaches a disclosure office, never the petitions office (property)', () => {
    const words = ['信访', '上访', '公积金', '路灯', '拆迁', '危房', '低保', '申请公开'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...words), { maxLength: 6 }),
        fc.constantFrom(null, '371325', '371325105', '371371001'),
        fc.constantFrom(...CHANNELS),
        (parts, divisionCode, channel) => {
          const input = { type: 'disclosure' as const, channel, urgency: 'normal' as const, content: parts.join('，'), divisionCode };
          const unit = decide(compiled, input).matched?.unitCode;
          expect(unit).to.match(/-disclosure$/);
          expect(unit).to.equal(divisionCode === null ? '3713-disclosure' : `${divisionCode.slice(0, 6)}-disclosure`);
        },
      ),
    );
  });

  it('when any petition comes in, then it reaches the petitions office of its county, or the city without one (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('公积金提取', '路灯不亮', '征地补偿'),
        fc.constantFrom(null, '371302', '371329001'),
        (content, divisionCode) => {
          const input = { type: 'petition' as const, channel: 'letter' as const, urgency: 'normal' as const, content, divisionCode };
          const expected = divisionCode === null ? '3713-petitions' : `${divisionCode.slice(0, 6)}-petitions`;
          expect(decide(compiled, input).matched?.unitCode).to.equal(expected);
        },
      ),
    );
  });
});

describe('routing rule files', () => {
  const valid = {
    id: 'x',
    name: 'x',
    priority: 1,
    enabled: true,
    conditions: { types: ['complaint'] },
    target: { kind: 'territorial', departmentSlug: 'renshe' },
  };

  it('when a rule is well formed, then it parses to the same value', () => {
    expect(parseRoutingRule(valid)).to.deep.equal(valid);
  });

  it('when a rule has a bad field, then parsing names it', () => {
    expect(() => parseRoutingRule({ ...valid, conditions: { types: ['gossip'] } })).to.throw(/types\[0\]: unknown value "gossip"/);
    expect(() => parseRoutingRule({ ...valid, target: { kind: 'nowhere' } })).to.throw(/target\.kind/);
    expect(() => parseRoutingRule({ ...valid, priority: '1' })).to.throw(/priority/);
    expect(() => parseRoutingRule({ ...valid, conditions: { keywords: { anyOf: 'x' } } })).to.throw(/keywords\.anyOf/);
  });

  it('when two family files use the same rule id, then loading refuses them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    try {
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ rules: [valid] }));
      writeFileSync(join(dir, 'b.json'), JSON.stringify({ rules: [valid] }));
      expect(() => loadDefaultRules(dir)).to.throw(/appears twice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
