import crypto from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request, type TestResponse } from '../support/http.js';

const ISSUER = 'hotline-hub';

function uniqueName(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(5).toString('hex')}`;
}

function expectError(res: TestResponse, status: number, code: string): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.body).to.have.nested.property('error.code', code);
  expect(res.body.error.message).to.be.a('string').and.not.equal('');
}

/** A JWT with `alg: none` and no signature, carrying otherwise valid claims. */
function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}

describe('accounts and authentication', () => {
  describe('POST /api/auth/login', () => {
    it('when the first-start admin logs in with ADMIN_PASSWORD, then a token with role admin comes back', async () => {
      const res = await request('POST', '/api/auth/login', { body: { username: 'admin', password: harness().adminPassword }, ip: freshIp() });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.user).to.include({ username: 'admin', role: 'admin', unitCode: null });
    });

    it('when a user created by an admin logs in, then it gets {accessToken, user} and the token opens the API', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('handler');
      const created = await request('POST', '/api/users', {
        token: admin.token,
        body: { username, password: 'correct horse battery', role: 'handler', unitCode: '371325' },
      });
      expect(created.status, created.text).to.equal(201);

      const res = await request('POST', '/api/auth/login', { body: { username, password: 'correct horse battery' }, ip: freshIp() });

      expect(res.status, res.text).to.equal(200);
      expect(res.body.accessToken).to.be.a('string');
      expect(res.body.user).to.deep.equal({ id: created.body.id, username, role: 'handler', unitCode: '371325', disclosureHead: false });
      const withToken = await request('GET', '/api/units/371325', { token: res.body.accessToken });
      expect(withToken.status, withToken.text).to.equal(200);
      const claims = jwt.verify(res.body.accessToken, harness().jwtSecret, { issuer: ISSUER }) as jwt.JwtPayload;
      expect(claims.sub).to.equal(created.body.id);
    });

    it('when the password is wrong or the user does not exist, then both get 401 with the same body', async () => {
      const operator = await createStaff('operator');

      const wrongPassword = await request('POST', '/api/auth/login', { body: { username: operator.username, password: 'not-the-password' }, ip: freshIp() });
      const unknownUser = await request('POST', '/api/auth/login', { body: { username: uniqueName('nobody'), password: 'not-the-password' }, ip: freshIp() });

      expectError(wrongPassword, 401, 'unauthenticated');
      expect(unknownUser.status).to.equal(401);
      expect(unknownUser.body).to.deep.equal(wrongPassword.body);
      expect(wrongPassword.body).to.not.have.property('accessToken');
    });

    it('when the same ip tries one username more than 10 times, then the 11th attempt gets 429 even with the right password', async () => {
      const operator = await createStaff('operator');
      const ip = freshIp();
      const attempts: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        attempts.push((await request('POST', '/api/auth/login', { body: { username: operator.username, password: `guess-${i}-wrong` }, ip })).status);
      }

      const eleventh = await request('POST', '/api/auth/login', { body: { username: operator.username, password: 'a-long-test-password' }, ip });
      const otherUserSameIp = await request('POST', '/api/auth/login', { body: { username: uniqueName('other'), password: 'whatever-it-is' }, ip });

      // The sixth failure starts the account's own backoff, which answers before the per-address limit does.
      expect(attempts).to.deep.equal([...Array(6).fill(401), ...Array(4).fill(429)]);
      expectError(eleventh, 429, 'rate_limited');
      expect(otherUserSameIp.status, 'the limits count the account, not the address alone').to.equal(401);
    });
  });

  describe('bearer tokens', () => {
    const claims: Record<string, unknown> = { username: 'someone', role: 'admin', unitCode: null };

    const badTokens: { name: string; header: (userId: string) => string | undefined }[] = [
      { name: 'no Authorization header', header: () => undefined },
      { name: 'a Basic instead of a Bearer header', header: () => `Basic ${Buffer.from('admin:admin').toString('base64')}` },
      { name: 'a token that is not a JWT', header: () => 'Bearer not-a-jwt' },
      {
        name: 'a token signed with another secret (forged)',
        header: (id) => `Bearer ${jwt.sign(claims, 'some-other-secret-entirely', { subject: id, issuer: ISSUER, expiresIn: 600 })}`,
      },
      {
        name: 'an expired token',
        header: (id) => `Bearer ${jwt.sign(claims, harness().jwtSecret, { subject: id, issuer: ISSUER, expiresIn: -10 })}`,
      },
      {
        name: 'an unsigned token (alg: none)',
        header: (id) => `Bearer ${unsignedToken({ ...claims, sub: id, iss: ISSUER, exp: Math.floor(Date.now() / 1000) + 600 })}`,
      },
      {
        name: 'a token from another issuer',
        header: (id) => `Bearer ${jwt.sign(claims, harness().jwtSecret, { subject: id, issuer: 'someone-else', expiresIn: 600 })}`,
      },
      {
        name: 'a token with a role that does not exist',
        header: (id) => `Bearer ${jwt.sign({ ...claims, role: 'root' }, harness().jwtSecret, { subject: id, issuer: ISSUER, expiresIn: 600 })}`,
      },
    ];

    for (const bad of badTokens) {
      it(`when a request carries ${bad.name}, then it gets 401 and creates nothing`, async () => {
        const admin = await createStaff('admin');
        const username = uniqueName('never');
        const header = bad.header(admin.id);

        const res = await request('POST', '/api/users', {
          body: { username, password: 'a-long-password', role: 'operator' },
          headers: header === undefined ? {} : { authorization: header },
        });

        expectError(res, 401, 'unauthenticated');
        const { rows } = await harness().pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
        expect(rows).to.have.length(0);
      });
    }

    it('when a token is signed correctly with the same claims, then the same request succeeds (the bad-token tests can fail)', async () => {
      const admin = await createStaff('admin');
      const token = jwt.sign(claims, harness().jwtSecret, { subject: admin.id, issuer: ISSUER, expiresIn: 600 });

      const res = await request('GET', '/api/users', { token });

      expect(res.status, res.text).to.equal(200);
    });
  });

  describe('roles', () => {
    for (const role of ['operator', 'supervisor', 'handler'] as const) {
      it(`when a user with role ${role} calls POST /api/users, then it gets 403 and no user is created`, async () => {
        const staff = await createStaff(role, role === 'handler' ? '371325' : null);
        const username = uniqueName('sneaky');

        const res = await request('POST', '/api/users', { token: staff.token, body: { username, password: 'a-long-password', role: 'admin' } });

        expectError(res, 403, 'forbidden');
        const { rows } = await harness().pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
        expect(rows).to.have.length(0);
      });
    }

    it('when an operator lists users, then it gets 403', async () => {
      const operator = await createStaff('operator');

      const res = await request('GET', '/api/users', { token: operator.token });

      expectError(res, 403, 'forbidden');
    });
  });

  describe('POST /api/users (admin)', () => {
    it('when an admin creates a handler of 费县, then 201 returns it without the password and GET /api/users lists it', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('feixian');

      const res = await request('POST', '/api/users', { token: admin.token, body: { username, password: 'a-long-password', role: 'handler', unitCode: '371325' } });
      const list = await request('GET', '/api/users?role=handler&unitCode=371325', { token: admin.token });

      expect(res.status, res.text).to.equal(201);
      expect(res.body).to.include({ username, role: 'handler', unitCode: '371325' });
      expect(res.body.id).to.match(/^[0-9a-f-]{36}$/);
      expect(res.text).to.not.include('a-long-password');
      expect(res.body).to.not.have.any.keys('password', 'passwordHash', 'password_hash');
      expect(list.status).to.equal(200);
      expect(list.body.items.map((u: { username: string }) => u.username)).to.include(username);
      expect(list.text).to.not.include('argon2');
    });

    it('when a user is created, then its password is stored as an Argon2id hash, never in clear', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('hashed');

      await request('POST', '/api/users', { token: admin.token, body: { username, password: 'clear-text-secret', role: 'operator' } });

      const { rows } = await harness().pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE username = $1', [username]);
      expect(rows).to.have.length(1);
      expect(rows[0]?.password_hash).to.match(/^\$argon2id\$/);
      expect(rows[0]?.password_hash).to.not.include('clear-text-secret');
    });

    it('when a handler is created without a unitCode, then 400 names body.unitCode and nothing is stored', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('nounit');

      const res = await request('POST', '/api/users', { token: admin.token, body: { username, password: 'a-long-password', role: 'handler' } });

      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('body.unitCode');
      const { rows } = await harness().pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).to.have.length(0);
    });

    it('when the unitCode names no unit, then 400 names body.unitCode and nothing is stored', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('badunit');

      const res = await request('POST', '/api/users', { token: admin.token, body: { username, password: 'a-long-password', role: 'handler', unitCode: '371399' } });

      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('body.unitCode');
      const { rows } = await harness().pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).to.have.length(0);
    });

    it('when the username is taken, then 409 and the first account keeps its password', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('twice');
      const first = await request('POST', '/api/users', { token: admin.token, body: { username, password: 'first-password', role: 'operator' } });

      const second = await request('POST', '/api/users', { token: admin.token, body: { username, password: 'second-password', role: 'admin' } });

      expect(first.status).to.equal(201);
      expectError(second, 409, 'conflict');
      const login = await request('POST', '/api/auth/login', { body: { username, password: 'first-password' }, ip: freshIp() });
      expect(login.status).to.equal(200);
      expect(login.body.user.role).to.equal('operator');
    });

    it('when the body tries to set the id, then 400 and nothing is stored', async () => {
      const admin = await createStaff('admin');
      const username = uniqueName('withid');

      const res = await request('POST', '/api/users', {
        token: admin.token,
        body: { id: crypto.randomUUID(), username, password: 'a-long-password', role: 'operator' },
      });

      expectError(res, 400, 'validation_failed');
      const { rows } = await harness().pool.query('SELECT 1 FROM users WHERE username = $1', [username]);
      expect(rows).to.have.length(0);
    });
  });
});
