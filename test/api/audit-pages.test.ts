import { expect } from 'chai';
import { createStaff, type Staff } from '../support/factories.js';
import { request } from '../support/http.js';

interface Entry {
  readonly source: string;
  readonly id: number;
  readonly action: string;
  readonly actorUsername: string | null;
  readonly subjectId: string;
}

describe('GET /api/audit: filters by actor name and action, a page at a time', () => {
  let admin: Staff;
  let supervisor: Staff;
  const changed: Staff[] = [];

  before(async () => {
    admin = await createStaff('admin');
    supervisor = await createStaff('supervisor');
    for (let i = 0; i < 3; i += 1) {
      const target = await createStaff('operator');
      changed.push(target);
      expect((await request('PATCH', `/api/users/${target.id}`, { token: admin.token, body: { disabled: true } })).status).to.equal(200);
      expect((await request('PATCH', `/api/users/${target.id}`, { token: admin.token, body: { password: 'another-long-password' } })).status).to.equal(200);
    }
  });

  it('when the trail is filtered by the actor’s username and an action, then only those entries come, named after their actor', async () => {
    const res = await request('GET', `/api/audit?actor=${admin.username}&action=password_reset`, { token: supervisor.token });
    expect(res.status).to.equal(200);
    const items: Entry[] = res.body.items;
    expect(items.map((e) => e.subjectId)).to.have.members(changed.map((s) => s.id));
    expect(items.every((e) => e.action === 'password_reset' && e.actorUsername === admin.username)).to.equal(true);
    expect(res.body.hasMore).to.equal(false);
  });

  it('when the trail is read two entries at a time, then the pages follow each other without gaps or repeats and the last says there is no more', async () => {
    const pages: Entry[][] = [];
    let hasMore = true;
    for (let offset = 0; hasMore; offset += 2) {
      const res = await request('GET', `/api/audit?actor=${admin.username}&subjectType=user&limit=2&offset=${offset}`, { token: supervisor.token });
      expect(res.status, res.text).to.equal(200);
      pages.push(res.body.items);
      hasMore = res.body.hasMore;
    }
    const all = await request('GET', `/api/audit?actor=${admin.username}&subjectType=user`, { token: supervisor.token });
    expect(pages.flat().map((e) => `${e.source}:${e.id}`)).to.deep.equal(all.body.items.map((e: Entry) => `${e.source}:${e.id}`));
    expect(pages.flat()).to.have.length(6);
    expect(pages).to.have.length(3);
  });

  it('when the actor is an unknown username, then nothing matches (not everything)', async () => {
    const res = await request('GET', '/api/audit?actor=nobody-by-this-name', { token: supervisor.token });
    expect(res.body.items).to.deep.equal([]);
  });

  it('when the action is not an action name or the offset is too deep, then 400', async () => {
    expect((await request('GET', '/api/audit?action=DROP%20TABLE', { token: supervisor.token })).status).to.equal(400);
    expect((await request('GET', '/api/audit?offset=10001', { token: supervisor.token })).status).to.equal(400);
  });
});
