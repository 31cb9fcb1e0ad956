import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request, type TestResponse } from '../support/http.js';

/** Sets a fresh secret for `channel` as an admin and returns it. */
async function configure(channel: string): Promise<string> {
  const admin = await createStaff('admin');
  const secret = `secret-${crypto.randomBytes(16).toString('hex')}`;
  const res = await request('PUT', `/api/channels/${channel}`, { token: admin.token, body: { secret } });
  if (res.status !== 200) throw new Error(`configure ${channel} failed: ${res.status} ${res.text}`);
  return secret;
}

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messageId: `msg-${crypto.randomUUID()}`,
    text: '费县探沂镇朱田村东路灯坏了一个星期了，晚上很黑，希望尽快修好',
    author: { id: `wx-${crypto.randomBytes(4).toString('hex')}`, name: '网友小王' },
    postedAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  };
}

/** `sha256=<hex HMAC-SHA256>` computed here, independently of the code under test. */
function sign(secret: string, raw: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
}

function deliver(channel: string, raw: string, signature: string | undefined): Promise<TestResponse> {
  return request('POST', `/api/channels/${channel}/webhook`, { raw, headers: signature === undefined ? {} : { 'X-Signature': signature } });
}

async function casesFor(channel: string, externalId: string): Promise<{ case_no: string }[]> {
  const { rows } = await harness().pool.query<{ case_no: string }>('SELECT case_no FROM cases WHERE channel = $1 AND external_id = $2', [channel, externalId]);
  return rows;
}

async function countCases(): Promise<number> {
  const { rows } = await harness().pool.query<{ n: number }>('SELECT count(*)::int AS n FROM cases');
  return rows[0]?.n ?? -1;
}

