import crypto from 'node:crypto';
import { expect } from 'chai';
import { loadDefaultRules } from '../../routing-rules/default-rules.js';
import type { RoutingRule } from '../../routing-rules/rule.js';
import { createStaff, intakeBody, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request, type TestResponse } from '../support/http.js';

// Rules are shared by every test of the run. Each rule made here has a priority above every default
// and a keyword condition on a word that only the cases made here contain, and is deleted in `after`.

const TANYI_ADDRESS = '临沂市费县探沂镇朱田村东';

/** Words no other test writes; the engine teaches jieba every rule keyword, so each segments as one word. */
const WORDS = ['鸭嘴兽', '树袋熊', '食蚁兽', '犰狳', '狐獴', '蝾螈', '独角鲸', '鹦鹉螺', '长颈鹿', '火烈鸟', '海象', '企鹅'] as const;
let wordIndex = 0;
function nextWord(): string {
  const word = WORDS[wordIndex % WORDS.length] ?? WORDS[0];
  wordIndex += 1;
  return word;
}

const created = new Set<string>();
let admin: Staff;
let operator: Staff;

function ruleId(): string {
  return `test-rules-${crypto.randomBytes(4).toString('hex')}`;
}

function ruleBody(word: string, overrides: Partial<RoutingRule> = {}): RoutingRule {
  return {
    id: ruleId(),
    name: `测试规则：${word}`,
    priority: 5000,
    enabled: true,
    conditions: { keywords: { anyOf: [word] } },
    target: { kind: 'unit', unitCode: '3713-hotline' },
    ...overrides,
  };
}

async function createRule(body: Record<string, unknown>, by: Staff = admin): Promise<TestResponse> {
  const res = await request('POST', '/api/routing-rules', { token: by.token, body });
  if (res.status === 201) created.add(String(body.id));
  return res;
}

/** PUT body: the rule without its id. */
function replacement(rule: RoutingRule, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = { ...rule, ...extra };
  delete fields.id;
  return fields;
}

function caseAbout(word: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return intakeBody({ title: '反映情况', content: `最近发现${word}的问题，希望有关部门核实 ${crypto.randomBytes(3).toString('hex')}`, address: TANYI_ADDRESS, ...overrides });
}

async function simulate(body: Record<string, unknown>): Promise<TestResponse> {
  return request('POST', '/api/routing-rules/simulate', { token: operator.token, body });
}

