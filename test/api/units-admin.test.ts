import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaff, intakeBody, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

const [FEI, LANSHAN] = ['371325', '371302']; // 费县, 兰山区
// A word no other test writes: the rule engine teaches jieba every rule keyword.
const WORD = '袋獾';

async function auditOf(code: string): Promise<{ action: string; before: unknown; after: unknown }[]> {
  const { rows } = await harness().pool.query(`SELECT action, before, after FROM audit_log WHERE subject_type = 'unit' AND subject_id = $1 ORDER BY id`, [code]);
  return rows;
}

describe('editing the organisation tree (POST /api/units, PATCH /api/units/{code})', () => {
  let admin: Staff;
  let supervisor: Staff;
  const rules: string[] = [];
  const newCode = (): string => `${FEI}-t${crypto.randomBytes(3).toString('hex')}`;
  const create = (body: Record<string, unknown>, by?: Staff) => request('POST', '/api/units', { token: (by ?? admin).token, body });
  const change = (code: string, body: Record<string, unknown>, by?: Staff) => request('PATCH', `/api/units/${code}`, { token: (by ?? admin).token, body });
  const search = async (q: string, extra = ''): Promise<string[]> => (await request('GET', `/api/units?q=${encodeURIComponent(q)}${extra}`, { token: supervisor.token })).body.items.map((u: { code: string }) => u.code);

  before(async () => {
    admin = await createStaff('admin');
    supervisor = await createStaff('supervisor');
  });

  after(async () => {
    for (const id of rules) await request('DELETE', `/api/routing-rules/${id}`, { token: admin.token });
  });

  it('when an admin creates a unit, then it hangs under its parent, is found by its pinyin initials as the seeded units are, and the creation is audited', async () => {
    const code = newCode();
    const res = await create({ code, name: '费县城市更新服务中心', kind: 'department', parentCode: FEI });

    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.deep.equal({ code, name: '费县城市更新服务中心', shortName: '费县城市更新服务中心', kind: 'department', parentCode: FEI, disabled: false });
    expect(await search('fxcsgxfwzx')).to.deep.equal([code]);
    const { rows } = await harness().pool.query('SELECT path FROM units WHERE code = $1', [code]);
    expect(rows[0]?.path).to.equal(`3713/${FEI}/${code}/`);
    expect((await auditOf(code)).map((a) => a.action)).to.deep.equal(['create']);
  });

  it('when a unit is renamed and moved with a unit below it, then the names, pinyin and the subtree\'s paths follow, and each change is audited', async () => {
    const code = newCode();
    expect((await create({ code, name: '费县旧城改造办', kind: 'department', parentCode: FEI })).status).to.equal(201);
    const below = await create({ code: `${FEI}${crypto.randomInt(100_000, 1_000_000)}`, name: '改造办一组', kind: 'department', parentCode: code });
    expect(below.status, below.text).to.equal(201);

    const res = await change(code, { name: '兰山区旧城改造办', parentCode: LANSHAN });

    expect(res.status, res.text).to.equal(200);
    expect(res.body).to.include({ name: '兰山区旧城改造办', parentCode: LANSHAN });
    expect(await search('lsqjcgzb')).to.deep.equal([code]);
    expect(await search('fxjcgzb')).to.deep.equal([]);
    const { rows } = await harness().pool.query('SELECT code, path FROM units WHERE code = ANY($1) ORDER BY path', [[code, below.body.code]]);
    expect(rows.map((r) => r.path)).to.deep.equal([`3713/${LANSHAN}/${code}/`, `3713/${LANSHAN}/${code}/${below.body.code}/`]);
    expect((await auditOf(code)).map((a) => [a.action, a.after])).to.deep.equal([
      ['create', { code, name: '费县旧城改造办', shortName: '费县旧城改造办', kind: 'department', parentCode: FEI, disabled: false }],
      ['rename', { name: '兰山区旧城改造办', shortName: '兰山区旧城改造办' }],
      ['move', { parentCode: LANSHAN }],
    ]);

    const underItself = await change(code, { parentCode: below.body.code });
    expect(underItself.status).to.equal(400);
    expect(underItself.body.error.details[0].path).to.equal('body.parentCode');
  });

  it('when a unit is disabled, then pickers no longer offer it, the centre cannot dispatch to it, and a rule naming it is passed over with the reason to the manual queue', async () => {
    const code = newCode();
    expect((await create({ code, name: '费县袋獾管理站', kind: 'department', parentCode: FEI })).status).to.equal(201);
    const rule = { id: `test-units-${crypto.randomBytes(4).toString('hex')}`, name: '测试：袋獾', priority: 5000, enabled: true, conditions: { keywords: { anyOf: [WORD] } }, target: { kind: 'unit', unitCode: code } };
    const made = await request('POST', '/api/routing-rules', { token: admin.token, body: rule });
    expect(made.status, made.text).to.equal(201);
    rules.push(rule.id);
    const about = intakeBody({ title: '反映情况', content: `小区里出现${WORD}，希望有关部门处理 ${crypto.randomBytes(3).toString('hex')}`, address: '临沂市费县探沂镇朱田村' });
    const before = await request('POST', '/api/routing-rules/simulate', { token: admin.token, body: about });
    expect(before.body.routing.unitCode, before.text).to.equal(code);

    const disabled = await change(code, { disabled: true });

    expect(disabled.status, disabled.text).to.equal(200);
    expect(disabled.body.disabled).to.equal(true);
    expect(await search('fxdhglz')).to.deep.equal([]);
    expect(await search('fxdhglz', '&includeDisabled=true')).to.deep.equal([code]);
    const intake = await request('POST', '/api/cases', { token: (await createStaff('operator')).token, body: about });
    expect(intake.status, intake.text).to.equal(201);
    expect(intake.body.status).to.equal('registered');
    expect(intake.body.routing.nearMisses).to.deep.include({ ruleId: rule.id, ruleName: rule.name, failed: [`unit ${code} is disabled`] });
    const dispatch = await request('POST', `/api/cases/${intake.body.id}/actions`, { token: supervisor.token, body: { action: 'dispatch', unitCode: code } });
    expect(dispatch.status).to.equal(400);
    expect(dispatch.body.error.details[0].message).to.equal(`unit "${code}" is disabled`);

    expect((await change(code, { disabled: false })).body.disabled).to.equal(false);
    expect(await search('fxdhglz')).to.deep.equal([code]);
    expect((await request('POST', '/api/routing-rules/simulate', { token: admin.token, body: about })).body.routing.unitCode).to.equal(code);
    expect((await auditOf(code)).map((a) => a.action)).to.deep.equal(['create', 'disable', 'enable']);
  });

  it('when someone other than an admin edits, a code is taken, a parent is unknown or nothing is asked, then 403, 409, 400 and 400', async () => {
    expect((await create({ code: newCode(), name: '不应建成', kind: 'department', parentCode: FEI }, supervisor)).status).to.equal(403);
    expect((await change(FEI, { name: '改名' }, supervisor)).status).to.equal(403);
    expect((await create({ code: FEI, name: '重复编码', kind: 'county', parentCode: '3713' })).status).to.equal(409);
    const unknownParent = await create({ code: newCode(), name: '无上级', kind: 'department', parentCode: '371399' });
    expect(unknownParent.status).to.equal(400);
    expect(unknownParent.body.error.details[0].path).to.equal('body.parentCode');
    expect((await change(FEI, {})).status).to.equal(400);
    expect((await create({ code: newCode(), name: '新城市', kind: 'city', parentCode: '3713' })).status).to.equal(400);
    expect((await change('371399', { name: '不存在' })).status).to.equal(404);
  });
});
