import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { createStaff } from '../support/factories.js';
import { request } from '../support/http.js';
import { adminToken, filingFields, postForm } from '../support/open311.js';

describe('Open311 clients and api keys (/api/open311/clients)', () => {
  let admin: string;

  before(async () => {
    admin = await adminToken();
  });

  it('when an admin issues a key, then it is shown once, stored only as a hash, listed by its prefix, and the issue is audited', async () => {
    const res = await request('POST', '/api/open311/clients', { token: admin, body: { name: '城市随手拍' } });

    expect(res.status, res.text).to.equal(201);
    expect(res.body.apiKey).to.match(/^o311_[A-Za-z0-9_-]{43}$/);
    expect(res.body.keyPrefix).to.equal(res.body.apiKey.slice(0, 8));
    const { rows } = await harness().pool.query('SELECT * FROM open311_clients WHERE id = $1', [res.body.id]);
    expect(JSON.stringify(rows[0])).not.to.include(res.body.apiKey.slice(8));
    const listed = await request('GET', '/api/open311/clients', { token: admin });
    const mine = listed.body.items.find((c: { id: string }) => c.id === res.body.id);
    expect(mine).to.deep.include({ name: '城市随手拍', keyPrefix: res.body.keyPrefix, revokedAt: null });
    expect(listed.text).not.to.include(res.body.apiKey);
    const audit = await request('GET', `/api/audit?subjectType=open311_client&subjectId=${res.body.id}`, { token: admin });
    expect(audit.status, audit.text).to.equal(200);
    expect(audit.body.items.map((e: { action: string }) => e.action)).to.include('open311_client.create');
  });

  it('when a key is revoked, then it files nothing more (403), the revocation is audited, and revoking again changes nothing', async () => {
    const issued = (await request('POST', '/api/open311/clients', { token: admin, body: { name: '将被吊销的客户端' } })).body;
    expect((await postForm('/open311/v2/requests.json', filingFields(issued.apiKey))).status).to.equal(201);

    const revoked = await request('DELETE', `/api/open311/clients/${issued.id}`, { token: admin });
    const again = await request('DELETE', `/api/open311/clients/${issued.id}`, { token: admin });
    const refused = await postForm('/open311/v2/requests.json', filingFields(issued.apiKey));
    const reading = await request('GET', `/open311/v2/requests.json?api_key=${issued.apiKey}`);

    expect(revoked.status).to.equal(200);
    expect(revoked.body.revokedAt).to.be.a('string');
    expect(again.body.revokedAt).to.equal(revoked.body.revokedAt);
    expect(refused.status).to.equal(403);
    expect(reading.status).to.equal(403);
    const audit = await request('GET', `/api/audit?subjectType=open311_client&subjectId=${issued.id}`, { token: admin });
    expect(audit.body.items.filter((e: { action: string }) => e.action === 'open311_client.revoke')).to.have.length(1);
  });

  it('when anyone but an admin manages clients, then it is 401 or 403; an unknown client is a 404', async () => {
    const supervisor = await createStaff('supervisor');

    expect((await request('GET', '/api/open311/clients')).status).to.equal(401);
    expect((await request('POST', '/api/open311/clients', { token: supervisor.token, body: { name: '越权' } })).status).to.equal(403);
    expect((await request('DELETE', '/api/open311/clients/7d0b7c52-3b5e-4c55-9f52-5d2b1f0e9a11', { token: admin })).status).to.equal(404);
    expect((await request('POST', '/api/open311/clients', { token: admin, body: { name: '', extra: 1 } })).status).to.equal(400);
  });
});
