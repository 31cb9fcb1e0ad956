import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { expect } from 'chai';
import { findFreePort } from '../../infra/free-port.js';
import type { RoutingRule } from '../../routing-rules/rule.js';
import { eventually } from '../support/deadline-cases.js';
import { createStaff, intakeBody, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import type { TestResponse } from '../support/http.js';

// A second API process, started as `npm start` starts one, on the harness's PostgreSQL and Redis.
// Rules made here have a priority above every default and a keyword only these cases contain.

interface Second {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly output: () => string;
}

async function startApiProcess(): Promise<Second> {
  const port = await findFreePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: harness().databaseUrl,
      REDIS_URL: harness().redisUrl,
      JWT_SECRET: harness().jwtSecret,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ADMIN_PASSWORD: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the second API process exited early (${child.exitCode}): ${output}`);
      return (await fetch(`${baseUrl}/readyz`).then((r) => r.status === 200, () => false)) || undefined;
    }, 60_000, 'the second API process to be ready');
  } catch (error) {
    child.kill('SIGTERM');
    throw new Error(`${(error as Error).message}: ${output}`, { cause: error });
  }
  return { child, baseUrl, output: () => output };
}

async function stopSecondProcess(second: Second): Promise<void> {
  if (second.child.exitCode !== null || second.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => second.child.once('exit', () => resolve()));
  second.child.kill('SIGTERM');
  await exited;
}

/** Calls one of the two API processes over real HTTP. */
async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown): Promise<TestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the test reads `text`.
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}

interface Suggested {
  readonly unitCode: string;
  readonly confidence: number;
  readonly basis: string;
}

// A liveness bound, not a speed claim: the change must arrive without a restart, however busy the
// machine is (the reload is one Redis message and one query; its latency is not a test's business).
const PROPAGATION_BOUND_MS = 30_000;

/** Asks `baseUrl` to simulate `body` until `accept` holds. */
async function waitForRouting(baseUrl: string, token: string, body: Record<string, unknown>, accept: (ruleId: string | null) => boolean): Promise<void> {
  let last: TestResponse | undefined;
  await eventually(async () => {
    last = await call(baseUrl, 'POST', '/api/routing-rules/simulate', token, body);
    return (last.status === 200 && accept((last.body.routing?.ruleId as string | null | undefined) ?? null)) || undefined;
  }, PROPAGATION_BOUND_MS, `${baseUrl} to route as expected`).catch((error: Error) => {
    throw new Error(`${error.message}; last: ${last?.status} ${last?.text}`, { cause: error });
  });
}

function rule(word: string): RoutingRule {
  return {
    id: `test-xproc-${crypto.randomBytes(4).toString('hex')}`,
    name: `跨进程测试：${word}`,
    priority: 6000,
    enabled: true,
    conditions: { keywords: { anyOf: [word] } },
    target: { kind: 'unit', unitCode: '3713-gongjijin' },
  };
}

function caseAbout(word: string): Record<string, unknown> {
  return intakeBody({ title: '反映情况', content: `最近发现${word}的问题，希望有关部门核实 ${crypto.randomBytes(3).toString('hex')}`, address: '临沂市费县探沂镇朱田村东' });
}

describe('routing rule changes reach every API process without a restart', function () {
  this.timeout(90_000);
  let second: Second | undefined;
  let admin: Staff;
  let operator: Staff;
  const created = new Set<string>();

  const first = (): string => harness().baseUrl;
  const secondUrl = (): string => {
    if (!second) throw new Error('the second API process is not running');
    return second.baseUrl;
  };

  before(async () => {
    admin = await createStaff('admin');
    operator = await createStaff('operator');
    second = await startApiProcess();
  });

  afterEach(async () => {
    for (const id of created) {
      const res = await call(first(), 'DELETE', `/api/routing-rules/${id}`, admin.token);
      if (res.status !== 204 && res.status !== 404) throw new Error(`could not delete rule ${id}: ${res.status} ${res.text}`);
    }
    created.clear();
  });

  after(async () => {
    if (second) await stopSecondProcess(second);
    second = undefined;
  });

  it('when both processes are up, then the second serves the same rules and accepts the same tokens', async () => {
    const [one, two] = await Promise.all([
      call(first(), 'GET', '/api/routing-rules', operator.token),
      call(secondUrl(), 'GET', '/api/routing-rules', operator.token),
    ]);

    expect(two.status, two.text).to.equal(200);
    expect(two.body.items.map((r: { id: string }) => r.id)).to.deep.equal(one.body.items.map((r: { id: string }) => r.id));
    expect(two.body.version).to.equal(one.body.version);
  });

  it('when a rule is created through the first process, then a case taken in by the second routes by it without a restart', async () => {
    const word = '鸭嘴兽';
    const newRule = rule(word);
    const before = await call(secondUrl(), 'POST', '/api/routing-rules/simulate', operator.token, caseAbout(word));
    expect(before.body.routing.ruleId, 'no rule takes the case before').to.equal(null);

    const res = await call(first(), 'POST', '/api/routing-rules', admin.token, newRule);
    if (res.status === 201) created.add(newRule.id);
    await waitForRouting(secondUrl(), operator.token, caseAbout(word), (id) => id === newRule.id);
    const intake = await call(secondUrl(), 'POST', '/api/cases', operator.token, caseAbout(word));

    expect(res.status, res.text).to.equal(201);
    expect(intake.status, intake.text).to.equal(201);
    expect(intake.body.status).to.equal('dispatched');
    expect(intake.body.assignedUnit.code).to.equal('3713-gongjijin');
    expect(intake.body.routing.ruleId).to.equal(newRule.id);
  });

  it('when the rule is disabled through the second process, then the first stops routing by it without a restart', async () => {
    const word = '树袋熊';
    const newRule = rule(word);
    const res = await call(first(), 'POST', '/api/routing-rules', admin.token, newRule);
    expect(res.status, res.text).to.equal(201);
    created.add(newRule.id);
    await waitForRouting(secondUrl(), operator.token, caseAbout(word), (id) => id === newRule.id);

    const fields: Record<string, unknown> = { ...newRule, enabled: false, expectedVersion: 1 };
    delete fields.id;
    const disabled = await call(secondUrl(), 'PUT', `/api/routing-rules/${newRule.id}`, admin.token, fields);
    await waitForRouting(first(), operator.token, caseAbout(word), (id) => id !== newRule.id);
    const intake = await call(first(), 'POST', '/api/cases', operator.token, caseAbout(word));

    expect(disabled.status, disabled.text).to.equal(200);
    expect(disabled.body).to.deep.include({ enabled: false, version: 2 });
    expect(intake.status, intake.text).to.equal(201);
    expect(intake.body.routing.ruleId).not.to.equal(newRule.id);
    expect(intake.body.status).to.equal('registered');
  });

  it('when the rule is deleted through the second process, then the first stops routing by it without a restart', async () => {
    const word = '食蚁兽';
    const newRule = rule(word);
    const res = await call(first(), 'POST', '/api/routing-rules', admin.token, newRule);
    expect(res.status, res.text).to.equal(201);
    created.add(newRule.id);
    await waitForRouting(secondUrl(), operator.token, caseAbout(word), (id) => id === newRule.id);

    const deleted = await call(secondUrl(), 'DELETE', `/api/routing-rules/${newRule.id}`, admin.token);
    await waitForRouting(first(), operator.token, caseAbout(word), (id) => id !== newRule.id);
    const intake = await call(first(), 'POST', '/api/cases', operator.token, caseAbout(word));

    expect(deleted.status, deleted.text).to.equal(204);
    expect(intake.status, intake.text).to.equal(201);
    expect(intake.body.routing.ruleId).not.to.equal(newRule.id);
    expect(intake.body.status).to.equal('registered');
    expect((await call(first(), 'GET', `/api/routing-rules/${newRule.id}`, admin.token)).status).to.equal(404);
  });

  it('when the centre dispatches cases by hand, then the other process learns them and suggests that unit for such a case in another county', async () => {
    const marker = crypto.randomBytes(3).toString('hex');
    const about = (place: string): Record<string, unknown> => intakeBody({ title: undefined, content: `${place}有只鸵鸟在村里乱跑，见人就啄 ${marker}`, address: undefined });
    for (let i = 0; i < 5; i += 1) {
      const intake = await call(first(), 'POST', '/api/cases', operator.token, about('费县探沂镇'));
      expect(intake.body.status, intake.text).to.equal('registered');
      const dispatched = await call(first(), 'POST', `/api/cases/${intake.body.id}/actions`, operator.token, { action: 'dispatch', unitCode: '371325-linye' });
      expect(dispatched.status, dispatched.text).to.equal(200);
    }

    const suggestions = await eventually(async () => {
      const res = await call(secondUrl(), 'POST', '/api/routing-rules/simulate', operator.token, about('临沭县临沭街道'));
      const found: { unitCode: string; confidence: number; basis: string }[] = res.body.routing?.suggestions ?? [];
      return found.some((s) => s.unitCode === '371329-linye') ? found : undefined;
    }, PROPAGATION_BOUND_MS, "the other process to suggest 临沭县's forestry bureau");

    const learned = suggestions.find((s) => s.unitCode === '371329-linye');
    expect(learned, JSON.stringify(suggestions)).to.not.equal(undefined);
    expect(learned?.basis).to.match(/learned from \d+ centre dispatches, label dept:linye/);
  });

  it('when the centre corrects its dispatches (a re-dispatch, or a re-dispatch after a 退单), then the other process forgets the first unit and suggests the new one', async () => {
    const marker = crypto.randomBytes(3).toString('hex');
    const about = (place: string): Record<string, unknown> => intakeBody({ title: undefined, content: `${place}村口老槐树上有一窝马蜂，孩子们不敢出门 ${marker}`, address: undefined });
    const linye = await createStaff('handler', '371325-linye');
    // Other tests teach the model too: what counts is the first suggestion, and what it rests on.
    const suggestedFor = (want: (first: Suggested | undefined) => boolean): Promise<Suggested[]> =>
      eventually(async () => {
        const res = await call(secondUrl(), 'POST', '/api/routing-rules/simulate', operator.token, about('临沭县临沭街道'));
        const suggestions: Suggested[] = res.body.routing?.suggestions ?? [];
        return want(suggestions[0]) ? suggestions : undefined;
      }, PROPAGATION_BOUND_MS, 'the first suggestion of the other process to change');
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const intake = await call(first(), 'POST', '/api/cases', operator.token, about('费县探沂镇'));
      expect(intake.body.status, intake.text).to.equal('registered');
      ids.push(intake.body.id as string);
      expect((await call(first(), 'POST', `/api/cases/${intake.body.id}/actions`, operator.token, { action: 'dispatch', unitCode: '371325-linye' })).status).to.equal(200);
    }
    const before = await suggestedFor((s) => s?.unitCode === '371329-linye');
    expect(before[0]?.unitCode, JSON.stringify(before)).to.equal('371329-linye');

    for (const [i, id] of ids.entries()) {
      if (i < 2) expect((await call(first(), 'POST', `/api/cases/${id}/actions`, linye.token, { action: 'return', reason: '不属于林业部门职责' })).status).to.equal(200);
      const redispatched = await call(first(), 'POST', `/api/cases/${id}/actions`, operator.token, { action: 'dispatch', unitCode: '371325-zonghezhifa' });
      expect(redispatched.status, redispatched.text).to.equal(200);
    }

    const after = await suggestedFor((s) => s?.unitCode === '371329-zonghezhifa');
    expect(after[0]?.unitCode, JSON.stringify(after)).to.equal('371329-zonghezhifa');
    // The model reads pairs of characters: any pair of 老槐树上有一窝马蜂 is the lesson's.
    const hornets = /老槐|槐树|一窝|窝马|马蜂/;
    expect(after[0]?.basis).to.match(hornets);
    // The corrected lessons are gone from the first unit: nothing about the hornets lifts it any more.
    const learnedForLinye = after.find((s) => s.unitCode === '371329-linye' && s.basis.startsWith('learned from'));
    expect(learnedForLinye?.basis ?? '').to.not.match(hornets);
  });

  it('when a process once loaded a rule that is gone, then it routes exactly like a process that never saw that rule', async () => {
    // A rule with the keyword 东路 existed when a third process started; it is removed without a
    // revision, so that this (the first) process never loads it, then a rule change makes both reload.
    const gone = { ...rule('东路'), id: `test-xproc-gone-${crypto.randomBytes(4).toString('hex')}` };
    const db = harness().pool;
    await db.query('INSERT INTO routing_rules (id, name, priority, enabled, conditions, target) VALUES ($1, $2, $3, true, $4, $5)', [
      gone.id, gone.name, gone.priority, gone.conditions, gone.target,
    ]);
    let third: Second | undefined;
    try {
      third = await startApiProcess();
      await db.query('DELETE FROM routing_rules WHERE id = $1', [gone.id]);
      const nudge = rule('狐獴');
      expect((await call(first(), 'POST', '/api/routing-rules', admin.token, nudge)).status).to.equal(201);
      created.add(nudge.id);
      const { version } = (await call(first(), 'GET', '/api/routing-rules', admin.token)).body as { version: number };
      const thirdUrl = third.baseUrl;
      await eventually(async () => (await call(thirdUrl, 'GET', '/api/routing-rules', admin.token)).body.version === version || undefined, PROPAGATION_BOUND_MS, 'the third process to load the rule change');
      const body = intakeBody({ title: undefined, content: '朱田村东路灯不亮，晚上很黑', address: '临沂市费县探沂镇朱田村东' });

      const [here, there] = await Promise.all([
        call(first(), 'POST', '/api/routing-rules/simulate', operator.token, body),
        call(thirdUrl, 'POST', '/api/routing-rules/simulate', operator.token, body),
      ]);

      expect(there.body.routing.rulesVersion, 'both processes hold the same rule set').to.equal(here.body.routing.rulesVersion);
      expect(here.body.routing.ruleId).to.equal('catalogue:urban-street-light');
      expect(there.body.routing.ruleId, 'the third process still segments 村/东路/灯 with the deleted rule\'s keyword').to.equal('catalogue:urban-street-light');
    } finally {
      await db.query('DELETE FROM routing_rules WHERE id = $1', [gone.id]);
      if (third) await stopSecondProcess(third);
    }
  });
});
