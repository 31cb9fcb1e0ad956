import { expect } from 'chai';
import { createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

const login = (username: string, password: string) => request('POST', '/api/auth/login', { body: { username, password }, ip: freshIp() });

async function auditRows(subjectId: string): Promise<{ action: string; actor_id: string | null; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[]> {
  const { rows } = await harness().pool.query(`SELECT action, actor_id, before, after FROM audit_log WHERE subject_type = 'user' AND subject_id = $1 ORDER BY id`, [subjectId]);
  return rows;
}

describe('accounts: read, change, revoke at once', () => {
  let admin: Staff;
  before(async () => {
    admin = await createStaff('admin');
  });

  it('when an admin reads an account, then it comes without hash or token version; others get 403, an unknown id 404', async () => {
    const handler = await createStaff('handler', '371325');
    const res = await request('GET', `/api/users/${handler.id}`, { token: admin.token });
    const byOperator = await request('GET', `/api/users/${handler.id}`, { token: (await createStaff('operator')).token });
    const unknown = await request('GET', '/api/users/00000000-0000-4000-8000-000000000000', { token: admin.token });

    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: handler.id, username: handler.username, role: 'handler', unitCode: '371325', disabled: false });
    expect(res.body).not.to.have.any.keys('passwordHash', 'password_hash', 'tokenVersion');
    expect(byOperator.status).to.equal(403);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
  });

  it('when an admin disables an account, then its token is refused at once, it cannot sign in, and the change is audited with before and after', async () => {
    const operator = await createStaff('operator');
    const patch = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: { disabled: true } });
    const withOldToken = await request('GET', '/api/cases', { token: operator.token });
    const signIn = await login(operator.username, 'a-long-test-password');
    const audit = await auditRows(operator.id);

    expect(patch.status, patch.text).to.equal(200);
    expect(patch.body.disabled).to.equal(true);
    expect(withOldToken.status).to.equal(401);
    expect(signIn.status).to.equal(401);
    const update = audit.find((r) => r.action === 'update');
    expect(update?.actor_id).to.equal(admin.id);
    expect(update?.before).to.include({ disabled: false });
    expect(update?.after).to.include({ disabled: true });
  });

  it('when an admin changes a role or unit, then old tokens stop working and a fresh sign-in carries the new role', async () => {
    const operator = await createStaff('operator');
    const patch = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: { role: 'handler', unitCode: '371325' } });
    const old = await request('GET', '/api/cases', { token: operator.token });
    const fresh = await login(operator.username, 'a-long-test-password');

    expect(patch.status, patch.text).to.equal(200);
    expect(old.status).to.equal(401);
    expect(fresh.status).to.equal(200);
    expect(fresh.body.user).to.include({ role: 'handler', unitCode: '371325' });
    expect((await request('GET', '/api/cases', { token: fresh.body.accessToken })).status).to.equal(200);
  });

  it('when an admin resets a password, then only the new one signs in and the audit says a reset without any hash', async () => {
    const operator = await createStaff('operator');
    const patch = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: { password: 'reset-by-the-admin' } });

    expect(patch.status).to.equal(200);
    expect((await login(operator.username, 'a-long-test-password')).status).to.equal(401);
    expect((await login(operator.username, 'reset-by-the-admin')).status).to.equal(200);
    const reset = (await auditRows(operator.id)).find((r) => r.action === 'password_reset');
    expect(reset?.after).to.include({ passwordReset: true });
    expect(JSON.stringify(reset)).not.to.match(/argon2|reset-by-the-admin/);
  });

  it('when a PATCH is empty, makes a handler without unit, names an unknown unit or disables oneself, then 4xx and nothing changes', async () => {
    const operator = await createStaff('operator');
    const empty = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: {} });
    const handlerWithoutUnit = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: { role: 'handler' } });
    const unknownUnit = await request('PATCH', `/api/users/${operator.id}`, { token: admin.token, body: { unitCode: '999999' } });
    const self = await request('PATCH', `/api/users/${admin.id}`, { token: admin.token, body: { disabled: true } });

    expect([empty.status, handlerWithoutUnit.status, unknownUnit.status, self.status]).to.deep.equal([400, 400, 400, 403]);
    expect((await request('GET', '/api/cases', { token: operator.token })).status, 'the operator token still works').to.equal(200);
    expect((await auditRows(operator.id)).filter((r) => r.action !== 'create')).to.deep.equal([]);
  });

  it('when a user changes their own password with the current one, then other sessions end, the new token works, and a wrong current password is refused', async () => {
    const operator = await createStaff('operator');
    const wrong = await request('POST', '/api/users/me/password', { token: operator.token, body: { currentPassword: 'not-it-at-all', newPassword: 'my-own-new-password' } });
    const changed = await request('POST', '/api/users/me/password', { token: operator.token, body: { currentPassword: 'a-long-test-password', newPassword: 'my-own-new-password' } });

    expect(wrong.status).to.equal(403);
    expect(changed.status, changed.text).to.equal(200);
    expect((await request('GET', '/api/cases', { token: operator.token })).status).to.equal(401);
    expect((await request('GET', '/api/cases', { token: changed.body.accessToken })).status).to.equal(200);
    expect((await login(operator.username, 'my-own-new-password')).status).to.equal(200);
    expect((await auditRows(operator.id)).map((r) => r.action)).to.include('password_change');
  });

  it('when an admin creates an account, then the audit row commits with it, and a failed creation leaves neither', async () => {
    const res = await request('POST', '/api/users', { token: admin.token, body: { username: `New.User-${Date.now()}`, password: 'a-long-enough-password', role: 'operator' } });
    const clash = await request('POST', '/api/users', { token: admin.token, body: { username: res.body.username, password: 'a-long-enough-password', role: 'operator' } });

    expect(res.status).to.equal(201);
    expect(res.body.username).to.equal(res.body.username.toLowerCase());
    expect((await auditRows(res.body.id)).map((r) => r.action)).to.deep.equal(['create']);
    expect(clash.status).to.equal(409);
    const { rows } = await harness().pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE subject_type = 'user' AND action = 'create' AND after->>'username' = $1`, [res.body.username]);
    expect(rows[0].n).to.equal(1);
  });
});
