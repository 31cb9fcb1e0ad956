import crypto from 'node:crypto';
import { expect } from 'chai';
import { act, buildCase, createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

/** A word that appears in no other test's cases, to list only this test's cases with ?q=. */
function marker(): string {
  return `mk${crypto.randomBytes(6).toString('hex')}`;
}

let centre: Promise<Staff> | undefined;

/**
 * A case assigned to `unitCode` by the centre's dispatch, or, when it is null, one waiting for
 * dispatch: registered with no address and no word a default rule routes on.
 */
async function caseFor(unitCode: string | null, overrides: Record<string, unknown> = {}): Promise<{ id: string; caseNo: string }> {
  centre ??= createStaff('operator');
  const operator = await centre;
  if (!unitCode) {
    const waiting = await buildCase({ title: '反映一个情况', content: '希望有关部门核实处理一下这个情况', address: undefined, ...overrides }, operator);
    if (waiting.status !== 'registered') throw new Error(`the rules routed a case meant to wait: ${JSON.stringify(waiting)}`);
    return { id: String(waiting.id), caseNo: String(waiting.caseNo) };
  }
  const created = await buildCase(overrides, operator);
  await act(String(created.id), operator.token, { action: 'dispatch', unitCode });
  return { id: String(created.id), caseNo: String(created.caseNo) };
}

async function listIds(token: string, query: string): Promise<string[]> {
  const res = await request('GET', `/api/cases?${query}`, { token });
  if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
  return (res.body.items as { id: string }[]).map((c) => c.id);
}

describe('who sees which case (GET /api/cases, GET /api/cases/:id)', () => {
  describe('handlers see their own unit and the units below it', () => {
    it('when a case is assigned to 探沂镇, then a handler of 费县 (above it) sees it in the list and by id', async () => {
      const mk = marker();
      const kase = await caseFor('371325105', { content: `探沂镇的路灯坏了 ${mk}` });
      const handler = await createStaff('handler', '371325');

      const ids = await listIds(handler.token, `q=${mk}`);
      const one = await request('GET', `/api/cases/${kase.id}`, { token: handler.token });

      expect(ids).to.deep.equal([kase.id]);
      expect(one.status, one.text).to.equal(200);
      expect(one.body.assignedUnit).to.deep.equal({ code: '371325105', name: '探沂镇' });
      expect(one.body.events).to.be.an('array').with.length.greaterThan(0);
    });

    it('when a case is assigned to 探沂镇, then a handler of 兰山区 gets 404 for it and does not see it in the list', async () => {
      const mk = marker();
      const kase = await caseFor('371325105', { content: `探沂镇的路灯坏了 ${mk}` });
      const handler = await createStaff('handler', '371302');
      const missing = await request('GET', `/api/cases/${crypto.randomUUID()}`, { token: handler.token });

      const ids = await listIds(handler.token, `q=${mk}`);
      const one = await request('GET', `/api/cases/${kase.id}`, { token: handler.token });

      expect(ids).to.deep.equal([]);
      expect(one.status).to.equal(404);
      expect(one.body, 'another unit’s case answers exactly like a missing one').to.deep.equal(missing.body);
    });

    it('when a case is assigned to 费县, then a handler of 探沂镇 (below it) does not see it', async () => {
      const mk = marker();
      const kase = await caseFor('371325', { content: `县里的事情 ${mk}` });
      const handler = await createStaff('handler', '371325105');

      const ids = await listIds(handler.token, `q=${mk}`);
      const one = await request('GET', `/api/cases/${kase.id}`, { token: handler.token });

      expect(ids).to.deep.equal([]);
      expect(one.status).to.equal(404);
    });

    it('when a case is assigned to a department of 费县, then the 费县 handler sees it and the city petitions office does not', async () => {
      const mk = marker();
      const kase = await caseFor('371325-renshe', { content: `社保问题 ${mk}` });
      const county = await createStaff('handler', '371325');
      const cityPetitions = await createStaff('handler', '3713-petitions');

      const countyIds = await listIds(county.token, `q=${mk}`);
      const petitionsIds = await listIds(cityPetitions.token, `q=${mk}`);

      expect(countyIds).to.deep.equal([kase.id]);
      expect(petitionsIds).to.deep.equal([]);
    });

    it('when the 费县 handler asks for ?unit=371302 (兰山区), then 403', async () => {
      const handler = await createStaff('handler', '371325');

      const res = await request('GET', '/api/cases?unit=371302', { token: handler.token });

      expect(res.status, res.text).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
    });

    it('when the 费县 handler asks for ?unit=371325105 (below it), then only that township’s cases come back', async () => {
      const mk = marker();
      const township = await caseFor('371325105', { content: `镇里 ${mk}` });
      await caseFor('371325', { content: `县里 ${mk}` });
      const handler = await createStaff('handler', '371325');

      const ids = await listIds(handler.token, `unit=371325105&q=${mk}`);

      expect(ids).to.deep.equal([township.id]);
    });

    it('when a case waits for dispatch again, then no handler sees it, not even of its own division', async () => {
      const mk = marker();
      const county = await createStaff('handler', '371325');
      const township = await createStaff('handler', '371325105');
      // The rules send a case located here to the township, which returns it (退单) to the centre.
      const kase = await caseFor('371325105', { content: `还没派单 ${mk}`, address: '临沂市费县探沂镇朱田村东' });
      await act(kase.id, township.token, { action: 'return', reason: '不属于本镇职责' });

      const countyIds = await listIds(county.token, `q=${mk}`);
      const unassignedAsked = await listIds(county.token, `q=${mk}&unassigned=true`);
      const one = await request('GET', `/api/cases/${kase.id}`, { token: township.token });

      expect(countyIds).to.deep.equal([]);
      expect(unassignedAsked).to.deep.equal([]);
      expect(one.status).to.equal(404);
    });
  });

  describe('the centre sees everything', () => {
    for (const role of ['operator', 'supervisor'] as const) {
      it(`when a user with role ${role} lists and reads, then assigned and unassigned cases of every unit are visible`, async () => {
        const mk = marker();
        const lanshan = await caseFor('371302', { content: `兰山 ${mk}` });
        const feixian = await caseFor('371325105', { content: `探沂 ${mk}` });
        const waiting = await caseFor(null, { content: `待派 ${mk}` });
        const staff = await createStaff(role);

        const ids = await listIds(staff.token, `q=${mk}`);
        const reads = await Promise.all([lanshan, feixian, waiting].map((c) => request('GET', `/api/cases/${c.id}`, { token: staff.token })));

        expect(ids).to.have.members([lanshan.id, feixian.id, waiting.id]);
        expect(reads.map((r) => r.status)).to.deep.equal([200, 200, 200]);
      });
    }

    it('when the centre asks for ?unit=371325, then the cases of 费县 and the units below it come back', async () => {
      const mk = marker();
      const county = await caseFor('371325', { content: `县 ${mk}` });
      const township = await caseFor('371325105', { content: `镇 ${mk}` });
      await caseFor('371302', { content: `兰山 ${mk}` });
      const operator = await createStaff('operator');

      const ids = await listIds(operator.token, `unit=371325&q=${mk}`);

      expect(ids).to.have.members([county.id, township.id]);
    });

    it('when the centre asks for ?unassigned=true, then only the cases waiting for dispatch come back', async () => {
      const mk = marker();
      const waiting = await caseFor(null, { content: `待派 ${mk}` });
      await caseFor('371302', { content: `已派 ${mk}` });
      const operator = await createStaff('operator');

      const ids = await listIds(operator.token, `unassigned=true&q=${mk}`);

      expect(ids).to.deep.equal([waiting.id]);
    });
  });

  describe('ids', () => {
    it('when the id is not a uuid, then 400 names params.id', async () => {
      const operator = await createStaff('operator');

      const res = await request('GET', '/api/cases/12345', { token: operator.token });

      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('params.id');
    });

    it('when the id is a uuid of no case, then 404', async () => {
      const operator = await createStaff('operator');

      const res = await request('GET', `/api/cases/${crypto.randomUUID()}`, { token: operator.token });

      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    });

    it('when a case is read without a token, then 401 and nothing about it is revealed', async () => {
      const kase = await caseFor(null);

      const res = await request('GET', `/api/cases/${kase.id}`);

      expect(res.status).to.equal(401);
      expect(res.text).to.not.include(kase.caseNo);
    });
  });

  describe('paging and filters', () => {
    it('when walking the list with limit and cursor, then every case comes exactly once, newest first', async () => {
      const mk = marker();
      const operator = await createStaff('operator');
      const created: string[] = [];
      for (let i = 0; i < 7; i += 1) created.push(String((await buildCase({ content: `第${i}件 ${mk}` }, operator)).id));

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const cursorParam: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const res = await request('GET', `/api/cases?q=${mk}&limit=3${cursorParam}`, { token: operator.token });
        expect(res.status, res.text).to.equal(200);
        pageSizes.push(res.body.items.length);
        seen.push(...(res.body.items as { id: string }[]).map((c) => c.id));
        cursor = res.body.nextCursor as string | null;
        if (!cursor) break;
      }

      expect(pageSizes).to.deep.equal([3, 3, 1]);
      expect(new Set(seen).size).to.equal(seen.length);
      expect(seen).to.deep.equal([...created].reverse());
    });

    it('when filtering by status, then only cases in that status come back', async () => {
      const mk = marker();
      const dispatched = await caseFor('371302', { content: `已派 ${mk}` });
      const registered = await caseFor(null, { content: `未派 ${mk}` });
      const operator = await createStaff('operator');

      const onlyDispatched = await listIds(operator.token, `status=dispatched&q=${mk}`);
      const onlyRegistered = await listIds(operator.token, `status=registered&q=${mk}`);
      const both = await listIds(operator.token, `status=registered,dispatched&q=${mk}`);

      expect(onlyDispatched).to.deep.equal([dispatched.id]);
      expect(onlyRegistered).to.deep.equal([registered.id]);
      expect(both).to.have.members([dispatched.id, registered.id]);
    });

    it('when filtering by channel, then only that channel’s cases come back', async () => {
      const mk = marker();
      const letter = await caseFor(null, { channel: 'letter', content: `来信 ${mk}` });
      await caseFor(null, { channel: 'hotline', content: `来电 ${mk}` });
      const operator = await createStaff('operator');

      const ids = await listIds(operator.token, `channel=letter&q=${mk}`);

      expect(ids).to.deep.equal([letter.id]);
    });

    it('when filtering by type, then only that type’s cases come back', async () => {
      const mk = marker();
      const consultation = await caseFor(null, { type: 'consultation', content: `咨询 ${mk}` });
      await caseFor(null, { type: 'complaint', content: `投诉 ${mk}` });
      const operator = await createStaff('operator');

      const ids = await listIds(operator.token, `type=consultation&q=${mk}`);

      expect(ids).to.deep.equal([consultation.id]);
    });

    it('when searching with q, then the text is matched in title and content and by exact case number', async () => {
      const mk = marker();
      const inTitle = await caseFor(null, { title: `标题里有 ${mk}` });
      const inContent = await caseFor(null, { content: `正文里有 ${mk}` });
      const operator = await createStaff('operator');

      const byText = await listIds(operator.token, `q=${mk}`);
      const byNumber = await listIds(operator.token, `q=${inTitle.caseNo}`);

      expect(byText).to.have.members([inTitle.id, inContent.id]);
      expect(byNumber).to.deep.equal([inTitle.id]);
    });

    it('when q holds LIKE wildcards, then they match literally, not everything', async () => {
      const mk = marker();
      await caseFor(null, { content: `百分之百 ${mk}` });
      const literal = await caseFor(null, { content: `折扣100%_${mk}` });
      const operator = await createStaff('operator');

      const ids = await listIds(operator.token, `q=${encodeURIComponent(`%_${mk}`)}`);

      expect(ids).to.deep.equal([literal.id]);
    });
  });
});
