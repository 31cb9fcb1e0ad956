import crypto from 'node:crypto';
import { expect } from 'chai';
import { createStaff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request, type TestResponse } from '../support/http.js';

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

/** The two signature headers of a delivery; either may be missing. */
interface Signed {
  readonly timestamp?: string;
  readonly signature?: string;
}

const nowSeconds = (offset = 0): string => String(Math.floor(Date.now() / 1000) + offset);

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw>">` computed here, independently of the code under test. */
function sign(secret: string, raw: string, timestamp = nowSeconds()): Required<Signed> {
  return { timestamp, signature: `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}` };
}

function deliver(channel: string, raw: string, signed: Signed | undefined, ip?: string): Promise<TestResponse> {
  const headers: Record<string, string> = {};
  if (signed?.timestamp !== undefined) headers['X-Timestamp'] = signed.timestamp;
  if (signed?.signature !== undefined) headers['X-Signature'] = signed.signature;
  // A fresh address each time by default: bad signatures are counted per address.
  return request('POST', `/api/channels/${channel}/webhook`, { raw, headers, ip: ip ?? freshIp() });
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
  it('when WeChat delivers a correctly signed message, then 201 returns {caseNo, queryCode, link, trackUrl, duplicate: false} and the case is stored', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);

    const res = await deliver('wechat', raw, sign(secret, raw));

    expect(res.status, res.text).to.equal(201);
    expect(res.body).to.have.all.keys('caseNo', 'queryCode', 'link', 'trackUrl', 'duplicate');
    expect(res.body.caseNo).to.match(/^\d{15}$/);
    expect(res.body.queryCode).to.match(/^\d{6}$/);
    expect(res.body.duplicate).to.equal(false);
    const { rows } = await harness().pool.query('SELECT channel, external_id, content, division_code FROM cases WHERE case_no = $1', [res.body.caseNo]);
    expect(rows).to.deep.equal([{ channel: 'wechat', external_id: body.messageId, content: body.text, division_code: '371325105' }]);
  });

  it('when the same delivery comes again (a retry or a replay), then 200 returns the same caseNo with duplicate: true, never the query code, and no second case', async () => {
    const secret = await configure('wechat');
    const body = message();
    const raw = JSON.stringify(body);
    const first = await deliver('wechat', raw, sign(secret, raw));

    const again = await deliver('wechat', raw, sign(secret, raw));

    expect(first.status).to.equal(201);
    expect(again.status, again.text).to.equal(200);
    expect(again.body).to.deep.equal({ caseNo: first.body.caseNo, duplicate: true });
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

  describe('limits', () => {
    it('when one address sends badly signed deliveries, then after 20 it is refused (429) before any check, while a correctly signed delivery from elsewhere gets through', async () => {
      const secret = await configure('microblog');
      const flooder = freshIp();
      const raw = JSON.stringify(message());

      const flood: number[] = [];
      for (let i = 0; i < 21; i += 1) flood.push((await deliver('microblog', raw, { timestamp: nowSeconds(), signature: 'sha256=00' }, flooder)).status);
      const signedFromFlooder = await deliver('microblog', raw, sign(secret, raw), flooder);
      const body = JSON.stringify(message());
      const real = await deliver('microblog', body, sign(secret, body), freshIp());

      expect(flood).to.deep.equal([...Array(20).fill(401), 429]);
      expect(signedFromFlooder.status).to.equal(429);
      expect(real.status, real.text).to.equal(201);
    });
  });

  describe('signatures', () => {
    const badSignatures: { name: string; signature: (secret: string, raw: string) => Signed | undefined }[] = [
      { name: 'no signature headers', signature: () => undefined },
      { name: 'no X-Signature header', signature: () => ({ timestamp: nowSeconds() }) },
      { name: 'a signature that is not hex HMAC', signature: () => ({ timestamp: nowSeconds(), signature: 'sha256=not-a-signature' }) },
      { name: 'a signature by another secret', signature: (_secret, raw) => sign('another-secret-altogether', raw) },
      { name: 'a signature of a different body', signature: (secret, raw) => sign(secret, `${raw} `) },
      { name: 'the right HMAC without the sha256= prefix', signature: (secret, raw) => ({ ...sign(secret, raw), signature: sign(secret, raw).signature.slice('sha256='.length) }) },
      { name: 'an empty X-Signature header', signature: () => ({ timestamp: nowSeconds(), signature: '' }) },
      { name: 'a signature of the body alone (no timestamp signed)', signature: (secret, raw) => ({ timestamp: nowSeconds(), signature: `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}` }) },
      { name: 'no X-Timestamp header', signature: (secret, raw) => ({ signature: sign(secret, raw).signature }) },
      { name: 'a timestamp other than the one signed', signature: (secret, raw) => ({ ...sign(secret, raw, nowSeconds(-10)), timestamp: nowSeconds() }) },
      { name: 'a correctly signed timestamp 6 minutes old', signature: (secret, raw) => sign(secret, raw, nowSeconds(-360)) },
      { name: 'a correctly signed timestamp 6 minutes ahead', signature: (secret, raw) => sign(secret, raw, nowSeconds(360)) },
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

    it('when an admin points a reply URL or SMS gateway at a loopback, private or link-local address, then 400 and nothing changes', async () => {
      const admin = await createStaff('admin');
      const secret = `ssrf-${crypto.randomBytes(12).toString('hex')}`;
      const internal = ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.7:8080/reply', 'http://127.0.0.2/reply', 'http://[::1]:9000/reply', 'http://192.168.1.20/reply'];

      for (const replyUrl of internal) {
        const res = await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret, replyUrl } });
        expect(res.status, `${replyUrl}: ${res.text}`).to.equal(400);
        expect(res.body.error.details[0].path).to.equal('body.replyUrl');
      }
      const sms = await request('PUT', '/api/channels/hotline', { token: admin.token, body: { secret, smsGatewayUrl: 'http://172.16.5.5/sms' } });
      const allowListed = await request('PUT', '/api/channels/web_qa', { token: admin.token, body: { secret, replyUrl: 'http://127.0.0.1:9/reply' } });

      expect(sms.status, sms.text).to.equal(400);
      expect(allowListed.status, 'the tests allow-list 127.0.0.1 (OUTBOUND_ALLOW_HOSTS)').to.equal(200);
      const { rows } = await harness().pool.query("SELECT count(*)::int AS n FROM channel_configs WHERE reply_url LIKE '%169.254%' OR reply_url LIKE '%10.0.0.7%'");
      expect(rows[0].n).to.equal(0);
    });

    it('when an admin sets a secret on a channel that is not a webhook channel, then 400', async () => {
      const admin = await createStaff('admin');

      const res = await request('PUT', '/api/channels/letter', { token: admin.token, body: { secret: 'long-enough-secret-1234' } });

      expect(res.status, res.text).to.equal(400);
      expect(res.body.error.details.map((d: { path: string }) => d.path)).to.include('params.channel');
    });
  });
});
