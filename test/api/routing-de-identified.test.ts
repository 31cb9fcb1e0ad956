import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaff, intakeBody, type Staff } from '../support/factories.js';
import { request, type TestResponse } from '../support/http.js';

// Rules made here have a priority above every default and keywords only these cases contain; each
// is deleted in `after`.

const TANYI_ADDRESS = '临沂市费县探沂镇朱田村东';
const created: string[] = [];
let admin: Staff;
let operator: Staff;

async function createRule(keyword: string): Promise<string> {
  const id = `test-deid-${crypto.randomBytes(4).toString('hex')}`;
  const res = await request('POST', '/api/routing-rules', {
    token: admin.token,
    body: { id, name: `测试规则：${keyword}`, priority: 5000, enabled: true, conditions: { keywords: { anyOf: [keyword] } }, target: { kind: 'unit', unitCode: '3713-hotline' } },
  });
  if (res.status !== 201) throw new Error(`rule ${keyword}: ${res.status} ${res.text}`);
  created.push(id);
  return id;
}

const streetLight = (contact: string): Record<string, unknown> =>
  intakeBody({ title: '路灯不亮', content: `村东头的路灯坏了一周，晚上出行不便，${contact}`, address: TANYI_ADDRESS });

const simulate = (body: Record<string, unknown>): Promise<TestResponse> => request('POST', '/api/routing-rules/simulate', { token: operator.token, body });

describe('routing reads the de-identified text (issue 12 item 2)', () => {
  before(async () => {
    admin = await createStaff('admin');
    operator = await createStaff('operator');
  });
  after(async () => {
    for (const id of created) await request('DELETE', `/api/routing-rules/${id}`, { token: admin.token });
  });

  it("when a phone number, an identity number or a bank card holds a rule's keyword digits, then simulate and intake route as without them", async () => {
    const digits = String(crypto.randomInt(1000, 9999));
    const ruleId = await createRule(digits);
    const contacts = [
      `我的电话139-${digits}-5678`,
      `手机 +86 138 ${digits} 0000`,
      // No label: 身份证 itself is a matter of the police.
      `本人（37132519900307${digits}）`,
      `银行卡 6222 0212 ${digits} 7890`,
      `座机(0539)${digits}123`,
    ];
    const plain = await simulate(streetLight('请尽快修理'));
    expect(plain.status, plain.text).to.equal(200);

    for (const contact of contacts) {
      const body = streetLight(contact);
      const simulated = await simulate(body);
      const intake = await request('POST', '/api/cases', { token: operator.token, body });

      expect(simulated.body.routing.ruleId, contact).to.not.equal(ruleId);
      expect(simulated.body.routing.ruleId, contact).to.equal(plain.body.routing.ruleId);
      expect(intake.status, intake.text).to.equal(201);
      expect(intake.body.routing?.ruleId ?? null, contact).to.equal(plain.body.routing.ruleId ?? null);
      expect(intake.body.assignedUnit?.code ?? null, contact).to.equal(plain.body.assignedUnit?.code ?? null);
      expect(intake.body.content, 'staff keep the whole text').to.include(digits);
    }
    const control = await simulate(streetLight(`编号${digits}的路灯`));
    expect(control.body.routing.ruleId, 'the same digits outside a contact detail still match').to.equal(ruleId);
  });

  it('when an e-mail address or a named WeChat id spells a rule keyword, then it does not decide the route', async () => {
    const word = `dept${crypto.randomBytes(3).toString('hex')}`;
    const ruleId = await createRule(word);

    for (const contact of [`回复请发邮件到${word}@linyi.gov.cn`, `微信号：${word}`]) {
      const simulated = await simulate(streetLight(contact));
      expect(simulated.status, simulated.text).to.equal(200);
      expect(simulated.body.routing.ruleId, contact).to.not.equal(ruleId);
    }
    const control = await simulate(streetLight(`关于${word}的问题`));
    expect(control.body.routing.ruleId).to.equal(ruleId);
  });
});
