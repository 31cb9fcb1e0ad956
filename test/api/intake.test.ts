import crypto from 'node:crypto';
import { expect } from 'chai';
import { buildCase, createStaff, intakeBody } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

async function countCases(): Promise<number> {
  const { rows } = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return rows[0]?.n ?? -1;
}

/**
 * Text that no routing rule matches, so that the case stays registered and unassigned whether or
 * not intake routes (the 路灯 of the default intake body is a territorial keyword).
 */
function unrouted(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: '反映情况', content: `想反映一个情况，希望有关方面核实 ${crypto.randomBytes(3).toString('hex')}`, ...overrides };
}

function detailPaths(body: { error?: { details?: { path?: string }[] } }): (string | undefined)[] {
  return (body.error?.details ?? []).map((d) => d.path);
}

describe('operator intake (POST /api/cases)', () => {
  it('when an operator registers a hotline call, then 201 returns a registered, unassigned case placed in 探沂镇', async () => {
    const operator = await createStaff('operator');
    const body = intakeBody(unrouted({ address: '临沂市费县探沂镇朱田村东' }));

    const res = await request('POST', '/api/cases', { token: operator.token, body });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body.caseNo).to.match(/^\d{15}$/);
    expect(res.body.queryCode).to.match(/^\d{6}$/);
    expect(res.body).to.include({
      status: 'registered',
      divisionCode: '371325105',
      channel: 'hotline',
      type: 'complaint',
      content: body.content,
      address: '临沂市费县探沂镇朱田村东',
      urgency: 'normal',
    });
    expect(res.body.assignedUnit).to.equal(null);
    expect(res.body.citizen).to.deep.equal({ name: '张三', phone: '13812341234' });
    expect(res.body.deadlines).to.include({ acceptBy: null, acceptOverdue: false, replyOverdue: false, paused: false });
    // A complaint has 5 working days from receipt, ending at 24:00 Asia/Shanghai.
    expect(res.body.deadlines.replyBy).to.match(/T16:00:00\.000Z$/);
    expect(new Date(res.body.deadlines.replyBy).getTime()).to.be.greaterThan(Date.now() + 5 * 86_400_000);
  });

  it('when the case is read back, then its timeline starts with the public register event', async () => {
    const operator = await createStaff('operator');
    const created = await buildCase(unrouted(), operator);

    const res = await request('GET', `/api/cases/${created.id}`, { token: operator.token });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.events).to.have.length(1);
    expect(res.body.events[0]).to.deep.include({ action: 'register', fromStatus: null, toStatus: 'registered', public: true });
    expect(res.body.events[0].actor).to.deep.include({ id: operator.id, role: 'operator' });
  });

  it('when a case is registered, then one transaction stored the case row, the register event and an outbox row', async () => {
    const operator = await createStaff('operator');

    const created = await buildCase(unrouted(), operator);

    const db = harness().pool;
    const cases = await db.query('SELECT case_no, status, created_by FROM cases WHERE id = $1', [created.id]);
    const events = await db.query<{ id: string; action: string }>('SELECT id, action FROM case_events WHERE case_id = $1', [created.id]);
    const outbox = await db.query<{ event_id: string; topic: string; payload: { caseId: string } }>(
      'SELECT event_id, topic, payload FROM outbox WHERE case_id = $1',
      [created.id],
    );
    expect(cases.rows).to.deep.equal([{ case_no: created.caseNo, status: 'registered', created_by: operator.id }]);
    expect(events.rows.map((e) => e.action)).to.deep.equal(['register']);
    expect(outbox.rows).to.have.length(1);
    expect(outbox.rows[0]?.topic).to.match(/^case\.register(ed)?$/, 'the topic names the registration');
    expect(outbox.rows[0]?.event_id).to.equal(events.rows[0]?.id);
    expect(outbox.rows[0]?.payload.caseId).to.equal(created.id);
  });

  it('when many cases are registered at once, then every caseNo is 15 digits and unique', async () => {
    const operator = await createStaff('operator');

    const created = await Promise.all(Array.from({ length: 40 }, () => buildCase({}, operator)));

    const caseNos = created.map((c) => String(c.caseNo));
    expect(caseNos.every((n) => /^\d{15}$/.test(n))).to.equal(true);
    expect(new Set(caseNos).size).to.equal(40);
    expect(new Set(created.map((c) => String(c.id))).size).to.equal(40);
  });

  it('when receivedAt is more than 30 days back, then it needs a reason (400 without), and the reason is kept on the register event', async () => {
    const operator = await createStaff('operator');
    const receivedAt = new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString();

    const bare = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'letter', receivedAt }) });
    const reasoned = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'letter', receivedAt, receivedAtReason: '信件积压于县信访局，今日转来' }) });

    expect(bare.status, bare.text).to.equal(400);
    expect(bare.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['body.receivedAtReason']);
    expect(reasoned.status, reasoned.text).to.equal(201);
    expect(reasoned.body.receivedAt).to.equal(receivedAt);
    const { rows } = await harness().pool.query("SELECT data FROM case_events WHERE case_id = $1 AND action = 'register'", [reasoned.body.id]);
    expect(rows).to.deep.equal([{ data: { receivedAtReason: '信件积压于县信访局，今日转来', receivedBy: '3713-hotline' } }]);
  });

  it('when receivedAt is in the past (a letter received earlier), then it is kept', async () => {
    const operator = await createStaff('operator');
    const receivedAt = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();

    const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ channel: 'letter', receivedAt }) });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.receivedAt).to.equal(receivedAt);
    const { rows } = await harness().pool.query<{ received_at: Date }>('SELECT received_at FROM cases WHERE id = $1', [res.body.id]);
    expect(rows[0]?.received_at.toISOString()).to.equal(receivedAt);
  });

  it('when receivedAt is in the future, then 400 names body.receivedAt and nothing is stored', async () => {
    const operator = await createStaff('operator');
    const before = await countCases();

    const res = await request('POST', '/api/cases', {
      token: operator.token,
      body: intakeBody({ channel: 'letter', receivedAt: new Date(Date.now() + 3600 * 1000).toISOString() }),
    });

    expect(res.status, res.text).to.equal(400);
    expect(res.body.error.code).to.equal('validation_failed');
    expect(detailPaths(res.body)).to.include('body.receivedAt');
    expect(await countCases()).to.equal(before);
  });

  it('when an explicit divisionCode is given, then it wins over the address text', async () => {
    const operator = await createStaff('operator');

    const res = await request('POST', '/api/cases', {
      token: operator.token,
      body: intakeBody({ address: '临沂市费县探沂镇朱田村东', divisionCode: '371302' }),
    });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.divisionCode).to.equal('371302');
  });

  it('when no place is named anywhere, then divisionCode is null', async () => {
    const operator = await createStaff('operator');
    const body = intakeBody({ content: '咨询社保卡补办需要哪些材料' });
    delete body.address;

    const res = await request('POST', '/api/cases', { token: operator.token, body });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.divisionCode).to.equal(null);
  });

  it('when a migration adds a column to cases while the server runs, then intake on connections that already prepared its statement still answers 201', async () => {
    const operator = await createStaff('operator');
    // Routed cases: unrouted ones would wait in the centre's manual queue, which shows the oldest 100.
    const registerSome = (): Promise<{ status: number; text: string }[]> =>
      Promise.all(Array.from({ length: 12 }, () => request('POST', '/api/cases', { token: operator.token, body: intakeBody() })));
    const before = await registerSome();
    await harness().ownerPool.query('ALTER TABLE cases ADD COLUMN added_by_a_later_migration text');
    try {
      const after = await registerSome();

      expect(before.map((r) => r.status), before[0]?.text).to.deep.equal(Array(12).fill(201));
      expect(after.map((r) => r.status), after.find((r) => r.status !== 201)?.text).to.deep.equal(Array(12).fill(201));
    } finally {
      await harness().ownerPool.query('ALTER TABLE cases DROP COLUMN added_by_a_later_migration');
    }
  });

  describe('Idempotency-Key', () => {
    it('when the same intake is retried with the same key, then the second answer is 200 with the same case and only one is stored', async () => {
      const operator = await createStaff('operator');
      const key = `retry-${crypto.randomUUID()}`;
      const body = intakeBody();

      const first = await request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } });
      const second = await request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } });

      expect(first.status, first.text).to.equal(201);
      expect(second.status, second.text).to.equal(200);
      expect(second.body.id).to.equal(first.body.id);
      expect(second.body.caseNo).to.equal(first.body.caseNo);
      const { rows } = await harness().pool.query('SELECT id FROM cases WHERE created_by = $1 AND idempotency_key = $2', [operator.id, key]);
      expect(rows).to.have.length(1);
      const events = await harness().pool.query("SELECT 1 FROM case_events WHERE case_id = $1 AND action = 'register'", [first.body.id]);
      expect(events.rows, 'the retry wrote no second registration').to.have.length(1);
    });

    it('when the same key comes with a different body, then 409 and no second case', async () => {
      const operator = await createStaff('operator');
      const key = `retry-${crypto.randomUUID()}`;
      const first = await request('POST', '/api/cases', { token: operator.token, body: intakeBody(), headers: { 'Idempotency-Key': key } });
      const before = await countCases();

      const second = await request('POST', '/api/cases', {
        token: operator.token,
        body: intakeBody({ content: '完全不同的另一件事情，与第一次提交无关' }),
        headers: { 'Idempotency-Key': key },
      });

      expect(first.status).to.equal(201);
      expect(second.status, second.text).to.equal(409);
      expect(second.body.error.code).to.equal('conflict');
      expect(await countCases()).to.equal(before);
    });

    const changedFields: [string, Record<string, unknown>][] = [
      ['urgency', { urgency: 'emergency' }],
      ['address', { address: '临沂市兰山区金雀山街道' }],
      ['citizen', { citizen: { name: '王五', phone: '13900000000' } }],
      ['title', { title: '另一个标题' }],
      ['divisionCode', { divisionCode: '371302' }],
    ];
    for (const [field, change] of changedFields) {
      it(`when the same key comes with the same content but another ${field}, then 409 (it is not a retry) and the stored case is unchanged`, async () => {
        const operator = await createStaff('operator');
        const key = `retry-${crypto.randomUUID()}`;
        const body = intakeBody();
        const first = await request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } });
        const before = await countCases();

        const second = await request('POST', '/api/cases', { token: operator.token, body: { ...body, ...change }, headers: { 'Idempotency-Key': key } });

        expect(first.status).to.equal(201);
        expect(second.status, `a changed ${field} answered ${second.status} with the first case: the change was silently dropped`).to.equal(409);
        expect(second.body.error.code).to.equal('conflict');
        expect(await countCases()).to.equal(before);
        const stored = await request('GET', `/api/cases/${first.body.id}`, { token: operator.token });
        expect(stored.body.urgency).to.equal(first.body.urgency);
        expect(stored.body.citizen).to.deep.equal(first.body.citizen);
      });
    }

    it('when five retries with the same key arrive at once, then all answer with one and the same case', async () => {
      const operator = await createStaff('operator');
      const key = `burst-${crypto.randomUUID()}`;
      const body = intakeBody();

      const answers = await Promise.all(
        Array.from({ length: 5 }, () => request('POST', '/api/cases', { token: operator.token, body, headers: { 'Idempotency-Key': key } })),
      );

      expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => String(a.body.id))).size).to.equal(1);
      const { rows } = await harness().pool.query('SELECT id FROM cases WHERE created_by = $1 AND idempotency_key = $2', [operator.id, key]);
      expect(rows).to.have.length(1);
    });

    it('when two operators use the same key, then each gets a case of their own', async () => {
      const [alice, bob] = await Promise.all([createStaff('operator'), createStaff('operator')]);
      const key = `shared-${crypto.randomUUID()}`;

      const a = await request('POST', '/api/cases', { token: alice.token, body: intakeBody(), headers: { 'Idempotency-Key': key } });
      const b = await request('POST', '/api/cases', { token: bob.token, body: intakeBody(), headers: { 'Idempotency-Key': key } });

      expect([a.status, b.status]).to.deep.equal([201, 201]);
      expect(a.body.id).to.not.equal(b.body.id);
    });
  });

  describe('who may register', () => {
    for (const [role, unit] of [['handler', '371325'], ['admin', null]] as const) {
      it(`when a user with role ${role} posts a case, then 403 and nothing is stored`, async () => {
        const staff = await createStaff(role, unit);
        const before = await countCases();

        const res = await request('POST', '/api/cases', { token: staff.token, body: intakeBody() });

        expect(res.status, res.text).to.equal(403);
        expect(res.body.error.code).to.equal('forbidden');
        expect(await countCases()).to.equal(before);
      });
    }

    it('when a supervisor posts a case, then it is registered (operators and supervisors take calls)', async () => {
      const supervisor = await createStaff('supervisor');

      const res = await request('POST', '/api/cases', { token: supervisor.token, body: intakeBody() });

      expect(res.status, res.text).to.equal(201);
    });

    it('when nobody is signed in, then 401 and nothing is stored', async () => {
      const before = await countCases();

      const res = await request('POST', '/api/cases', { body: intakeBody() });

      expect(res.status).to.equal(401);
      expect(await countCases()).to.equal(before);
    });
  });

  describe('mass assignment', () => {
    const forbiddenFields: [string, unknown][] = [
      ['status', 'closed'],
      ['assignedUnit', { code: '371325', name: '费县' }],
      ['assignedUnitCode', '371325'],
      ['id', '00000000-0000-4000-8000-000000000000'],
      ['caseNo', '202601010000001'],
      ['queryCode', '000000'],
      ['deadlines', { acceptBy: '2099-01-01T00:00:00Z', replyBy: '2099-01-01T00:00:00Z' }],
      ['supervised', true],
    ];
    for (const [field, value] of forbiddenFields) {
      it(`when the body sets ${field}, then 400 names body.${field} and nothing is stored`, async () => {
        const operator = await createStaff('operator');
        const before = await countCases();

        const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ [field]: value }) });

        expect(res.status, res.text).to.equal(400);
        expect(res.body.error.code).to.equal('validation_failed');
        expect(detailPaths(res.body)).to.include(`body.${field}`);
        expect(await countCases()).to.equal(before);
      });
    }
  });
});
