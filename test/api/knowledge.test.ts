import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

// 沂水县's transport office: no other test file writes articles, and no seeded article belongs to it.
const YISHUI_JIAOYUN = '371323-jiaoyun';
const YISHUI_RENSHE = '371323-renshe';

/** An article body; override any field. Its title carries a marker only this test's articles have. */
function article(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `沂水县公交卡办理 ${crypto.randomBytes(3).toString('hex')}`,
    body: '公交卡可在公交公司营业厅办理，老年人凭身份证可办理优待卡。',
    keywords: ['公交卡', '老年卡'],
    unitCode: YISHUI_JIAOYUN,
    validFrom: '2026-01-01',
    validTo: null,
    ...overrides,
  };
}

const search = (by: Staff, q: string, extra = '') => request('GET', `/api/knowledge/search?q=${encodeURIComponent(q)}${extra}`, { token: by.token });
const titles = (res: { body: { items: { title: string }[] } }) => res.body.items.map((i) => i.title);

describe('knowledge base (知识库)', () => {
  let supervisor: Staff;
  let operator: Staff;
  let ownHandler: Staff;
  let otherHandler: Staff;

  before(async () => {
    [supervisor, operator, ownHandler, otherHandler] = await Promise.all([
      createStaff('supervisor'),
      createStaff('operator'),
      createStaff('handler', YISHUI_JIAOYUN),
      createStaff('handler', YISHUI_RENSHE),
    ]);
  });

  describe('search', () => {
    it('when a caller asks "孩子上学的学区怎么划", then the seeded article on school zones comes first', async () => {
      const res = await search(operator, '孩子上学的学区怎么划');
      expect(res.status, res.text).to.equal(200);
      expect(res.body.items[0]).to.include({ title: '义务教育阶段招生入学区域划分', unitCode: '3713-jiaoyu', validity: 'in_force', validityLabel: '有效' });
      expect(res.body.items[0].matched).to.include.members(['学区', '上学']);
    });

    it('when the words are in one article\'s title and only another\'s body, then the title match ranks first', async () => {
      const marker = `甲${crypto.randomBytes(2).toString('hex')}`;
      await request('POST', '/api/knowledge', { token: supervisor.token, body: article({ title: `共享单车停放 ${marker}`, body: '请将车辆停放在指定区域。', keywords: [] }) });
      await request('POST', '/api/knowledge', { token: supervisor.token, body: article({ title: `道路停车收费 ${marker}`, body: '共享单车停放不在本文范围，见相关文章。', keywords: [] }) });
      const res = await search(operator, `共享单车乱停放 ${marker}`);
      expect(titles(res).slice(0, 2)).to.deep.equal([`共享单车停放 ${marker}`, `道路停车收费 ${marker}`]);
    });

    it('when an article is not in force today, then search leaves it out unless asked for its day or any day', async () => {
      const expired = await request('POST', '/api/knowledge', { token: supervisor.token, body: article({ validFrom: '2020-01-01', validTo: '2020-12-31' }) });
      const q = expired.body.title as string;
      expect(titles(await search(operator, q))).to.not.include(q);
      expect(titles(await search(operator, q, '&validOn=2020-06-01'))).to.include(q);
      const any = await search(operator, q, '&anyDate=true');
      expect(any.body.items.find((i: { title: string }) => i.title === q)).to.include({ validity: 'expired', validityLabel: '已失效' });
    });

    it('when an article is changed, then the next search finds it by its new words and no longer by the old', async () => {
      const oldMarker = `k${crypto.randomBytes(3).toString('hex')}`;
      const created = await request('POST', '/api/knowledge', { token: supervisor.token, body: article({ title: `沂水县公交卡办理 ${oldMarker}` }) });
      const ids = async (q: string) => (await search(operator, q)).body.items.map((i: { id: string }) => i.id);
      expect(await ids(oldMarker)).to.deep.equal([created.body.id]);
      const renamed = `沂水县电子站牌查询 ${crypto.randomBytes(3).toString('hex')}`;
      await request('PUT', `/api/knowledge/${created.body.id}`, { token: supervisor.token, body: article({ title: renamed }) });
      expect(titles(await search(operator, renamed))[0]).to.equal(renamed);
      expect(await ids(oldMarker)).to.deep.equal([]);
    });
  });

  describe('versions and archiving', () => {
    it('when an article is edited twice and deleted, then every version stays readable, newest first, and it leaves search and the list', async () => {
      const created = await request('POST', '/api/knowledge', { token: supervisor.token, body: article({ body: '第一版内容' }) });
      expect(created.status, created.text).to.equal(201);
      expect(created.body).to.include({ version: 1, archived: false });
      const id = created.body.id as string;
      const second = await request('PUT', `/api/knowledge/${id}`, { token: supervisor.token, body: article({ title: created.body.title, body: '第二版内容', expectedVersion: 1 }) });
      expect(second.status, second.text).to.equal(200);
      expect(second.body.version).to.equal(2);
      await request('PUT', `/api/knowledge/${id}`, { token: supervisor.token, body: article({ title: created.body.title, body: '第三版内容' }) });

      const deleted = await request('DELETE', `/api/knowledge/${id}`, { token: supervisor.token });
      expect(deleted.status, deleted.text).to.equal(200);
      expect(deleted.body).to.include({ archived: true, version: 4, validity: 'archived' });

      const versions = await request('GET', `/api/knowledge/${id}/versions`, { token: operator.token });
      expect(versions.body.items.map((v: { version: number; change: string; body: string }) => [v.version, v.change, v.body])).to.deep.equal([
        [4, 'archive', '第三版内容'],
        [3, 'update', '第三版内容'],
        [2, 'update', '第二版内容'],
        [1, 'create', '第一版内容'],
      ]);
      expect(titles(await search(operator, created.body.title, '&anyDate=true'))).to.not.include(created.body.title);
      const list = await request('GET', `/api/knowledge?unit=${YISHUI_JIAOYUN}&limit=100`, { token: operator.token });
      expect(list.body.items.map((a: { id: string }) => a.id)).to.not.include(id);
      const archivedList = await request('GET', `/api/knowledge?unit=${YISHUI_JIAOYUN}&archived=true&limit=100`, { token: operator.token });
      expect(archivedList.body.items.map((a: { id: string }) => a.id)).to.include(id);
      expect((await request('GET', `/api/knowledge/${id}`, { token: operator.token })).body).to.include({ archived: true, body: '第三版内容' });
    });

    it('when an archived article is deleted again, then it answers the same and writes no version; a change is refused with 409', async () => {
      const created = await request('POST', '/api/knowledge', { token: supervisor.token, body: article() });
      const id = created.body.id as string;
      await request('DELETE', `/api/knowledge/${id}`, { token: supervisor.token });
      const again = await request('DELETE', `/api/knowledge/${id}`, { token: supervisor.token });
      expect(again.status).to.equal(200);
      expect(again.body.version).to.equal(2);
      const put = await request('PUT', `/api/knowledge/${id}`, { token: supervisor.token, body: article() });
      expect(put.status).to.equal(409);
      expect((await request('GET', `/api/knowledge/${id}/versions`, { token: operator.token })).body.items).to.have.length(2);
    });

    it('when a change names a version that is no longer current, then it is refused with 409 and nothing changes', async () => {
      const created = await request('POST', '/api/knowledge', { token: supervisor.token, body: article() });
      await request('PUT', `/api/knowledge/${created.body.id}`, { token: supervisor.token, body: article({ body: '别人先改了' }) });
      const stale = await request('PUT', `/api/knowledge/${created.body.id}`, { token: supervisor.token, body: article({ body: '我的修改', expectedVersion: 1 }) });
      expect(stale.status).to.equal(409);
      expect((await request('GET', `/api/knowledge/${created.body.id}`, { token: operator.token })).body.body).to.equal('别人先改了');
    });
  });

  describe('authorization', () => {
    it('when an operator writes an article, then it is refused with 403; reading and searching are open to every staff member', async () => {
      expect((await request('POST', '/api/knowledge', { token: operator.token, body: article() })).status).to.equal(403);
      expect((await search(otherHandler, '公积金提取')).status).to.equal(200);
      expect((await request('GET', '/api/knowledge', { token: otherHandler.token })).status).to.equal(200);
      expect((await request('GET', '/api/knowledge', {})).status).to.equal(401);
    });

    it("when a unit's handler writes, then its own unit's articles are accepted and another unit's refused with 403", async () => {
      const own = await request('POST', '/api/knowledge', { token: ownHandler.token, body: article() });
      expect(own.status, own.text).to.equal(201);
      expect((await request('POST', '/api/knowledge', { token: otherHandler.token, body: article() })).status).to.equal(403);
      expect((await request('PUT', `/api/knowledge/${own.body.id}`, { token: otherHandler.token, body: article() })).status).to.equal(403);
      expect((await request('DELETE', `/api/knowledge/${own.body.id}`, { token: otherHandler.token })).status).to.equal(403);
      // Moving an article out of the handler's own unit needs the other unit as well.
      expect((await request('PUT', `/api/knowledge/${own.body.id}`, { token: ownHandler.token, body: article({ unitCode: YISHUI_RENSHE }) })).status).to.equal(403);
      expect((await request('PUT', `/api/knowledge/${own.body.id}`, { token: ownHandler.token, body: article({ body: '本单位更新' }) })).status).to.equal(200);
      expect((await request('GET', `/api/knowledge/${own.body.id}/versions`, { token: operator.token })).body.items).to.have.length(2);
    });
  });

  describe('validation', () => {
    it('when an article lacks its title, has a bad date, ends before it starts or names an unknown unit, then 400 names the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [article({ title: undefined }), 'body.title'],
        [article({ validFrom: '2026-02-30' }), 'body.validFrom'],
        [article({ validFrom: '2026-05-01', validTo: '2026-04-30' }), 'body.validTo'],
        [article({ unitCode: '3713-nosuchunit' }), 'body.unitCode'],
        [article({ keywords: ['重复', '重复'] }), 'body.keywords.1'],
        [article({ status: 'archived' }), 'body.status'],
      ];
      for (const [body, path] of cases) {
        const res = await request('POST', '/api/knowledge', { token: supervisor.token, body });
        expect(res.status, path).to.equal(400);
        expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include(path);
      }
    });

    it('when the search has no question or the id is not a UUID, then 400; an unknown article is 404', async () => {
      expect((await request('GET', '/api/knowledge/search', { token: operator.token })).status).to.equal(400);
      expect((await search(operator, '社保', '&limit=500')).status).to.equal(400);
      expect((await request('GET', '/api/knowledge/123', { token: operator.token })).status).to.equal(400);
      expect((await request('GET', `/api/knowledge/${crypto.randomUUID()}`, { token: operator.token })).status).to.equal(404);
      expect((await request('GET', `/api/knowledge/${crypto.randomUUID()}/versions`, { token: operator.token })).status).to.equal(404);
    });
  });
});
