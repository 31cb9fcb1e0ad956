import { expect } from 'chai';
import { QUERY_CODE_LOCK } from '../../api/public/query-code-guard.js';
import { act, buildCase, createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request, type TestResponse } from '../support/http.js';
import { closeAllSockets, collect, connect, track, waitFor } from '../realtime/sockets.js';

interface Receipt {
  readonly caseNo: string;
  readonly queryCode: string;
  readonly link: string;
}

async function writeToMailbox(): Promise<Receipt> {
  const res = await request('POST', '/api/public/mailbox', {
    ip: freshIp(),
    body: { name: '李四', phone: '13812341234', title: '反映一个情况', content: `希望有关部门核实处理 ${Math.random()}`, address: '临沂市兰山区金雀山街道' },
  });
  if (res.status !== 201) throw new Error(`mailbox failed: ${res.status} ${res.text}`);
  return res.body as Receipt;
}

/** A query code that is certainly not `code`, different for each `n`. */
const wrongCode = (code: string, n: number): string => String((Number(code) + 1 + n) % 1_000_000).padStart(6, '0');

const lookUp = (caseNo: string, code: string, link?: string): Promise<TestResponse> =>
  request('GET', `/api/public/cases/${caseNo}?code=${code}${link ? `&link=${link}` : ''}`, { ip: freshIp() });

/** Nine wrong codes over REST from nine addresses, the tenth over the socket from yet another. */
async function guessTenTimes(receipt: { caseNo: string; queryCode: string }): Promise<void> {
  for (let n = 0; n < QUERY_CODE_LOCK.maxFailures - 1; n += 1) {
    const res = await lookUp(receipt.caseNo, wrongCode(receipt.queryCode, n));
    expect(res.status, res.text).to.equal(404);
  }
  const socket = await connect();
  const ack = await track(socket, { caseNo: receipt.caseNo, code: wrongCode(receipt.queryCode, 99) });
  expect(ack).to.deep.equal({ ok: false, error: { code: 'not_found', message: 'Case not found' } });
}

