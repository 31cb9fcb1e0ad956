import { expect } from 'chai';
import { insertDeadlineCases } from '../support/deadline-cases.js';
import { buildCase, createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';

const TANYI = '371325105';

describe('case fields for the console: allowed actions, working days left, the overdue filter', () => {
  it('when each role opens a dispatched case, then allowedActions lists exactly what the state table lets that user do', async () => {
    const created = await buildCase();
    const [handler, sibling, operator, supervisor] = [
      await createStaff('handler', TANYI),
      await createStaff('handler', '371325101'),
      await createStaff('operator'),
      await createStaff('supervisor'),
    ];

    const asHandler = await request('GET', `/api/cases/${created.id}`, { token: handler.token });
    const asOperator = await request('GET', `/api/cases/${created.id}`, { token: operator.token });
    const asSupervisor = await request('GET', `/api/cases/${created.id}`, { token: supervisor.token });
    const asSibling = await request('GET', `/api/cases/${created.id}`, { token: sibling.token });

    expect(asHandler.body.allowedActions).to.have.members(['accept', 'forward', 'return', 'request_extension', 'dispute_dispatch']);
    expect(asOperator.body.allowedActions).to.have.members(['dispatch', 'supplement']);
    expect(asSupervisor.body.allowedActions).to.have.members(['dispatch', 'supervise', 'supplement']);
    expect(asSibling.status).to.equal(404);
  });

  it('when the handler signs for the case, then the answer lists the next actions (reply among them, accept no longer)', async () => {
    const created = await buildCase();
    const handler = await createStaff('handler', TANYI);

    const res = await request('POST', `/api/cases/${created.id}/actions`, { token: handler.token, body: { action: 'accept' } });

    expect(res.status, res.text).to.equal(200);
    expect(res.body.allowedActions).to.include('reply').and.not.include('accept');
    expect(res.body.workingDaysLeft.accept, 'signed: the 签收 clock no longer runs').to.equal(null);
  });

  it('when cases are listed, then each carries the working days left to its running deadlines', async () => {
    const created = await buildCase();
    const operator = await createStaff('operator');

    const res = await request('GET', `/api/cases?q=${created.caseNo}`, { token: operator.token });

    const item = res.body.items.find((c: { id: string }) => c.id === created.id);
    expect(item.workingDaysLeft.reply, 'complaints have 5 working days').to.be.within(3, 5);
    expect(item.workingDaysLeft.accept).to.be.within(0, 1);
  });

  it('when the queue asks for overdue cases only, then only cases past a running deadline come back', async () => {
    const unit = TANYI;
    const [late] = await insertDeadlineCases(harness().pool, 1, { status: 'dispatched', unitCode: unit, acceptByIn: -60, replyByIn: 86_400, outbox: 'none' });
    const [onTime] = await insertDeadlineCases(harness().pool, 1, { status: 'dispatched', unitCode: unit, acceptByIn: 3_600, replyByIn: 86_400, outbox: 'none' });
    const handler = await createStaff('handler', unit);

    const res = await request('GET', '/api/cases?overdue=true&limit=200', { token: handler.token });

    expect(res.status, res.text).to.equal(200);
    const ids = res.body.items.map((c: { id: string }) => c.id);
    expect(ids).to.include(late);
    expect(ids).to.not.include(onTime);
  });
});
