import { expect } from 'chai';
import crypto from 'node:crypto';
import { buildCase, createStaff, intakeBody, type Staff } from '../support/factories.js';
import { freshIp, request } from '../support/http.js';

// 沂南县: no other test file dispatches there.
const YINAN = '371321';
const JIEHU = '371321001'; // 界湖街道
const LINSHU = '371329';

async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
  if (res.status !== 200) throw new Error(`${String(body.action)} failed: ${res.status} ${res.text}`);
  return res.body;
}

const inJiehu = { address: '临沂市沂南县界湖街道', dispatchTo: JIEHU };

describe("the centre's queues and the dashboard's case mix", () => {
  let supervisor: Staff;
  let handler: Staff;

  before(async () => {
    supervisor = await createStaff('supervisor');
    handler = await createStaff('handler', JIEHU);
  });

  describe('GET /api/centre/queues', () => {
    it("when cases wait because the centre keeps such requests, because the words and the classifier disagreed, or because nothing was sure, then each row says which", async () => {
      const operator = await createStaff('operator');
      const marker = crypto.randomBytes(3).toString('hex');
      const register = async (content: string): Promise<string> => {
        const res = await request('POST', '/api/cases', { token: operator.token, body: intakeBody({ title: undefined, content: `${content} #${marker}`, address: undefined }) });
        expect(res.status, res.text).to.equal(201);
        return res.body.id as string;
      };
      const kept = await register('俺是兰陵县卞庄街道的，前年借给俺朋友三万块钱，欠条也打了，现在人找不着了，电话也把俺拉黑了，恁说咋办？');
      const disputed = await register('兰陵县卞庄街道这边连着三个晚上半夜打桩，夜间施工噪音吵得全楼都睡不着。');
      const unsure = await register('想反映个情况，具体的等我想好了再打过来');

      const queues = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      const waiting = (id: string): unknown => queues.body.manual.find((m: { id: string }) => m.id === id)?.waiting;
      expect([waiting(kept), waiting(disputed), waiting(unsure)]).to.deep.equal(['kept', 'disputed', null]);
    });

    // At the largest limit: a case missing from the 100 oldest proves nothing about the queue.
    it('when a township returns a case with its reason, then the manual queue lists it with the reason and the unit, until the centre dispatches it again', async () => {
      const c = await buildCase(inJiehu);
      await act(handler, c.id, { action: 'return', reason: '该路段属县住建局管辖' });

      const queues = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      expect(queues.status).to.equal(200);
      const row = queues.body.manual.find((m: { id: string }) => m.id === c.id);
      expect(row.statusLabel).to.equal('已退单');
      expect(row.lastReturn).to.include({ unitCode: JIEHU, unitName: '界湖街道', reason: '该路段属县住建局管辖' });

      await act(supervisor, c.id, { action: 'dispatch', unitCode: `${YINAN}-zhujian`, coUnits: [JIEHU] });
      const after = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      expect(after.body.manual.map((m: { id: string }) => m.id)).not.to.include(c.id);
    });

    it('when a unit asks for more time and a citizen chases a case, then the extension and the chase are listed', async () => {
      const c = await buildCase(inJiehu);
      await act(handler, c.id, { action: 'accept' });
      await act(handler, c.id, { action: 'request_extension', days: 5, reason: '需协调供电公司' });
      const chase = await request('POST', `/api/public/cases/${c.caseNo}/escalations`, { ip: freshIp(), body: { code: c.queryCode, reason: '一周了还没修好' } });
      expect(chase.status).to.be.lessThan(300);

      const queues = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      expect(queues.body.extensions.find((m: { id: string }) => m.id === c.id).pendingExtension).to.include({ days: 5, reason: '需协调供电公司' });
      expect(queues.body.chased.find((m: { id: string }) => m.id === c.id).lastCitizenEscalationAt).to.be.a('string');
    });

    it('when more cases wait than the limit, then each list holds `limit` of them and totals counts them all, as cases come and go', async () => {
      const totalsNow = async (): Promise<{ manual: number; extensions: number; chased: number }> => {
        const res = await request('GET', '/api/centre/queues?limit=1', { token: supervisor.token });
        expect(res.status, res.text).to.equal(200);
        expect(res.body.manual).to.have.length.of.at.most(1);
        return res.body.totals;
      };
      const before = await totalsNow();
      const returned = await buildCase(inJiehu);
      await act(handler, returned.id, { action: 'return', reason: '不属本街道管辖' });
      const unrouted = await buildCase({ title: '反映情况', content: '想反映一个情况，希望有关方面核实处理', address: '临沂市沂南县界湖街道' });
      const asking = await buildCase(inJiehu);
      await act(handler, asking.id, { action: 'accept' });
      await act(handler, asking.id, { action: 'request_extension', days: 3, reason: '需协调' });

      const waiting = await totalsNow();
      expect(waiting).to.deep.equal({ manual: before.manual + 2, extensions: before.extensions + 1, chased: before.chased });

      await act(supervisor, returned.id, { action: 'dispatch', unitCode: `${YINAN}-zhujian` });
      expect(await totalsNow()).to.deep.equal({ ...waiting, manual: waiting.manual - 1 });
      const all = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      if (all.body.totals.manual <= 200) expect(all.body.manual).to.have.length(all.body.totals.manual);
      // Leaves the centre's queue as it found it: the console's test finds its case among the oldest 100.
      await act(supervisor, unrouted.id, { action: 'dispatch', unitCode: JIEHU });
    });

    it("when a disclosure office asks for more time, then the centre's queue leaves it to the office's head (art. 33)", async () => {
      const c = await buildCase({ channel: 'online', type: 'disclosure', content: '申请公开本县道路养护经费的使用情况', address: '临沂市沂南县' });
      const office = await createStaff('handler', c.assignedUnit.code);
      await act(office, c.id, { action: 'accept' });
      await act(office, c.id, { action: 'request_extension', days: 20, reason: '需调取档案' });
      const queues = await request('GET', '/api/centre/queues?limit=200', { token: supervisor.token });
      expect(queues.body.extensions.map((m: { id: string }) => m.id)).not.to.include(c.id);
    });

    it("when a unit's handler or an operator asks, then 403", async () => {
      expect((await request('GET', '/api/centre/queues', { token: handler.token })).status).to.equal(403);
      expect((await request('GET', '/api/centre/queues', { token: (await createStaff('operator')).token })).status).to.equal(403);
    });
  });

  describe('GET /api/stats/case-mix', () => {
    it('when cases arrive in a township, then its week, channel and division count them, for the centre and for the township itself', async () => {
      const from = new Date().toISOString();
      await buildCase(inJiehu);
      await buildCase({ ...inJiehu, channel: 'letter' });
      const to = new Date(Date.now() + 60_000).toISOString();

      for (const token of [supervisor.token, handler.token]) {
        const mix = await request('GET', `/api/stats/case-mix?parent=${JIEHU}&from=${from}&to=${to}`, { token });
        expect(mix.status).to.equal(200);
        expect(mix.body.weeks.reduce((sum: number, w: { received: number }) => sum + w.received, 0)).to.equal(2);
        expect(mix.body.channels).to.deep.include({ channel: 'letter', label: '信函', received: 1 });
        expect(mix.body.divisions).to.deep.equal([{ code: JIEHU, name: '界湖街道', countyCode: YINAN, countyName: '沂南县', received: 2 }]);
      }
    });

    it("when a handler asks about another county, then 403; a bad period, then 400", async () => {
      expect((await request('GET', `/api/stats/case-mix?parent=${LINSHU}`, { token: handler.token })).status).to.equal(403);
      expect((await request('GET', '/api/stats/case-mix?from=2026-02-01&to=2026-01-01', { token: supervisor.token })).status).to.equal(400);
    });
  });

  describe('GET /api/stats/term-series', () => {
    it('when terms are asked for over a month, then one count per day comes back for each term', async () => {
      const res = await request('GET', `/api/stats/term-series?terms=${encodeURIComponent('路灯,噪音')}&from=2026-01-01&to=2026-01-31`, { token: supervisor.token });
      expect(res.status).to.equal(200);
      expect(res.body.days).to.have.length(31);
      expect(res.body.items.map((i: { term: string }) => i.term)).to.deep.equal(['路灯', '噪音']);
      expect(res.body.items[0].counts).to.have.length(31);
    });

    it('when no terms or a handler, then 400 and 403', async () => {
      expect((await request('GET', '/api/stats/term-series?terms=', { token: supervisor.token })).status).to.equal(400);
      expect((await request('GET', '/api/stats/term-series?terms=a', { token: handler.token })).status).to.equal(403);
    });
  });
});
