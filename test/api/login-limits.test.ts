import crypto from 'node:crypto';
import { expect } from 'chai';
import { hashingLoad, MAX_CONCURRENT_HASHES } from '../../models/accounts/password.js';
import { eventually } from '../support/deadline-cases.js';
import { createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

const login = (username: string, password: string, ip = freshIp()) => request('POST', '/api/auth/login', { body: { username, password }, ip });

describe('login: normalised names, per-account backoff, capped Argon2', () => {
  it('when one address tries " name", "name " and "NAME", then they share one budget of 10 and the 11th gets 429', async () => {
    const operator = await createStaff('operator');
    const ip = freshIp();
    const variants = [` ${operator.username}`, `${operator.username} `, operator.username.toUpperCase(), operator.username.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))];
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await login(variants[i % variants.length] ?? '', `wrong-${i}`, ip)).status);

    const eleventh = await login(variants[2] ?? '', 'a-long-test-password', ip);

    expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
    expect(eleventh.status).to.equal(429);
    expect(eleventh.body.error.code).to.equal('rate_limited');
  });

  it('when an account is signed in with a variant of its name (spaces, capitals, full-width), then it is the same account', async () => {
    const operator = await createStaff('operator');
    const fullWidth = operator.username.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const name of [`  ${operator.username.toUpperCase()} `, fullWidth]) {
      const res = await login(name, 'a-long-test-password');
      expect(res.status, name).to.equal(200);
      expect(res.body.user.username).to.equal(operator.username);
    }
  });

  it('when failures for one account come from many addresses, then after 5 it backs off (429) even for the right password, and the backoff grows', async () => {
    const operator = await createStaff('operator');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login(operator.username, `wrong-${i}`)).status);
    const right = await login(operator.username, 'a-long-test-password');
    const { rows } = await harness().pool.query<{ action: string; after: { username: string; ip: string } }>(
      `SELECT action, after FROM audit_log WHERE subject_id = $1 ORDER BY id`,
      [operator.id],
    );

    expect(statuses).to.deep.equal([401, 401, 401, 401, 401, 401]);
    expect(right.status).to.equal(429);
    expect(right.body.error.message).to.match(/try again in \d+ s/);
    expect(rows.filter((r) => r.action === 'login_failed')).to.have.length(6);
    expect(rows[0]?.after.username).to.equal(operator.username);
    expect(rows[0]?.after.ip).to.match(/^198\./);
  });

  it('when the backoff has passed, then the right password signs in, the count starts afresh and the login is audited', async () => {
    const operator = await createStaff('operator');
    for (let i = 0; i < 6; i += 1) await login(operator.username, `wrong-${i}`);
    // The 6th failure imposes the first delay: one second of the server's clock. While it runs the
    // answer is 429 before any password is checked, so asking again does not extend it.
    const refused: number[] = [];
    const right = await eventually(async () => {
      const res = await login(operator.username, 'a-long-test-password');
      if (res.status !== 429) return res;
      refused.push(res.status);
      return undefined;
    }, 10_000, 'the backoff to pass');

    const wrongAgain = await login(operator.username, 'wrong-again');
    const { rows } = await harness().pool.query<{ action: string }>(`SELECT action FROM audit_log WHERE subject_id = $1 AND action = 'login'`, [operator.id]);

    expect(refused.length, 'the backoff was imposed').to.be.greaterThan(0);
    expect(right.status, right.text).to.equal(200);
    expect(wrongAgain.status).to.equal(401);
    expect(rows).to.have.length(1);
  });

  it('when a burst of logins arrives at once, then no more than the cap of Argon2 verifications run together and every answer is 401 or 503 in the error format', async () => {
    hashingLoad.resetPeak();
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => login(`burst-${crypto.randomBytes(4).toString('hex')}-${i}`, 'not-a-password')));

    expect(hashingLoad.peak()).to.be.at.most(MAX_CONCURRENT_HASHES);
    expect(hashingLoad.peak()).to.be.at.least(1);
    for (const res of burst) {
      expect([401, 503]).to.include(res.status);
      expect(res.body.error.code).to.be.oneOf(['unauthenticated', 'unavailable']);
    }
  });
});
