import crypto from 'node:crypto';
import { expect } from 'chai';
import type { CaseStatus } from '../../models/cases/case.js';
import { ACTIONS, checkTransition, type ActorKind, type CaseAction } from '../../models/cases/case-workflow.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

const TANYI = '371325105';

// A body the API's schema accepts for each action, so that what answers is the state table.
const BODIES: Record<CaseAction, Record<string, unknown>> = {
  dispatch: { unitCode: TANYI },
  accept: {},
  forward: { unitCode: TANYI },
  return: { reason: '不属于本单位职责' },
  request_extension: { days: 3, reason: '需要协调' },
  approve_extension: {},
  reject_extension: { reason: '理由不足' },
  request_amendment: { note: '请补充材料' },
  amendment_received: {},
  reply: { reply: '已经处理完毕' },
  close: {},
  return_visit: { satisfaction: 'satisfied' },
  reopen: { reason: '重新办理' },
  supervise: { note: '请加快办理' },
  merge: { intoCaseId: crypto.randomUUID() },
  assign: { unitCode: TANYI },
  feedback: { note: '办理情况' },
  accept_petition: {},
  reject_petition: { reason: '属于劳动争议', properChannel: 'arbitration' },
  request_third_party_opinion: { party: '某某公司', reason: '涉及商业秘密' },
  third_party_opinion_received: { agreed: true },
  third_party_no_answer: {},
  dispute_dispatch: { reason: '不属于本单位职责' },
  arbitrate_dispute: { unitCode: TANYI, reason: '属地管理' },
  appeal_rating: { reason: '诉求超出政府职责范围' },
  decide_rating_appeal: { upheld: true, reason: '诉求不合理' },
  supplement: { content: '来电人补充：问题仍未解决' },
};

const act = (by: Staff, caseId: string, action: CaseAction, body: Record<string, unknown> = BODIES[action]) =>
  request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body: { action, ...body } });

describe('state table against behaviour: every refusal the table makes is what the API answers', function () {
  this.timeout(120_000);
  let operator: Staff;
  let supervisor: Staff;
  let handler: Staff;

  before(async () => {
    [operator, supervisor, handler] = await Promise.all([createStaff('operator'), createStaff('supervisor'), createStaff('handler', TANYI)]);
  });

  /** A case brought to `status` through real actions only (registered: no routing rule matches its text). */
  async function caseIn(status: CaseStatus): Promise<string> {
    const c = await buildCase({ title: '反映情况', content: `想反映一个情况，希望有关方面核实 ${crypto.randomBytes(3).toString('hex')}` }, operator);
    const steps: Partial<Record<CaseStatus, [Staff, CaseAction][]>> = {
      dispatched: [[operator, 'dispatch']],
      in_progress: [[operator, 'dispatch'], [handler, 'accept']],
      returned: [[operator, 'dispatch'], [handler, 'accept'], [handler, 'return']],
      replied: [[operator, 'dispatch'], [handler, 'accept'], [handler, 'reply']],
      closed: [[operator, 'dispatch'], [handler, 'accept'], [handler, 'reply'], [operator, 'close']],
    };
    for (const [by, action] of steps[status] ?? []) {
      const res = await act(by, c.id, action);
      expect(res.status, `${action}: ${res.text}`).to.equal(200);
    }
    const reached = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
    expect(reached.body.status).to.equal(status);
    return c.id as string;
  }

  const statuses: CaseStatus[] = ['registered', 'dispatched', 'in_progress', 'returned', 'replied', 'closed'];
  for (const status of statuses) {
    it(`when a case is ${status}, then each staff action the table refuses is refused with the table's status, and the case does not move`, async () => {
      const caseId = await caseIn(status);
      // The handler of the assigned unit sees the case only while its unit holds it.
      const actors: [ActorKind, Staff][] = [['operator', operator], ['supervisor', supervisor]];
      if (!['registered', 'returned'].includes(status)) actors.push(['assigned_handler', handler]);
      let refused = 0;
      for (const action of ACTIONS) {
        for (const [kind, staff] of actors) {
          const refusal = checkTransition(action, status, kind);
          if (!refusal) continue;
          const res = await act(staff, caseId, action);
          expect(res.status, `${kind} ${action} on ${status}: ${res.text}`).to.equal(refusal.status);
          refused += 1;
        }
      }
      expect(refused).to.be.greaterThan(10);
      const after = await request('GET', `/api/cases/${caseId}`, { token: supervisor.token });
      expect(after.body.status).to.equal(status);
    });
  }

  it('when the table allows an action, then the API takes it and the case lands where the table says', async () => {
    const registered = await caseIn('registered');
    expect(checkTransition('dispatch', 'registered', 'operator')).to.equal(null);
    expect((await act(operator, registered, 'dispatch')).body.status).to.equal('dispatched');
    expect(checkTransition('accept', 'dispatched', 'assigned_handler')).to.equal(null);
    expect((await act(handler, registered, 'accept')).body.status).to.equal('in_progress');
    expect(checkTransition('return', 'in_progress', 'assigned_handler')).to.equal(null);
    expect((await act(handler, registered, 'return')).body.status).to.equal('returned');
    const replied = await caseIn('replied');
    expect(checkTransition('reopen', 'replied', 'supervisor')).to.equal(null);
    expect((await act(supervisor, replied, 'reopen')).body.status).to.equal('dispatched');
  });
});
