import { expect } from 'chai';
import { actorName, auditQuery, subjectName } from '../../web/console/src/logic/admin/audit.js';
import { parseYearSchedule } from '../../web/console/src/logic/admin/calendar-upload.js';
import { dayKind, holidaySummary, monthGrid, type ExceptionalDay } from '../../web/console/src/logic/admin/calendar-grid.js';
import { buildUnitTree, unitMatches } from '../../web/console/src/logic/admin/org-tree.js';
import { byScope, describeExtension, policiesBody, type Policy } from '../../web/console/src/logic/admin/policies.js';
import { diffRules, summariseConditions, type RuleData } from '../../web/console/src/logic/admin/rule-diff.js';
import { emptyRuleForm, formToBody, ruleFieldErrors, ruleToForm, splitList } from '../../web/console/src/logic/admin/rule-form.js';

const names: Record<string, string> = { '371325105': '探沂镇', '3713-zhujian': '市住建委' };
const unitName = (code: string): string => names[code] ?? code;

const HEATING: RuleData = {
  id: 'city-heating',
  name: '供暖投诉',
  priority: 100,
  enabled: true,
  conditions: { types: ['complaint', 'suggestion'], keywords: { anyOf: ['供暖', '暖气'] } },
  target: { kind: 'unit', unitCode: '3713-zhujian' },
};

