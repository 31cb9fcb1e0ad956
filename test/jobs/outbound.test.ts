import crypto from 'node:crypto';
import { expect } from 'chai';
import { createOutboundQueue, outboundJobId, type OutboundQueue } from '../../jobs/outbound.queue.js';
import { eventually } from '../support/deadline-cases.js';
import { buildCase, createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';
import { HttpReceiver, sign, SmtpSink } from './outbound-receivers.js';
import { keepChannelConfigs } from '../support/channel-configs.js';

const TANYI = '371325105';
const TOUCHED = ['web_qa', 'mailbox', 'hotline'];
// A reply quoting a phone number: what leaves the system is masked as on the public page.
const REPLY = '路灯已于今日修复，如仍有问题请联系工作人员13900001111。';
const MASKED_REPLY = '路灯已于今日修复，如仍有问题请联系工作人员139****1111。';

interface DeliveryEvent {
  action: string;
  data: Record<string, any>;
  public: boolean;
}

// Replies go out through the harness's in-process worker, to real servers on local ports.
describe('outbound: replies through the channel the case came from (按来源渠道回复)', function () {
  this.timeout(60_000);
  const receiver = new HttpReceiver();
  const smtp = new SmtpSink();
  const webQaSecret = `webqa-${crypto.randomBytes(12).toString('hex')}`;
  const smsSecret = `sms-${crypto.randomBytes(12).toString('hex')}`;
  let restoreChannels: () => Promise<void> = async () => undefined;
  let admin: string;
  let supervisor: Staff;
  let queue: OutboundQueue;
  const handlers = new Map<string, Staff>();

  async function configure(channel: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await request('PUT', `/api/channels/${channel}`, { token: admin, body });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  before(async () => {
    const { pool, adminPassword } = harness();
    // Other tests configure these channels too: what was there is put back afterwards.
    restoreChannels = await keepChannelConfigs(pool, TOUCHED);
    await Promise.all([receiver.start(), smtp.start()]);
    admin = (await request('POST', '/api/auth/login', { body: { username: 'admin', password: adminPassword } })).body.accessToken;
    supervisor = await createStaff('supervisor');
    queue = createOutboundQueue(harness().redisUrl);
    await configure('web_qa', { secret: webQaSecret, replyUrl: receiver.url('/web-qa') });
    await configure('hotline', { secret: smsSecret, smsGatewayUrl: receiver.url('/sms') });
    await configure('mailbox', { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'noreply@12345.linyi.gov.cn' } });
  });

  after(async () => {
    await restoreChannels();
    await queue.close();
    await Promise.all([receiver.stop(), smtp.stop()]);
  });

  async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<void> {
    const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
    expect(res.status, `${String(body.action)}: ${res.text}`).to.equal(200);
  }

  async function caseOf(caseNo: string): Promise<{ id: string; queryCode: string }> {
    const { rows } = await harness().pool.query('SELECT id, query_code FROM cases WHERE case_no = $1', [caseNo]);
    return { id: rows[0].id, queryCode: rows[0].query_code };
  }

  async function lastEventId(caseId: string, action: string): Promise<number> {
    const { rows } = await harness().pool.query('SELECT max(id)::int AS id FROM case_events WHERE case_id = $1 AND action = $2', [caseId, action]);
    return rows[0].id;
  }

  /** Takes a case to `replied` as a handler of the unit it was routed to (the 路灯 rule: 探沂镇). */
  async function reply(caseId: string, text = REPLY): Promise<number> {
    const { rows } = await harness().pool.query('SELECT status, assigned_unit_code FROM cases WHERE id = $1', [caseId]);
    let unit: string = rows[0].assigned_unit_code;
    if (!unit || rows[0].status !== 'dispatched') {
      unit = TANYI;
      await act(supervisor, caseId, { action: 'dispatch', unitCode: unit });
    }
    if (!handlers.has(unit)) handlers.set(unit, await createStaff('handler', unit));
    const handler = handlers.get(unit) as Staff;
    await act(handler, caseId, { action: 'accept' });
    await act(handler, caseId, { action: 'reply', reply: text });
    return lastEventId(caseId, 'reply');
  }

  async function deliveries(caseId: string, eventId: number): Promise<DeliveryEvent[]> {
    const { rows } = await harness().pool.query(
      `SELECT action, data, public FROM case_events WHERE case_id = $1 AND action LIKE 'reply_deliver%' AND (data->>'eventId')::bigint = $2 ORDER BY id`,
      [caseId, eventId],
    );
    return rows;
  }

  /**
   * Waits for the outcome of one event. Retries wait out an exponential back-off (10 s at first in
   * production); a delayed retry is promoted here so that the test runs them at once — the same
   * job, attempt count and code path, only sooner.
   */
  async function outcome(caseId: string, eventId: number, timeoutMs = 15_000): Promise<DeliveryEvent> {
    return eventually(async () => {
      const job = await queue.getJob(outboundJobId(eventId));
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
      return (await deliveries(caseId, eventId))[0];
    }, timeoutMs, `the delivery outcome of event ${eventId}`);
  }

  async function webhookCase(text = '费县探沂镇朱田村东路灯坏了一个星期了，晚上很黑，希望尽快修好'): Promise<{ caseNo: string; messageId: string; id: string; queryCode: string }> {
    const messageId = `qa-${crypto.randomUUID()}`;
    const raw = JSON.stringify({ messageId, text, author: { id: `u-${crypto.randomBytes(4).toString('hex')}`, name: '网友老李' }, postedAt: new Date(Date.now() - 60_000).toISOString() });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await request('POST', '/api/channels/web_qa/webhook', { raw, headers: { 'X-Timestamp': timestamp, 'X-Signature': sign(webQaSecret, `${timestamp}.${raw}`) } });
    expect(res.status, res.text).to.equal(201);
    return { caseNo: res.body.caseNo, messageId, ...(await caseOf(res.body.caseNo)) };
  }

  it('when a web Q&A case is replied, then its reply endpoint gets one signed message answering the original post, and the timeline records it', async () => {
    const c = await webhookCase();
    const eventId = await reply(c.id);

    const done = await outcome(c.id, eventId);

    expect(done).to.deep.include({ action: 'reply_delivered', public: false });
    expect(done.data).to.include({ channel: 'web_qa', via: 'webhook', to: c.messageId, attempts: 1, eventId });
    const got = receiver.about(c.caseNo);
    expect(got).to.have.length(1);
    const [message] = got;
    expect(message?.path).to.equal('/web-qa');
    expect(message?.headers['x-signature']).to.equal(sign(webQaSecret, message?.raw ?? ''));
    expect(message?.headers['idempotency-key']).to.equal(`out-${eventId}`);
    expect(message?.body).to.deep.equal({
      messageId: c.messageId,
      caseNo: c.caseNo,
      eventId,
      event: 'reply',
      status: 'replied',
      statusLabel: '已答复',
      text: `您的诉求（编号${c.caseNo}）已答复。答复如下：${MASKED_REPLY}凭诉求编号和查询码可查询办理进度并对办理结果进行评价。`,
      queryUrlPath: `/?caseNo=${c.caseNo}&code=${c.queryCode}`,
    });
    // Only news for the citizen goes out: acceptance is internal work, no job was made for it.
    expect(await queue.getJob(outboundJobId(await lastEventId(c.id, 'accept')))).to.equal(undefined);
    const detail = await request('GET', `/api/cases/${c.id}`, { token: supervisor.token });
    expect(detail.body.events.map((e: { action: string }) => e.action)).to.include('reply_delivered');
  });

  it('when the case is then closed and reopened, then the citizen is told each time, in order', async () => {
    const c = await webhookCase();
    await outcome(c.id, await reply(c.id));

    await act(supervisor, c.id, { action: 'close', satisfaction: 'satisfied' });
    await outcome(c.id, await lastEventId(c.id, 'close'));
    await act(supervisor, c.id, { action: 'reopen', reason: '回访发现路灯仍不亮' });
    const reopened = await outcome(c.id, await lastEventId(c.id, 'reopen'));

    expect(reopened.action).to.equal('reply_delivered');
    const got = receiver.about(c.caseNo).map((r) => r.body);
    expect(got.map((b) => [b.event, b.status, b.statusLabel])).to.deep.equal([
      ['reply', 'replied', '已答复'],
      ['close', 'closed', '已办结'],
      ['reopen', 'dispatched', '已派单'],
    ]);
    expect(got[2]?.text).to.include('已重新办理').and.include('办理结果将再次告知您').and.not.include('回访发现');
  });

  it('when a mayor\'s mailbox letter with an e-mail address is replied, then the SMTP server receives one Chinese e-mail to that address only', async () => {
    const email = `citizen-${crypto.randomBytes(3).toString('hex')}@example.com`;
    const res = await request('POST', '/api/public/mailbox', {
      ip: freshIp(),
      body: { name: '王小明', phone: '13712345678', email, title: '路灯不亮', content: '临沂市费县探沂镇朱田村东的路灯坏了一周，晚上出行不便', address: '临沂市费县探沂镇朱田村东', type: 'complaint' },
    });
    expect(res.status, res.text).to.equal(201);
    const c = await caseOf(res.body.caseNo);
    const eventId = await reply(c.id);

    const done = await outcome(c.id, eventId);

    expect(done.data).to.include({ channel: 'mailbox', via: 'email', to: `c***@example.com`, attempts: 1 });
    const mails = smtp.about(res.body.caseNo);
    expect(mails).to.have.length(1);
    const [mail] = mails;
    expect(mail?.envelopeTo).to.deep.equal([email]);
    expect(mail?.headers.get('from')).to.include('noreply@12345.linyi.gov.cn');
    expect(mail?.subject).to.equal(`【12345】您的诉求${res.body.caseNo}已答复`);
    expect(mail?.text).to.include(`答复内容：\n${MASKED_REPLY}`).and.include('当前状态：已答复').and.include(`查询码 ${res.body.queryCode}`).and.include('评价');
    // Nothing about the citizen but the address it is sent to.
    expect(mail?.raw).not.to.include('13712345678');
    expect(mail?.text).not.to.include('王小明').and.not.include('13900001111');
    expect(receiver.about(res.body.caseNo)).to.have.length(0);
  });

  it('when a mailbox letter without an e-mail address is replied, then it falls back to one SMS through the hotline gateway', async () => {
    const res = await request('POST', '/api/public/mailbox', {
      ip: freshIp(),
      body: { phone: '13712340000', title: '路灯不亮', content: '临沂市费县探沂镇朱田村东的路灯坏了一周', address: '临沂市费县探沂镇朱田村东', type: 'complaint' },
    });
    const c = await caseOf(res.body.caseNo);
    const done = await outcome(c.id, await reply(c.id));

    expect(done.data).to.include({ channel: 'hotline', via: 'sms', to: '137****0000' });
    const sms = receiver.about(res.body.caseNo);
    expect(sms.map((r) => [r.path, r.body.to])).to.deep.equal([['/sms', '13712340000']]);
    expect(smtp.about(res.body.caseNo)).to.have.length(0);
  });

  it('when a hotline case is replied, then the SMS gateway gets one signed {to, text} with the reply and the query code', async () => {
    const c = await buildCase({ citizen: { name: '张三', phone: '13812341234' } });
    const eventId = await reply(c.id);

    const done = await outcome(c.id, eventId);

    expect(done.action).to.equal('reply_delivered');
    const got = receiver.about(c.caseNo);
    expect(got).to.have.length(1);
    expect(got[0]?.headers['x-signature']).to.equal(sign(smsSecret, got[0]?.raw ?? ''));
    expect(got[0]?.body).to.deep.equal({
      to: '13812341234',
      caseNo: c.caseNo,
      eventId,
      text: `【12345】您的诉求${c.caseNo}已答复。答复：${MASKED_REPLY}查询码${c.queryCode}，可在12345网站查询办理进度并对办理结果进行评价。`,
    });
    expect(got[0]?.raw).not.to.include('张三');
  });

  it('when the gateway answers 500 twice and then 200, then the SMS is delivered once, on the third attempt', async () => {
    await configure('hotline', { secret: smsSecret, smsGatewayUrl: receiver.url('/sms-flaky') });
    receiver.plan('/sms-flaky', [500, 500, 200]);
    try {
      const c = await buildCase();
      const done = await outcome(c.id, await reply(c.id));

      expect(done).to.deep.include({ action: 'reply_delivered' });
      expect(done.data.attempts).to.equal(3);
      expect(receiver.about(c.caseNo).map((r) => r.status)).to.deep.equal([500, 500, 200]);
      expect(await deliveries(c.id, done.data.eventId)).to.have.length(1);
    } finally {
      await configure('hotline', { secret: smsSecret, smsGatewayUrl: receiver.url('/sms') });
    }
  });

  it('when the reply endpoint always fails, then after the last attempt the timeline shows reply_delivery_failed, and a 4xx fails at once', async () => {
    receiver.plan('/web-qa-down', [503]);
    receiver.plan('/web-qa-gone', [404]);
    try {
      await configure('web_qa', { secret: webQaSecret, replyUrl: receiver.url('/web-qa-down') });
      const down = await webhookCase();
      const downEvent = await reply(down.id);
      const failed = await outcome(down.id, downEvent, 30_000);

      expect(failed).to.deep.include({ action: 'reply_delivery_failed', public: false });
      expect(failed.data).to.include({ channel: 'web_qa', via: 'webhook', attempts: 6, error: `http://127.0.0.1:${new URL(receiver.url('/')).port} answered 503` });
      expect(receiver.about(down.caseNo)).to.have.length(6);
      expect(await (await queue.getJob(outboundJobId(downEvent)))?.getState()).to.equal('failed');

      await configure('web_qa', { secret: webQaSecret, replyUrl: receiver.url('/web-qa-gone') });
      const gone = await webhookCase();
      const refused = await outcome(gone.id, await reply(gone.id));
      expect(refused.action).to.equal('reply_delivery_failed');
      expect(refused.data.attempts).to.equal(1);
      expect(receiver.about(gone.caseNo)).to.have.length(1);
    } finally {
      await configure('web_qa', { secret: webQaSecret, replyUrl: receiver.url('/web-qa') });
    }
  });

  it('when the source channel has no reply endpoint or the caller left no number, then reply_delivery_skipped is recorded once, with no attempt', async () => {
    await configure('web_qa', { secret: webQaSecret });
    try {
      const c = await webhookCase();
      const skipped = await outcome(c.id, await reply(c.id));
      expect(skipped.action).to.equal('reply_delivery_skipped');
      expect(skipped.data).to.include({ channel: 'web_qa', reason: 'not_configured', needs: 'web_qa' });
      expect(receiver.about(c.caseNo)).to.have.length(0);
    } finally {
      await configure('web_qa', { secret: webQaSecret, replyUrl: receiver.url('/web-qa') });
    }
    const anonymous = await buildCase({ citizen: {} });
    const noNumber = await outcome(anonymous.id, await reply(anonymous.id));
    expect(noNumber.data).to.include({ channel: 'hotline', reason: 'no_contact' });
  });

  it('when an event is relayed again after its message went out (a crash before the outbox row was marked), then nothing is sent or recorded twice', async () => {
    const c = await buildCase();
    const eventId = await reply(c.id);
    await outcome(c.id, eventId);
    await (await queue.getJob(outboundJobId(eventId)))?.remove();

    await harness().pool.query('UPDATE outbox SET outbound_synced_at = NULL WHERE event_id = $1', [eventId]);

    const rerun = await eventually(async () => {
      const job = await queue.getJob(outboundJobId(eventId));
      // Read again once completed: a job fetched while still active carries no return value yet.
      return job && (await job.isCompleted()) ? (await queue.getJob(outboundJobId(eventId)))?.returnvalue : undefined;
    }, 10_000, 'the relayed job to run again');
    expect(rerun).to.equal('already_recorded');
    expect(receiver.about(c.caseNo)).to.have.length(1);
    expect(await deliveries(c.id, eventId)).to.have.length(1);
  });

  describe('channel configuration (PUT /api/channels/:channel)', () => {
    it('when the mailbox is configured with a password, then GET shows the server but never the password; the hotline needs its gateway', async () => {
      const put = await configure('mailbox', { smtp: { host: '127.0.0.1', port: smtp.port, user: 'mailer', password: 'smtp-password-123', from: 'noreply@12345.linyi.gov.cn' } });
      const list = await request('GET', '/api/channels', { token: admin });

      expect(put.smtp).to.deep.equal({ host: '127.0.0.1', port: smtp.port, secure: false, user: 'mailer', from: 'noreply@12345.linyi.gov.cn', passwordSet: true });
      expect(list.text).not.to.include('smtp-password-123');
      expect(list.body.items.map((i: { channel: string }) => i.channel)).to.include.members(['mailbox', 'hotline', 'web_qa']);
      const bad = await request('PUT', '/api/channels/hotline', { token: admin, body: { secret: smsSecret } });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.deep.equal(['body.smsGatewayUrl']);
      expect((await request('PUT', '/api/channels/mailbox', { token: admin, body: { secret: smsSecret } })).status).to.equal(400);
      expect((await request('PUT', '/api/channels/letter', { token: admin, body: { secret: smsSecret } })).status).to.equal(400);
      await configure('mailbox', { smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'noreply@12345.linyi.gov.cn' } });
    });
  });
});
