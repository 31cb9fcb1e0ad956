import crypto from 'node:crypto';
import { expect } from 'chai';
import { act, createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

async function countCases(): Promise<number> {
  const { rows } = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return rows[0]?.n ?? -1;
}

function letter(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: '张三丰',
    phone: '13812341234',
    email: 'zhang.sanfeng@example.com',
    // No routing keyword (噪音, 路灯, …): the case stays registered whether or not intake routes.
    title: '反映一个情况',
    // A word before the random suffix: one that happens to be all digits would be masked with the phone number.
    content: `希望有关部门核实处理，请联系我13999998888 编号${crypto.randomBytes(3).toString('hex')}`,
    address: '临沂市兰山区金雀山街道',
    ...overrides,
  };
}

/** A query code that is certainly not `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

async function writeToMailbox(body: Record<string, unknown> = letter()): Promise<{ caseNo: string; queryCode: string }> {
  const res = await request('POST', '/api/public/mailbox', { body, ip: freshIp() });
  if (res.status !== 201) throw new Error(`mailbox failed: ${res.status} ${res.text}`);
  return res.body as { caseNo: string; queryCode: string };
}

describe("the mayor's mailbox and the citizen's view", () => {
  describe('POST /api/public/mailbox', () => {
    it('when a citizen writes without an account, then 201 returns only {caseNo, queryCode} and the signed link to the case', async () => {
      const res = await request('POST', '/api/public/mailbox', { body: letter(), ip: freshIp() });

      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.have.all.keys('caseNo', 'queryCode', 'link', 'trackUrl');
      expect(res.body.caseNo).to.match(/^\d{15}$/);
      expect(res.body.queryCode).to.match(/^\d{6}$/);
      expect(res.body.link).to.match(/^[\w-]{22}$/);
      expect(res.body.trackUrl).to.equal(`/?caseNo=${res.body.caseNo}&code=${res.body.queryCode}&link=${res.body.link}`);
    });

    it('when a letter is stored, then it is a registered mailbox case with its register event and outbox row', async () => {
      const receipt = await writeToMailbox();

      const { rows } = await harness().pool.query<{ id: string; channel: string; status: string; query_code: string; division_code: string }>(
        'SELECT id, channel, status, query_code, division_code FROM cases WHERE case_no = $1',
        [receipt.caseNo],
      );
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ channel: 'mailbox', status: 'registered', query_code: receipt.queryCode });
      expect(rows[0]?.division_code).to.match(/^371302/);
      const events = await harness().pool.query('SELECT action FROM case_events WHERE case_id = $1', [rows[0]?.id]);
      const outbox = await harness().pool.query('SELECT topic FROM outbox WHERE case_id = $1', [rows[0]?.id]);
      expect(events.rows).to.deep.equal([{ action: 'register' }]);
      expect(outbox.rows).to.have.length(1);
      expect(outbox.rows[0]?.topic).to.match(/^case\.register(ed)?$/);
    });

    it('when one ip sends more than 10 letters in a minute, then the 11th gets 429 and is not stored', async () => {
      const ip = freshIp();
      const before = await countCases();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await request('POST', '/api/public/mailbox', { body: letter(), ip })).status);

      const eleventh = await request('POST', '/api/public/mailbox', { body: letter(), ip });
      const otherIp = await request('POST', '/api/public/mailbox', { body: letter(), ip: freshIp() });

      expect(statuses).to.deep.equal(Array(10).fill(201));
      expect(eleventh.status, eleventh.text).to.equal(429);
      expect(eleventh.body.error).to.include({ code: 'rate_limited' });
      expect(otherIp.status, 'another citizen is not held back').to.equal(201);
      expect(await countCases()).to.equal(before + 11);
    });
  });

  describe('GET /api/public/cases/:caseNo?code=', () => {
    it('when the citizen looks up the case with its code, then the view is de-identified', async () => {
      const receipt = await writeToMailbox();
      const { rows } = await harness().pool.query<{ id: string }>('SELECT id FROM cases WHERE case_no = $1', [receipt.caseNo]);
      const caseId = rows[0]?.id ?? '';

      const res = await request('GET', `/api/public/cases/${receipt.caseNo}?code=${receipt.queryCode}`, { ip: freshIp() });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.caseNo).to.equal(receipt.caseNo);
      expect(res.body.status).to.equal('registered');
      expect(res.body.citizen).to.deep.equal({ name: '张**', phone: '138****1234' });
      expect(res.body).to.not.have.any.keys('id', 'queryCode', 'email', 'externalId', 'createdBy');
      expect(res.body.content).to.include('139****8888');
      expect(res.text).to.not.include('13999998888');
      expect(res.text).to.not.include('13812341234');
      expect(res.text).to.not.include('张三丰');
      expect(res.text).to.not.include('zhang.sanfeng@example.com');
      expect(res.text).to.not.include(caseId);
      expect(res.text).to.not.include(`"${receipt.queryCode}"`);
    });

    it('when the case has an internal (non-public) event, then the citizen sees only the public ones', async () => {
      const receipt = await writeToMailbox();
      const { rows } = await harness().pool.query<{ id: string; assigned_unit_code: string | null }>('SELECT id, assigned_unit_code FROM cases WHERE case_no = $1', [receipt.caseNo]);
      const caseId = String(rows[0]?.id);
      const unitCode = rows[0]?.assigned_unit_code ?? '371325105';
      if (!rows[0]?.assigned_unit_code) await act(caseId, (await createStaff('operator')).token, { action: 'dispatch', unitCode });
      // An extension request is internal: the unit asks the centre, with its reasons.
      await act(caseId, (await createStaff('handler', unitCode)).token, { action: 'request_extension', days: 3, reason: '内部备注：此人多次来电' });

      const res = await request('GET', `/api/public/cases/${receipt.caseNo}?code=${receipt.queryCode}`, { ip: freshIp() });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.events.map((e: { action: string }) => e.action)).to.deep.equal(['register', 'dispatch']);
      expect(res.text).to.not.include('内部备注');
      expect(res.body.events[0]).to.not.have.any.keys('actor', 'actorId', 'public');
    });

    it('when the code is wrong, then the answer is exactly that of an unknown case number (404, same body)', async () => {
      const receipt = await writeToMailbox();

      const wrongCode = await request('GET', `/api/public/cases/${receipt.caseNo}?code=${otherCode(receipt.queryCode)}`, { ip: freshIp() });
      const unknownCase = await request('GET', `/api/public/cases/209901010000001?code=${receipt.queryCode}`, { ip: freshIp() });

      expect(wrongCode.status).to.equal(404);
      expect(unknownCase.status).to.equal(404);
      expect(wrongCode.body).to.deep.equal(unknownCase.body);
      expect(wrongCode.text).to.equal(unknownCase.text);
      expect(wrongCode.body.error.code).to.equal('not_found');
    });

    it('when the code is missing, then 400 names query.code', async () => {
      const receipt = await writeToMailbox();

      const res = await request('GET', `/api/public/cases/${receipt.caseNo}`, { ip: freshIp() });

      expect(res.status).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('query.code');
    });

    it('when one ip guesses codes more than 30 times in a minute, then it gets 429', async () => {
      // Spread over four cases, so that no case takes enough wrong codes to be locked by itself.
      const receipts = await Promise.all([1, 2, 3, 4].map(() => writeToMailbox()));
      const ip = freshIp();
      const statuses: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const receipt = receipts[i % receipts.length] ?? receipts[0];
        statuses.push((await request('GET', `/api/public/cases/${receipt?.caseNo}?code=${otherCode(receipt?.queryCode ?? '')}`, { ip })).status);
      }

      const next = await request('GET', `/api/public/cases/${receipts[0]?.caseNo}?code=${receipts[0]?.queryCode}`, { ip });

      expect(statuses.every((s) => s === 404)).to.equal(true);
      expect(next.status, next.text).to.equal(429);
      expect(next.body.error.code).to.equal('rate_limited');
    });

    it('when staff read the same case, then they see the citizen in full', async () => {
      const receipt = await writeToMailbox();
      const operator = await createStaff('operator');
      const list = await request('GET', `/api/cases?q=${receipt.caseNo}`, { token: operator.token });
      expect(list.status, list.text).to.equal(200);
      expect(list.body.items).to.have.length(1);

      const res = await request('GET', `/api/cases/${list.body.items[0].id}`, { token: operator.token });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.citizen).to.deep.equal({ name: '张三丰', phone: '13812341234', email: 'zhang.sanfeng@example.com' });
      expect(res.body.content).to.include('13999998888');
      expect(res.body, 'only the intake response and the centre show the query code').to.not.have.property('queryCode');
    });
  });
});