describe('staff console administration logic (web/console/src/logic/admin)', () => {
  describe('the diff of a rule revision', () => {
    it('when a list gains and loses items, then the field shows before, after and the items added and removed; unchanged fields are left out', () => {
      const after: RuleData = { ...HEATING, priority: 120, conditions: { types: ['complaint', 'help'], keywords: { anyOf: ['供暖', '暖气'] } } };
      const changes = diffRules(HEATING, after, unitName);
      expect(changes.map((c) => c.label)).to.deep.equal(['优先级', '诉求类型']);
      expect(changes[0]).to.deep.include({ before: '100', after: '120', added: [], removed: [] });
      expect(changes[1]).to.deep.include({ before: '投诉、建议', after: '投诉、求助', added: ['求助'], removed: ['建议'] });
    });

    it('when a rule is created or deleted, then every field it has shows against （无）, without items added or removed', () => {
      const created = diffRules(null, HEATING, unitName);
      expect(created.find((c) => c.label === '派往')).to.deep.include({ before: '（无）', after: '固定单位：市住建委' });
      expect(created.map((c) => c.label)).to.not.include('类别');
      const deleted = diffRules(HEATING, null, unitName);
      expect(deleted.find((c) => c.label === '包含任一关键词')).to.deep.include({ before: '供暖、暖气', after: '（无）', added: [], removed: [] });
    });

    it('when a rule is disabled or sent to the territory, then the state and the target read in words', () => {
      const changes = diffRules(HEATING, { ...HEATING, enabled: false, target: { kind: 'territorial', level: 'county', departmentSlug: 'zhujian' } }, unitName);
      expect(changes.find((c) => c.label === '状态')).to.deep.include({ before: '启用', after: '停用' });
      expect(changes.find((c) => c.label === '派往')?.after).to.equal('属地：县区的住建委');
    });

    it('when a rule has conditions, then they read in one line; without any, 不限', () => {
      expect(summariseConditions(HEATING, unitName)).to.equal('诉求类型：投诉、建议；包含任一关键词：供暖、暖气');
      expect(summariseConditions({ ...HEATING, conditions: {} }, unitName)).to.equal('不限（所有诉求）');
    });
  });

  describe('the rule editor', () => {
    it('when a rule goes into the form and back, then the body equals the rule, and empty conditions are left out', () => {
      const { id, ...body } = formToBody(ruleToForm(HEATING));
      expect(id).to.equal(HEATING.id);
      expect(body).to.deep.equal({ name: HEATING.name, priority: 100, enabled: true, conditions: HEATING.conditions, target: HEATING.target });
      expect(formToBody({ ...emptyRuleForm(), name: ' 新规则 ', targetKind: 'territorial', level: 'county' })).to.deep.include({ name: '新规则', conditions: {}, target: { kind: 'territorial', level: 'county' } });
    });

    it('when a list is typed with spaces, commas or 、, then it splits into items without repeats', () => {
      expect(splitList(' 供暖，暖气、 供暖 ,气温')).to.deep.equal(['供暖', '暖气', '气温']);
    });

    it('when the API answers 400, then each detail is told in words beside its field', () => {
      const errors = ruleFieldErrors([
        { path: 'body.name', message: '"name" is not allowed to be empty', type: 'string.empty' },
        { path: 'body.conditions.divisionPrefixes.0', message: '"[0]" fails', type: 'string.pattern.name' },
        { path: 'body.target.unitCode', message: 'no unit has the code "9999"' },
        { path: 'body.priority', message: 'odd', type: 'number.max' },
      ]);
      expect(errors).to.deep.equal({ name: '不能为空', divisionPrefixes: '格式不正确（每项为 4 到 9 位数字的区划编码前缀）', unitCode: '没有这个编码的单位', priority: '数值过大' });
    });
  });

  describe('the calendar grid', () => {
    const days: ExceptionalDay[] = [
      { date: '2026-02-14', kind: 'workday', source: 'national', name: '春节' },
      { date: '2026-02-16', kind: 'holiday', source: 'national', name: '春节' },
      { date: '2026-02-17', kind: 'holiday', source: 'national', name: '春节' },
      { date: '2026-02-25', kind: 'holiday', source: 'override', name: null, note: '暴雪停工' },
    ];

    it('when February 2026 is drawn, then it starts on a Sunday in the first week (Monday first) and has 28 days in whole weeks', () => {
      const weeks = monthGrid(2026, 2, days);
      expect(weeks[0]?.slice(0, 6)).to.deep.equal([null, null, null, null, null, null]);
      expect(weeks[0]?.[6]?.date).to.equal('2026-02-01');
      expect(weeks.flat().filter(Boolean)).to.have.length(28);
      expect(weeks.every((w) => w.length === 7)).to.equal(true);
    });

    it('when a weekend day is worked, then it is 调休 (adjusted); a holiday is a holiday on any day; other days by the week', () => {
      const cells = new Map(monthGrid(2026, 2, days).flat().filter((c) => c !== null).map((c) => [c.date, c]));
      expect(cells.get('2026-02-14')?.kind).to.equal('adjusted');
      expect(cells.get('2026-02-16')?.kind).to.equal('holiday');
      expect(cells.get('2026-02-15')?.kind).to.equal('weekend');
      expect(cells.get('2026-02-18')?.kind).to.equal('workday');
      expect(cells.get('2026-02-25')?.exception?.note).to.equal('暴雪停工');
      expect(dayKind('2026-03-04', { date: '2026-03-04', kind: 'workday', source: 'override', name: null })).to.equal('workday');
    });

    it('when the year is listed, then days group by festival, an unnamed override by its note', () => {
      expect(holidaySummary(days)).to.deep.equal([
        { name: '春节', off: ['2026-02-16', '2026-02-17'], worked: ['2026-02-14'] },
        { name: '暴雪停工', off: ['2026-02-25'], worked: [] },
      ]);
    });
  });

  describe('the whole-year schedule upload', () => {
    it('when the file is the API\'s body or a bare list of days, then the days are read, with their notes', () => {
      const days = [{ date: '2027-02-06', kind: 'holiday', note: '春节' }, { date: '2027-02-14', kind: 'workday' }];
      expect(parseYearSchedule(JSON.stringify({ year: 2027, overrides: days }), 2027)).to.deep.equal({ ok: true, days });
      expect(parseYearSchedule(JSON.stringify(days), 2027)).to.deep.equal({ ok: true, days });
    });

    it('when the file is not JSON, is of another year, or its days are wrong, then each problem is said in words with its item', () => {
      const broken = parseYearSchedule('{"overrides": [', 2027);
      expect(broken.ok).to.equal(false);
      expect(!broken.ok && broken.errors[0]).to.match(/^不是有效的 JSON/);
      expect(parseYearSchedule('{"year": 2026, "overrides": []}', 2027)).to.deep.equal({ ok: false, errors: ['文件是 2026 年的安排，当前选择的是 2027 年'] });
      expect(parseYearSchedule('{"days": []}', 2027)).to.deep.equal({ ok: false, errors: ['内容应为 {"overrides": [...]} 或由日期组成的数组'] });
      const wrong = parseYearSchedule(JSON.stringify([{ date: '2027-02-30', kind: 'holiday' }, { date: '2026-10-01', kind: 'off' }, { date: '2027-05-01', kind: 'holiday' }, { date: '2027-05-01', kind: 'holiday' }]), 2027);
      expect(wrong).to.deep.equal({
        ok: false,
        errors: ['第 1 项：日期须为 YYYY-MM-DD 格式的真实日期', '第 2 项：2026-10-01 不在 2027 年内', '第 2 项：kind 须为 "holiday"（休息）或 "workday"（上班）', '第 4 项：2027-05-01 重复出现'],
      });
    });
  });

  describe('the organisation tree', () => {
    it('when units are listed by path, then each hangs under its parent, and one whose parent is missing becomes a root', () => {
      const tree = buildUnitTree([
        { code: '3713', name: '临沂市', kind: 'city', parentCode: null },
        { code: '371325', name: '费县', kind: 'county', parentCode: '3713' },
        { code: '371325105', name: '探沂镇', kind: 'township', parentCode: '371325' },
        { code: '371399001', name: '孤儿', kind: 'township', parentCode: '371399' },
      ]);
      expect(tree.map((n) => n.code)).to.deep.equal(['3713', '371399001']);
      expect(tree[0]?.children[0]?.children[0]?.name).to.equal('探沂镇');
      expect(unitMatches({ code: '371325105', name: '探沂镇', kind: 'township', parentCode: '371325' }, '3713251')).to.equal(true);
      expect(unitMatches({ code: '371325105', name: '探沂镇', kind: 'township', parentCode: '371325' }, '费县')).to.equal(false);
    });
  });

  describe('policies and the audit filters', () => {
    const policy = (caseType: string, urgency: string, extension?: Policy['extension']): Policy => ({ id: `${caseType}-${urgency}`, caseType, urgency, accept: { unit: 'working_days', amount: 1 }, reply: { unit: 'days', amount: 60 }, warnAt: 0.8, version: 3, ...(extension ? { extension } : {}) });

    it('when policies are listed, then the most specific come first and the fallback last; the set is sent without versions', () => {
      const sorted = [policy('*', '*'), policy('*', 'urgent'), policy('petition', '*'), policy('complaint', 'normal')].sort(byScope);
      expect(sorted.map((p) => p.id)).to.deep.equal(['complaint-normal', 'petition-*', '*-urgent', '*-*']);
      expect(policiesBody([policy('*', '*')]).policies[0]).to.not.have.property('version');
      expect(describeExtension(policy('petition', '*', { maxCount: 1, maxTotal: { unit: 'days', amount: 30 } }))).to.equal('最多1次，合计不超过30天');
    });

    it('when dates are chosen, then the query covers whole days in Linyi time, the end day included; empty filters are left out', () => {
      const q = auditQuery({ actor: ' admin ', action: '', subjectType: 'user', subjectId: '', from: '2026-11-01', to: '2026-11-30' }, 50, 100);
      expect(q).to.deep.equal({ actor: 'admin', action: undefined, subjectType: 'user', subjectId: undefined, from: '2026-11-01T00:00:00+08:00', to: '2026-12-01T00:00:00+08:00', limit: 50, offset: 100 });
      expect(actorName({ actorUsername: null, actorRole: 'citizen' })).to.equal('市民');
      const entry = { source: 'audit_log', id: 1, at: '', actorId: null, actorRole: null, actorUsername: 'admin', action: 'update', subjectType: 'user', subjectId: 'c4cfe08e', detail: { before: { username: 'zhang' }, after: { username: 'zhang', disabled: true } } } as const;
      expect(subjectName(entry)).to.equal('zhang');
      expect(subjectName({ ...entry, subjectType: 'case', detail: {} })).to.equal('c4cfe08e');
    });
  });
});