describe('signed channel webhooks (POST /api/channels/:channel/webhook)', () => {
  it('when WeChat delivers a correctly signed message, then 201 returns {caseNo, queryCode, duplicate: false} and the case is stored', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);

    const res = await deliver('wechat', raw, sign(secret, raw));

    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.have.all.keys('caseNo', 'queryCode', 'duplicate');
    expect(res.body.caseNo).to.match(/^\d{15}$/);
    expect(res.body.queryCode).to.match(/^\d{6}$/);
    expect(res.body.duplicate).to.equal(false);
    const { rows } = await harness().pool.query('SELECT channel, external_id, content, division_code FROM cases WHERE case_no = $1', [res.body.caseNo]);
    expect(rows).to.deep.equal([{ channel: 'wechat', external_id: body.messageId, content: body.text, division_code: '371325105' }]);
  });

  it('when the same delivery comes again, then 200 returns the same caseNo with duplicate: true and no second case', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);
    const first = await deliver('wechat', raw, sign(secret, raw));

    const again = await deliver('wechat', raw, sign(secret, raw));

    expect(first.status).to.equal(201);
    expect(again.status, again.text).to.equal(200);
    expect(again.body).to.deep.equal({ caseNo: first.body.caseNo, queryCode: first.body.queryCode, duplicate: true });
    expect(await casesFor('wechat', String(body.messageId))).to.have.length(1);
  });

  it('when a message id comes again with another text, then 409 and the first case is kept alone', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);
    const first = await deliver('wechat', raw, sign(secret, raw));
    const changedRaw = JSON.stringify({ ...body, text: '完全不同的另一条留言内容，不是重发' });

    const changed = await deliver('wechat', changedRaw, sign(secret, changedRaw));

    expect(first.status).to.equal(201);
    expect(changed.status, changed.text).to.equal(409);
    expect(changed.body.error.code).to.equal('conflict');
    const { rows } = await harness().pool.query('SELECT content FROM cases WHERE channel = $1 AND external_id = $2', ['wechat', body.messageId]);
    expect(rows).to.deep.equal([{ content: body.text }]);
  });

  it('when ten deliveries of a new message arrive at once, then exactly one case exists and all ten answers carry its caseNo', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);

    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver('wechat', raw, sign(secret, raw))));

    const stored = await casesFor('wechat', String(body.messageId));
    expect(stored).to.have.length(1);
    expect(answers.map((a) => a.status).sort()).to.deep.equal([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(answers.map((a) => a.body.caseNo)).to.deep.equal(Array(10).fill(stored[0]?.case_no));
    expect(answers.filter((a) => a.body.duplicate === false)).to.have.length(1);
  });

  it('when the same message id arrives on two channels, then each channel gets its own case', async () => {
    const [wechatSecret, weiboSecret] = [await configure('wechat'), await configure('microblog')];
    const body = message();
    const raw = JSON.stringify(body);

    const wechat = await deliver('wechat', raw, sign(wechatSecret, raw));
    const weibo = await deliver('microblog', raw, sign(weiboSecret, raw));

    expect([wechat.status, weibo.status]).to.deep.equal([201, 201]);
    expect(wechat.body.caseNo).to.not.equal(weibo.body.caseNo);
  });

  describe('signatures', () => {
    const badSignatures: { name: string; signature: (secret: string, raw: string) => string | undefined }[] = [
      { name: 'no X-Signature header', signature: () => undefined },
      { name: 'a signature that is not hex HMAC', signature: () => 'sha256=not-a-signature' },
      { name: 'a signature by another secret', signature: (_secret, raw) => sign('another-secret-altogether', raw) },
      { name: 'a signature of a different body', signature: (secret, raw) => sign(secret, `${raw} `) },
      { name: 'the right HMAC without the sha256= prefix', signature: (secret, raw) => sign(secret, raw).slice('sha256='.length) },
      { name: 'an empty X-Signature header', signature: () => '' },
    ];
    for (const bad of badSignatures) {
      it(`when a delivery carries ${bad.name}, then 401 and nothing is stored`, async () => {
        const secret = await configure('wechat');
        const body = message();
        const raw = JSON.stringify(body);
        const before = await countCases();

        const res = await deliver('wechat', raw, bad.signature(secret, raw));

        expect(res.status, res.text).to.equal(401);
        expect(res.body.error).to.include({ code: 'bad_signature' });
        expect(await casesFor('wechat', String(body.messageId))).to.have.length(0);
        expect(await countCases()).to.equal(before);
      });
    }

    it('when a channel was never configured (web_qa), then even a signed delivery gets 401 and nothing is stored', async () => {
      // Test-only arrangement: make sure no earlier test left a web_qa secret behind.
      await harness().pool.query("DELETE FROM channel_configs WHERE channel = 'web_qa'");
      const body = message();
      const raw = JSON.stringify(body);
      const before = await countCases();

      const res = await deliver('web_qa', raw, sign('whatever-secret-a-caller-guesses', raw));

      expect(res.status, res.text).to.equal(401);
      expect(res.body.error.code).to.equal('bad_signature');
      expect(await countCases()).to.equal(before);
    });

    it('when the channel name is not a webhook channel, then 401 (nothing about the name is revealed) and nothing is stored', async () => {
      const secret = await configure('wechat');
      const body = message();
      const raw = JSON.stringify(body);
      const before = await countCases();

      const res = await deliver('telegram', raw, sign(secret, raw));

      expect(res.status, res.text).to.equal(401);
      expect(res.body.error.code).to.equal('bad_signature');
      expect(await countCases()).to.equal(before);
    });

    it('when the secret is replaced, then deliveries signed with the old secret get 401', async () => {
      const oldSecret = await configure('wechat');
      const newSecret = await configure('wechat');
      const body = message();
      const raw = JSON.stringify(body);

      const withOld = await deliver('wechat', raw, sign(oldSecret, raw));
      const withNew = await deliver('wechat', raw, sign(newSecret, raw));

      expect(withOld.status).to.equal(401);
      expect(withNew.status).to.equal(201);
    });
  });

  describe('bodies', () => {
    it('when a correctly signed body lacks text, then 400 names body.text and nothing is stored', async () => {
      const secret = await configure('wechat');
      const body = message();
      delete body.text;
      const raw = JSON.stringify(body);
      const before = await countCases();

      const res = await deliver('wechat', raw, sign(secret, raw));

      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('body.text');
      expect(await countCases()).to.equal(before);
    });

    it('when a correctly signed body tries to set the status, then 400 and nothing is stored', async () => {
      const secret = await configure('wechat');
      const raw = JSON.stringify(message({ status: 'closed' }));
      const before = await countCases();

      const res = await deliver('wechat', raw, sign(secret, raw));

      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('body.status');
      expect(await countCases()).to.equal(before);
    });

    it('when a correctly signed body is not JSON, then 400 and nothing is stored', async () => {
      const secret = await configure('wechat');
      const raw = '{"messageId": "m-1", "text": ';
      const before = await countCases();

      const res = await deliver('wechat', raw, sign(secret, raw));

      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(await countCases()).to.equal(before);
    });
  });

  describe('channel configuration (admin)', () => {
    for (const [role, unit] of [['operator', null], ['supervisor', null], ['handler', '371325']] as const) {
      it(`when a user with role ${role} sets a channel secret, then 403 and the secret is unchanged`, async () => {
        const secret = await configure('wechat');
        const staff = await createStaff(role, unit);

        const res = await request('PUT', '/api/channels/wechat', { token: staff.token, body: { secret: 'attacker-chosen-secret-123' } });

        expect(res.status, res.text).to.equal(403);
        const { rows } = await harness().pool.query<{ secret: string }>("SELECT secret FROM channel_configs WHERE channel = 'wechat'");
        expect(rows[0]?.secret).to.equal(secret);
      });
    }

    it('when nobody is signed in, then PUT /api/channels/wechat gets 401', async () => {
      const res = await request('PUT', '/api/channels/wechat', { body: { secret: 'attacker-chosen-secret-123' } });

      expect(res.status).to.equal(401);
    });

    it('when an admin lists channels, then the secrets are never in the answer', async () => {
      const secret = await configure('wechat');
      const admin = await createStaff('admin');

      const res = await request('GET', '/api/channels', { token: admin.token });

      expect(res.status, res.text).to.equal(200);
      const wechat = res.body.items.find((c: { channel: string }) => c.channel === 'wechat');
      expect(wechat).to.include({ channel: 'wechat', secretSet: true });
      expect(wechat).to.not.have.property('secret');
      expect(res.text).to.not.include(secret);
    });

    it('when an admin sets a secret, then the answer does not echo it', async () => {
      const admin = await createStaff('admin');
      const secret = `echo-${crypto.randomBytes(12).toString('hex')}`;

      const res = await request('PUT', '/api/channels/microblog', { token: admin.token, body: { secret, replyUrl: 'https://weibo.example.com/reply' } });

      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ channel: 'microblog', replyUrl: 'https://weibo.example.com/reply', secretSet: true });
      expect(res.text).to.not.include(secret);
    });

    it('when an admin sets a secret on a channel that is not a webhook channel, then 400', async () => {
      const admin = await createStaff('admin');

      const res = await request('PUT', '/api/channels/letter', { token: admin.token, body: { secret: 'long-enough-secret-1234' } });

      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('params.channel');
    });
  });
});