describe('query codes: per-case guessing limit, signed links, staff (issue 11 items 4 and 5)', () => {
  afterEach(closeAllSockets);

  it('when ten wrong codes come for one case from different addresses over REST and the socket, then the case is locked (429) even for the right code, and the centre is told', async () => {
    const supervisor = await createStaff('supervisor');
    const centre = await connect({ token: supervisor.token });
    const alerts = collect(centre, 'centre:query-code-guessing');
    const receipt = await writeToMailbox();

    await guessTenTimes(receipt);
    const rest = await lookUp(receipt.caseNo, receipt.queryCode);
    const socket = await connect();
    const ack = await track(socket, { caseNo: receipt.caseNo, code: receipt.queryCode });
    const chase = await request('POST', `/api/public/cases/${receipt.caseNo}/escalations`, { ip: freshIp(), body: { code: receipt.queryCode, reason: '催一下' } });

    expect(rest.status, rest.text).to.equal(429);
    expect(rest.body.error.code).to.equal('rate_limited');
    expect(ack.ok).to.equal(false);
    expect(!ack.ok && ack.error.code).to.equal('rate_limited');
    expect(chase.status).to.equal(429);
    await waitFor(() => alerts.length > 0, 5_000, 'the centre hearing of the lock');
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ caseNo: receipt.caseNo, exists: true, failures: QUERY_CODE_LOCK.maxFailures });
  });

  it('when a locked case is looked up with the signed link of its receipt, then the citizen still reaches it, over REST and the socket', async () => {
    const receipt = await writeToMailbox();
    await guessTenTimes(receipt);

    const rest = await lookUp(receipt.caseNo, receipt.queryCode, receipt.link);
    const socket = await connect();
    const ack = await track(socket, { caseNo: receipt.caseNo, code: receipt.queryCode, link: receipt.link });
    const otherLink = await lookUp(receipt.caseNo, receipt.queryCode, (await writeToMailbox()).link);

    expect(rest.status, rest.text).to.equal(200);
    expect(rest.body.caseNo).to.equal(receipt.caseNo);
    expect(ack.ok).to.equal(true);
    expect(otherLink.status, "another case's link does not open this one").to.equal(429);
  });

  it('when an unknown case number is guessed at ten times, then it is locked exactly like a real one', async () => {
    const caseNo = `2099${String(Date.now()).slice(-11)}`;
    await guessTenTimes({ caseNo, queryCode: '123456' });

    const unknown = await lookUp(caseNo, '123456');
    const known = await writeToMailbox();
    await guessTenTimes(known);
    const real = await lookUp(known.caseNo, known.queryCode);

    expect(unknown.status).to.equal(429);
    expect(unknown.text).to.equal(real.text);
  });

  it('when chase, rating or review carry a wrong code, then each answers exactly as for an unknown case number', async () => {
    const receipt = await writeToMailbox();
    const fields: Record<string, Record<string, string>> = { escalations: { reason: '请尽快处理' }, rating: { satisfaction: 'satisfied' }, review: { reason: '请复查' } };
    for (const [path, rest] of Object.entries(fields)) {
      const wrong = await request('POST', `/api/public/cases/${receipt.caseNo}/${path}`, { ip: freshIp(), body: { code: wrongCode(receipt.queryCode, 0), ...rest } });
      const unknown = await request('POST', `/api/public/cases/209912310000001/${path}`, { ip: freshIp(), body: { code: receipt.queryCode, ...rest } });

      expect(wrong.status, `${path}: ${wrong.text}`).to.equal(404);
      expect(wrong.text, path).to.equal(unknown.text);
    }
  });

  it('when unit staff or an operator read a case, then no query code is shown; the intake response and the centre show it', async () => {
    const operator = await createStaff('operator');
    const created = await buildCase({}, operator);
    const handler = await createStaff('handler', created.assignedUnit?.code ?? '371325105');
    const supervisor = await createStaff('supervisor');

    const byOperator = await request('GET', `/api/cases/${created.id}`, { token: operator.token });
    const listed = await request('GET', `/api/cases?q=${created.caseNo}`, { token: operator.token });
    const byHandler = await request('GET', `/api/cases/${created.id}`, { token: handler.token });
    const bySupervisor = await request('GET', `/api/cases/${created.id}`, { token: supervisor.token });

    expect(created.queryCode).to.match(/^\d{6}$/);
    expect(byOperator.status).to.equal(200);
    expect(byOperator.body).to.not.have.property('queryCode');
    expect(listed.body.items[0]).to.not.have.property('queryCode');
    expect(byHandler.status, byHandler.text).to.equal(200);
    expect(byHandler.text).to.not.include(created.queryCode);
    expect(bySupervisor.body.queryCode).to.equal(created.queryCode);
  });

  it('when a rating is sent with a staff bearer token, then it is refused (403) and the case is not rated', async () => {
    const supervisor = await createStaff('supervisor');
    const receipt = await writeToMailbox();
    const { rows } = await harness().pool.query<{ id: string; assigned_unit_code: string | null }>('SELECT id, assigned_unit_code FROM cases WHERE case_no = $1', [receipt.caseNo]);
    const caseId = String(rows[0]?.id);
    const unitCode = rows[0]?.assigned_unit_code ?? '371325105';
    if (!rows[0]?.assigned_unit_code) await act(caseId, (await createStaff('operator')).token, { action: 'dispatch', unitCode });
    const handler = await createStaff('handler', unitCode);
    await act(caseId, handler.token, { action: 'accept' });
    await act(caseId, handler.token, { action: 'reply', reply: '已处理' });

    const res = await request('POST', `/api/public/cases/${receipt.caseNo}/rating`, { token: supervisor.token, ip: freshIp(), body: { code: receipt.queryCode, satisfaction: 'satisfied' } });

    expect(res.status, res.text).to.equal(403);
    const after = await harness().pool.query('SELECT rating, status FROM cases WHERE id = $1', [rows[0]?.id]);
    expect(after.rows[0]).to.deep.equal({ rating: null, status: 'replied' });
  });
});