async function count(table: 'cases' | 'case_events' | 'outbox' | 'routing_rule_revisions', ruleIdFilter?: string): Promise<number> {
  const where = ruleIdFilter === undefined ? '' : ' WHERE rule_id = $1';
  const { rows } = await harness().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}${where}`, ruleIdFilter === undefined ? [] : [ruleIdFilter]);
  return rows[0]?.n ?? -1;
}

/** Decision order of the engine: priority descending, then id in code-unit order. */
function decisionOrder(rules: readonly RoutingRule[]): RoutingRule[] {
  return [...rules].sort((a, b) => (a.priority !== b.priority ? b.priority - a.priority : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const ruleFields = (r: RoutingRule): RoutingRule => ({ id: r.id, name: r.name, priority: r.priority, enabled: r.enabled, conditions: r.conditions, target: r.target });

describe('routing rules as data (/api/routing-rules)', () => {
  before(async () => {
    admin = await createStaff('admin');
    operator = await createStaff('operator');
  });

  // Each test's rules go when it ends, so that no later test (of any file) routes by them.
  afterEach(async () => {
    for (const id of created) {
      const res = await request('DELETE', `/api/routing-rules/${id}`, { token: admin.token });
      if (res.status !== 204 && res.status !== 404) throw new Error(`could not delete rule ${id}: ${res.status} ${res.text}`);
    }
    created.clear();
  });

  describe('GET /api/routing-rules', () => {
    it('when an operator reads the rules, then the 3 seeded defaults come in decision order with the rule-set version', async () => {
      const defaults = decisionOrder(loadDefaultRules());

      const res = await request('GET', '/api/routing-rules', { token: operator.token });

      expect(res.status, res.text).to.equal(200);
      expect(defaults).to.have.length(3);
      expect(res.body.version).to.be.a('number').and.to.be.at.least(3);
      const items = res.body.items as (RoutingRule & { version: number; updatedAt: string })[];
      expect(items.map((r) => r.id)).to.deep.equal(defaults.map((r) => r.id));
      expect(items.map(ruleFields)).to.deep.equal(defaults);
      for (const item of items) {
        expect(item.version, item.id).to.be.a('number').and.at.least(1);
        expect(Number.isNaN(Date.parse(item.updatedAt)), item.id).to.equal(false);
      }
    });

    it('when a supervisor reads the rules, then 200; a handler gets 403 and no token 401', async () => {
      const supervisor = await createStaff('supervisor');
      const handler = await createStaff('handler', '371325');

      const bySupervisor = await request('GET', '/api/routing-rules', { token: supervisor.token });
      const byHandler = await request('GET', '/api/routing-rules', { token: handler.token });
      const anonymous = await request('GET', '/api/routing-rules');

      expect(bySupervisor.status).to.equal(200);
      expect(byHandler.status, byHandler.text).to.equal(403);
      expect(anonymous.status).to.equal(401);
    });

    it('when one rule is read by id, then it is returned; an unknown id gives 404', async () => {
      const one = await request('GET', '/api/routing-rules/petitions-office', { token: operator.token });
      const missing = await request('GET', `/api/routing-rules/${ruleId()}`, { token: operator.token });

      expect(one.status, one.text).to.equal(200);
      expect(one.body).to.deep.include({ id: 'petitions-office', priority: 900, enabled: true });
      expect(missing.status).to.equal(404);
    });
  });

  describe('POST /api/routing-rules', () => {
    it('when an admin creates a rule, then 201 returns it at version 1 and a case registered right after routes by it', async () => {
      const word = nextWord();
      const rule = ruleBody(word, { target: { kind: 'unit', unitCode: '3713-gongjijin' } });

      const res = await createRule({ ...rule });
      const intake = await request('POST', '/api/cases', { token: operator.token, body: caseAbout(word) });

      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.deep.include({ id: rule.id, name: rule.name, priority: 5000, enabled: true, version: 1 });
      expect(res.body.conditions).to.deep.equal(rule.conditions);
      expect(res.body.target).to.deep.equal(rule.target);
      expect(intake.status, intake.text).to.equal(201);
      expect(intake.body.status).to.equal('dispatched');
      expect(intake.body.assignedUnit.code).to.equal('3713-gongjijin');
      expect(intake.body.routing.ruleId).to.equal(rule.id);
      expect(intake.body.routing.explanation).to.include(`keyword ${word}`);
    });

    it('when enabled is left out, then the rule is enabled', async () => {
      const rule: Record<string, unknown> = { ...ruleBody(nextWord()) };
      delete rule.enabled;

      const res = await createRule(rule);

      expect(res.status, res.text).to.equal(201);
      expect(res.body.enabled).to.equal(true);
    });

    it('when the id is taken, then 409 and the first rule is kept unchanged', async () => {
      const rule = ruleBody(nextWord());
      const first = await createRule({ ...rule });

      const again = await createRule({ ...rule, name: '另一个名字', target: { kind: 'unit', unitCode: '3713-petitions' } });

      expect(first.status, first.text).to.equal(201);
      expect(again.status, again.text).to.equal(409);
      expect(again.body.error.code).to.equal('conflict');
      const stored = await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token });
      expect(stored.body).to.deep.include({ name: rule.name, version: 1 });
      expect(stored.body.target).to.deep.equal(rule.target);
      expect(await count('routing_rule_revisions', rule.id)).to.equal(1);
    });

    const badBodies: [string, (rule: RoutingRule) => Record<string, unknown>, string][] = [
      ['an unknown field', (r) => ({ ...r, owner: 'someone' }), 'body.owner'],
      ['an unknown condition', (r) => ({ ...r, conditions: { ...r.conditions, weekday: ['monday'] } }), 'body.conditions.weekday'],
      ['an unknown target kind', (r) => ({ ...r, target: { kind: 'random', unitCode: '3713-hotline' } }), 'body.target'],
      ['an unknown departmentSlug', (r) => ({ ...r, target: { kind: 'territorial', departmentSlug: 'nosuchbureau' } }), 'body.target'],
      ['a unit target naming no unit', (r) => ({ ...r, target: { kind: 'unit', unitCode: '371399-huanbao' } }), 'body.target.unitCode'],
      ['an empty keyword list', (r) => ({ ...r, conditions: { keywords: { anyOf: [] } } }), 'body.conditions.keywords.anyOf'],
      ['an empty keywords object', (r) => ({ ...r, conditions: { keywords: {} } }), 'body.conditions.keywords'],
      ['an unknown case type', (r) => ({ ...r, conditions: { types: ['gossip'] } }), 'body.conditions.types'],
      ['a fractional priority', (r) => ({ ...r, priority: 1.5 }), 'body.priority'],
      ['a priority that is no number', (r) => ({ ...r, priority: 'high' }), 'body.priority'],
      ['an id with capitals and spaces', (r) => ({ ...r, id: 'My Rule' }), 'body.id'],
      ['no name', (r) => ({ ...r, name: undefined }), 'body.name'],
    ];
    for (const [what, make, path] of badBodies) {
      it(`when the body has ${what}, then 400 names ${path} and nothing is stored`, async () => {
        const rule = ruleBody(nextWord());
        const revisionsBefore = await count('routing_rule_revisions');

        const res = await createRule(make(rule));

        expect(res.status, res.text).to.equal(400);
        const paths = ((res.body.error?.details ?? []) as { path: string }[]).map((d) => d.path);
        expect(paths.some((p) => p.startsWith(path)), JSON.stringify(paths)).to.equal(true);
        expect((await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token })).status).to.equal(404);
        expect(await count('routing_rule_revisions')).to.equal(revisionsBefore);
      });
    }

    for (const role of ['operator', 'supervisor'] as const) {
      it(`when a ${role} creates a rule, then 403 and nothing is stored`, async () => {
        const by = await createStaff(role);
        const rule = ruleBody(nextWord());

        const res = await createRule({ ...rule }, by);

        expect(res.status, res.text).to.equal(403);
        expect((await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token })).status).to.equal(404);
      });
    }
  });

  describe('PUT and DELETE /api/routing-rules/:id, and the audit trail', () => {
    it('when a rule is replaced, then its version goes up and cases route by the new content at once', async () => {
      const word = nextWord();
      const rule = ruleBody(word);
      await createRule({ ...rule });
      const changed: RoutingRule = { ...rule, name: '改派环保局', target: { kind: 'territorial', departmentSlug: 'huanbao' } };

      const res = await request('PUT', `/api/routing-rules/${rule.id}`, { token: admin.token, body: replacement(changed, { expectedVersion: 1 }) });
      const intake = await request('POST', '/api/cases', { token: operator.token, body: caseAbout(word) });

      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.deep.include({ id: rule.id, name: '改派环保局', version: 2 });
      expect(res.body.target).to.deep.equal({ kind: 'territorial', departmentSlug: 'huanbao' });
      expect(intake.body.assignedUnit.code).to.equal('371325-huanbao');
      expect(intake.body.routing.ruleId).to.equal(rule.id);
    });

    it('when expectedVersion is stale, then 409 and the rule is unchanged', async () => {
      const rule = ruleBody(nextWord());
      await createRule({ ...rule });
      const first = await request('PUT', `/api/routing-rules/${rule.id}`, { token: admin.token, body: replacement({ ...rule, priority: 5001 }, { expectedVersion: 1 }) });

      const stale = await request('PUT', `/api/routing-rules/${rule.id}`, { token: admin.token, body: replacement({ ...rule, priority: 5002 }, { expectedVersion: 1 }) });

      expect(first.status, first.text).to.equal(200);
      expect(stale.status, stale.text).to.equal(409);
      const stored = await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token });
      expect(stored.body).to.deep.include({ priority: 5001, version: 2 });
      expect(await count('routing_rule_revisions', rule.id)).to.equal(2);
    });

    it('when an unknown rule is replaced, then 404; a replacement naming no unit gives 400 and changes nothing', async () => {
      const rule = ruleBody(nextWord());
      await createRule({ ...rule });

      const missing = await request('PUT', `/api/routing-rules/${ruleId()}`, { token: admin.token, body: replacement(rule) });
      const badUnit = await request('PUT', `/api/routing-rules/${rule.id}`, { token: admin.token, body: replacement({ ...rule, target: { kind: 'unit', unitCode: '371399' } }) });

      expect(missing.status, missing.text).to.equal(404);
      expect(badUnit.status, badUnit.text).to.equal(400);
      expect((await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token })).body.version).to.equal(1);
    });

    it('when a rule is deleted, then 204, it is gone (404 on read, replace and delete) and cases no longer route by it', async () => {
      const word = nextWord();
      const rule = ruleBody(word);
      await createRule({ ...rule });

      const res = await request('DELETE', `/api/routing-rules/${rule.id}`, { token: admin.token });
      const intake = await request('POST', '/api/cases', { token: operator.token, body: caseAbout(word) });

      expect(res.status, res.text).to.equal(204);
      expect((await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token })).status).to.equal(404);
      expect((await request('PUT', `/api/routing-rules/${rule.id}`, { token: admin.token, body: replacement(rule) })).status).to.equal(404);
      expect((await request('DELETE', `/api/routing-rules/${rule.id}`, { token: admin.token })).status).to.equal(404);
      expect(intake.status, intake.text).to.equal(201);
      expect(intake.body.routing.ruleId).not.to.equal(rule.id);
      expect(intake.body.status).to.equal('registered');
    });

    it('when a non-admin replaces or deletes a rule, then 403 and the rule is unchanged', async () => {
      const rule = ruleBody(nextWord());
      await createRule({ ...rule });
      const supervisor = await createStaff('supervisor');

      const put = await request('PUT', `/api/routing-rules/${rule.id}`, { token: supervisor.token, body: replacement({ ...rule, priority: 1 }) });
      const del = await request('DELETE', `/api/routing-rules/${rule.id}`, { token: operator.token });

      expect(put.status).to.equal(403);
      expect(del.status).to.equal(403);
      expect((await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token })).body).to.deep.include({ priority: 5000, version: 1 });
    });

    it('when a rule is created, replaced and deleted, then the audit trail shows each change with its actor, before and after', async () => {
      const rule = ruleBody(nextWord());
      const editor = await createStaff('admin');
      await createRule({ ...rule });
      const changed: RoutingRule = { ...rule, priority: 4000, enabled: false };
      expect((await request('PUT', `/api/routing-rules/${rule.id}`, { token: editor.token, body: replacement(changed) })).status).to.equal(200);
      expect((await request('DELETE', `/api/routing-rules/${rule.id}`, { token: admin.token })).status).to.equal(204);
      const supervisor = await createStaff('supervisor');

      const res = await request('GET', `/api/routing-rules/revisions?ruleId=${rule.id}`, { token: supervisor.token });

      expect(res.status, res.text).to.equal(200);
      const items = res.body.items as { ruleId: string; version: number; change: string; actorId: string; before: unknown; after: unknown; at: string }[];
      expect(items.map((r) => r.change)).to.deep.equal(['delete', 'update', 'create']);
      expect(items.every((r) => r.ruleId === rule.id)).to.equal(true);
      expect(items.map((r) => r.actorId)).to.deep.equal([admin.id, editor.id, admin.id]);
      expect(items.map((r) => r.version)).to.deep.equal([3, 2, 1]);
      expect(items[2]).to.deep.include({ before: null, after: rule });
      expect(items[1]).to.deep.include({ before: rule, after: changed });
      expect(items[0]).to.deep.include({ before: changed, after: null });
      for (const item of items) expect(Number.isNaN(Date.parse(item.at))).to.equal(false);
    });

    it('when an operator reads the audit trail, then 403', async () => {
      const res = await request('GET', '/api/routing-rules/revisions', { token: operator.token });

      expect(res.status).to.equal(403);
    });

    it('when the revisions table is changed in SQL, then PostgreSQL refuses UPDATE and DELETE', async () => {
      const rule = ruleBody(nextWord());
      await createRule({ ...rule });
      const db = harness().pool;

      const update = await db.query(`UPDATE routing_rule_revisions SET change = 'seed', actor_id = NULL WHERE rule_id = $1`, [rule.id]).then(
        () => undefined,
        (error: unknown) => error,
      );
      const remove = await db.query('DELETE FROM routing_rule_revisions WHERE rule_id = $1', [rule.id]).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(update).to.be.instanceOf(Error);
      expect(remove).to.be.instanceOf(Error);
      const { rows } = await db.query<{ change: string; actor_id: string }>('SELECT change, actor_id FROM routing_rule_revisions WHERE rule_id = $1', [rule.id]);
      expect(rows).to.deep.equal([{ change: 'create', actor_id: admin.id }]);
    });
  });

  describe('POST /api/routing-rules/simulate', () => {
    it('when a case is simulated, then the decision is explained (rule, conditions, division) and nothing is stored', async () => {
      const before = await Promise.all([count('cases'), count('case_events'), count('outbox')]);

      const res = await simulate(intakeBody({ title: '路灯不亮', content: '村东头的路灯坏了一周了', address: TANYI_ADDRESS }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.divisionCode).to.equal('371325105');
      expect(res.body.division).to.deep.include({ countyCode: '371325', townshipCode: '371325105', source: 'address' });
      expect(res.body.division.explanation).to.include('探沂镇');
      expect(res.body.assignedUnit).to.deep.equal({ code: '371325105', name: '探沂镇' });
      expect(res.body.routing).to.deep.include({ source: 'catalogue', ruleId: 'catalogue:urban-street-light' });
      expect(res.body.routing.matchedConditions).to.have.length(1);
      expect(res.body.routing.matchedConditions[0]).to.match(/catalogue matter "路灯不亮".*路灯/);
      expect(res.body.routing.explanation).to.include('urban-street-light');
      expect(res.body.routing.suggestions[0]).to.deep.include({ unitCode: '371325105' });
      expect(res.body.routing.suggestions[0].confidence).to.be.within(0, 1);
      expect(await Promise.all([count('cases'), count('case_events'), count('outbox')])).to.deep.equal(before);
    });

    it('when a case nearly matched a rule, then that rule is listed in nearMisses with the condition that failed', async () => {
      const word = nextWord();
      const rule = ruleBody(word, { conditions: { keywords: { anyOf: [word], noneOf: ['路灯'] } } });
      expect((await createRule({ ...rule })).status).to.equal(201);

      const res = await simulate(caseAbout(word, { title: '路灯不亮' }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.routing.ruleId).to.equal('catalogue:urban-street-light');
      expect(res.body.routing.nearMisses).to.deep.include({ ruleId: rule.id, ruleName: rule.name, failed: ['excluded keyword 路灯'] });
    });

    it('when a case has the keyword of a higher rule but not its type, then that rule is a near miss naming the type', async () => {
      const word = nextWord();
      const rule = ruleBody(word, { conditions: { types: ['petition'], keywords: { anyOf: [word] } } });
      expect((await createRule({ ...rule })).status).to.equal(201);

      const res = await simulate(caseAbout(word, { title: '路灯不亮' }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.routing.ruleId).to.equal('catalogue:urban-street-light');
      expect(res.body.routing.nearMisses[0]).to.deep.equal({ ruleId: rule.id, ruleName: rule.name, failed: ['type complaint not in petition'] });
    });

    it('when an explicit divisionCode is given, then it wins over the address text', async () => {
      const res = await simulate(intakeBody({ title: '路灯不亮', content: '路灯坏了一周了', address: '临沂市兰山区银雀山街道', divisionCode: '371325105' }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.divisionCode).to.equal('371325105');
      expect(res.body.division.source).to.equal('explicit');
      expect(res.body.assignedUnit.code).to.equal('371325105');
    });

    it('when a township name that two counties share (高都) comes without a county, then the division is left at city level and says it is ambiguous', async () => {
      const res = await simulate(intakeBody({ title: '路灯不亮', content: '路灯坏了一排，晚上很黑', address: '高都' }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.divisionCode).to.equal(null);
      expect(res.body.division.explanation).to.include('罗庄区').and.to.include('蒙阴县').and.to.include('no county is named');
      expect(res.body.division.ambiguous.map((c: { code: string }) => c.code).sort()).to.deep.equal(['371311007', '371328105']);
      expect(res.body.routing.ruleId).to.equal(null);
      expect(res.body.routing.division).to.equal(res.body.division.explanation);
    });

    it('when the county is named with 高都, then it resolves to that county’s township', async () => {
      const res = await simulate(intakeBody({ title: '路灯不亮', content: '路灯坏了一排，晚上很黑', address: '蒙阴县高都镇' }));

      expect(res.status, res.text).to.equal(200);
      expect(res.body.divisionCode).to.equal('371328105');
      expect(res.body.assignedUnit.code).to.equal('371328105');
    });

    it('when a handler simulates, then 403', async () => {
      const handler = await createStaff('handler', '371325');

      const res = await request('POST', '/api/routing-rules/simulate', { token: handler.token, body: intakeBody() });

      expect(res.status).to.equal(403);
    });
  });

  describe('concurrent changes', () => {
    it('when two admins replace the same rule with the same expectedVersion at once, then exactly one wins and one revision is added', async () => {
      const rule = ruleBody(nextWord());
      await createRule({ ...rule });
      const [first, second] = [await createStaff('admin'), await createStaff('admin')];
      const revisionsBefore = await count('routing_rule_revisions', rule.id);

      const results = await Promise.all([
        request('PUT', `/api/routing-rules/${rule.id}`, { token: first.token, body: replacement({ ...rule, name: '甲改的' }, { expectedVersion: 1 }) }),
        request('PUT', `/api/routing-rules/${rule.id}`, { token: second.token, body: replacement({ ...rule, name: '乙改的' }, { expectedVersion: 1 }) }),
      ]);

      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 409]);
      const winner = results.find((r) => r.status === 200);
      expect(await count('routing_rule_revisions', rule.id)).to.equal(revisionsBefore + 1);
      const stored = await request('GET', `/api/routing-rules/${rule.id}`, { token: admin.token });
      expect(stored.body).to.deep.include({ version: 2, name: winner?.body.name });
    });

    it('when two rules change at once and the later revision commits first, then both changes still take effect', async () => {
      // The rule set's version is the highest revision id. An id is taken when a revision is
      // inserted, not when it commits: a change that took the lower id but committed last must not
      // be missed by processes that already loaded the higher id.
      const wordA = nextWord();
      const wordB = nextWord();
      const editorA = await createStaff('admin');
      const ruleA = ruleBody(wordA, { target: { kind: 'unit', unitCode: '3713-hotline' } });
      expect((await createRule({ ...ruleA }, editorA)).status).to.equal(201);
      const ruleB = ruleBody(wordB, { target: { kind: 'unit', unitCode: '3713-petitions' } });
      const db = harness().pool;
      const blocker = await db.connect();
      let putA: Promise<TestResponse> | undefined;
      let postB: Promise<TestResponse> | undefined;
      try {
        // Holding editor A's user row stops A's revision insert at its foreign-key check, after it took its id.
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [editorA.id]);
        putA = request('PUT', `/api/routing-rules/${ruleA.id}`, {
          token: editorA.token,
          body: replacement({ ...ruleA, target: { kind: 'unit', unitCode: '3713-gongjijin' } }),
        });
        await waitFor(async () => (await waitingOnLocks(db)) >= 1, 5_000);
        postB = createRule({ ...ruleB });
        // Either B commits now (the race), or B waits behind A (rule changes are serialised).
        const settledB = postB.then(() => true);
        await waitFor(async () => (await Promise.race([settledB, delay(0).then(() => false)])) || (await waitingOnLocks(db)) >= 2, 5_000);
      } finally {
        await blocker.query('COMMIT').catch(() => undefined);
        blocker.release();
      }
      const [a, b] = await Promise.all([putA, postB]);
      expect(a?.status, a?.text).to.equal(200);
      expect(b?.status, b?.text).to.equal(201);

      const routedA = await simulate(caseAbout(wordA));
      const routedB = await simulate(caseAbout(wordB));

      expect(routedB.body.routing.ruleId).to.equal(ruleB.id);
      expect(routedA.body.routing.ruleId).to.equal(ruleA.id);
      expect(routedA.body.assignedUnit?.code, 'the replaced rule A must be in force').to.equal('3713-gongjijin');
    });
  });
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await condition()) return;
    await delay(20);
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** Sessions of this database waiting for a lock (the API's transactions behind the test's). */
async function waitingOnLocks(db: ReturnType<typeof harness>['pool']): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return rows[0]?.n ?? 0;
}
