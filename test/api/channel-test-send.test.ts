import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';
import { keepChannelConfigs } from '../support/channel-configs.js';

interface Received {
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A local receiver that records every request and answers with `status`. */
async function startReceiver(status: number): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Runs `use` with a receiver answering `status`, closed afterwards whatever happens. */
async function withReceiver(status: number, use: (receiver: { url: string; received: Received[] }) => Promise<void>): Promise<void> {
  const receiver = await startReceiver(status);
  try {
    await use(receiver);
  } finally {
    await receiver.close();
  }
}

/** `sha256=<hex HMAC-SHA256 of the body>`, computed here independently of the code under test. */
const signatureOf = (secret: string, body: string): string => `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;

describe('channel test send (POST /api/channels/{channel}/test)', () => {
  let admin: Staff;
  const secret = `test-send-${crypto.randomBytes(12).toString('hex')}`;

  let restoreChannels: () => Promise<void> = async () => undefined;

  before(async () => {
    admin = await createStaff('admin');
    restoreChannels = await keepChannelConfigs(harness().pool, ['web_qa', 'microblog', 'hotline', 'wechat']);
  });

  after(async () => {
    await restoreChannels();
  });

  const configure = async (channel: string, body: Record<string, unknown>): Promise<void> => {
    const res = await request('PUT', `/api/channels/${channel}`, { token: admin.token, body });
    if (res.status !== 200) throw new Error(`configure ${channel}: ${res.status} ${res.text}`);
  };

  it('when an admin tests a social channel, then its reply endpoint gets one signed test message, and the answer and the audit trail say it was delivered with 200', async () => {
    await withReceiver(200, async (receiver) => {
      await configure('web_qa', { secret, replyUrl: `${receiver.url}/reply` });
      const res = await request('POST', '/api/channels/web_qa/test', { token: admin.token, body: {} });

      expect(res.status, res.text).to.equal(200);
      expect(res.body).to.include({ delivered: true, via: 'webhook', destination: receiver.url, status: 200, error: null });
      expect(receiver.received).to.have.length(1);
      const [got] = receiver.received;
      expect(got?.path).to.equal('/reply');
      expect(got?.headers['x-signature']).to.equal(signatureOf(secret, got?.body ?? ''));
      const message = JSON.parse(got?.body ?? '{}');
      expect(message).to.include({ event: 'test', test: true });
      expect(got?.headers['idempotency-key']).to.equal(message.messageId);
      const { rows } = await harness().pool.query(`SELECT after FROM audit_log WHERE action = 'test_send' AND subject_id = 'web_qa' AND actor_id = $1`, [admin.id]);
      expect(rows.map((r) => r.after)).to.deep.include(res.body);
    });
  });

  it('when the receiver refuses or nobody listens, then the answer carries its status code or the error, not a failure of the request', async () => {
    let closed = '';
    await withReceiver(503, async (refusing) => {
      closed = refusing.url;
      await configure('microblog', { secret, replyUrl: `${refusing.url}/reply` });
      const refused = await request('POST', '/api/channels/microblog/test', { token: admin.token, body: {} });
      expect(refused.status, refused.text).to.equal(200);
      expect(refused.body).to.include({ delivered: false, status: 503 });
      expect(refused.body.error).to.include('answered 503');
    });
    // The same port once its receiver has closed: nobody listens there.
    await configure('microblog', { secret, replyUrl: closed });
    const nobody = await request('POST', '/api/channels/microblog/test', { token: admin.token, body: {} });
    expect(nobody.body).to.include({ delivered: false, status: null });
    expect(nobody.body.error).to.match(/ECONNREFUSED/);
  });

  it('when the SMS gateway is tested, then it gets a signed request for the given mobile number, and the answer masks the number', async () => {
    await withReceiver(202, async (gateway) => {
      await configure('hotline', { secret, smsGatewayUrl: `${gateway.url}/sms` });
      const res = await request('POST', '/api/channels/hotline/test', { token: admin.token, body: { to: '13912345678' } });

      expect(res.body).to.include({ delivered: true, via: 'sms', status: 202 });
      expect(res.body.destination).to.equal(`${gateway.url} → 139****5678`);
      const [got] = gateway.received;
      expect(got?.headers['x-signature']).to.equal(signatureOf(secret, got?.body ?? ''));
      expect(JSON.parse(got?.body ?? '{}')).to.include({ to: '13912345678', test: true });
      expect((await request('POST', '/api/channels/hotline/test', { token: admin.token, body: {} })).status).to.equal(400);
      expect((await request('POST', '/api/channels/hotline/test', { token: admin.token, body: { to: '12345' } })).status).to.equal(400);
    });
  });

  it('when a stored endpoint now resolves to an internal address off the allow-list, then the guard stops the test before it connects', async () => {
    await withReceiver(200, async (receiver) => {
      await configure('wechat', { secret, replyUrl: `${receiver.url}/reply` });
      // The name resolved outside when it was set and inside now (DNS rebinding): the stored row says so.
      await harness().pool.query(`UPDATE channel_configs SET reply_url = $1 WHERE channel = 'wechat'`, [`${receiver.url.replace('127.0.0.1', '127.0.0.2')}/reply`]);
      const res = await request('POST', '/api/channels/wechat/test', { token: admin.token, body: {} });

      expect(res.body).to.include({ delivered: false, status: null });
      expect(res.body.error).to.include("127.0.0.2, a loopback, private or link-local address");
      expect(receiver.received).to.have.length(0);
    });
  });

  it('when someone other than an admin tests, or the channel has no reply endpoint, then 403 and 409', async () => {
    const supervisor = await createStaff('supervisor');
    expect((await request('POST', '/api/channels/web_qa/test', { token: supervisor.token, body: {} })).status).to.equal(403);
    expect((await request('POST', '/api/channels/web_qa/test', { body: {} })).status).to.equal(401);
    await configure('web_qa', { secret });
    expect((await request('POST', '/api/channels/web_qa/test', { token: admin.token, body: {} })).status).to.equal(409);
    expect((await request('POST', '/api/channels/letter/test', { token: admin.token, body: {} })).status).to.equal(400);
  });
});
