import crypto from 'node:crypto';
import { expect } from 'chai';
import { createOutboundQueue, open311NotifyJobId, type OutboundQueue } from '../../jobs/outbound.queue.js';
import { eventually } from '../support/deadline-cases.js';
import { createStaff, type Staff } from '../support/factories.js';
import { harness } from '../support/harness.js';
import { request } from '../support/http.js';
import { adminToken, createOpen311Client, filingFields, postForm } from '../support/open311.js';
import { HttpReceiver, type ReceivedRequest } from './outbound-receivers.js';
import { lastChange } from '../support/timeline.js';

/** Checks a delivery's signature as a subscriber would: HMAC of "<timestamp>.<body>". */
function verify(secret: string, got: ReceivedRequest): boolean {
  const timestamp = String(got.headers['x-timestamp']);
  const expected = `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${got.raw}`).digest('hex')}`;
  return got.headers['x-signature'] === expected && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

// Filing through Open311, handling through the staff API, and the subscriber hearing of it, with
// the harness's in-process outbound worker and a real HTTP receiver on a local port.
describe('Open311 end to end: filed, routed, handled, closed, and the subscriber told', function () {
  this.timeout(60_000);
  const receiver = new HttpReceiver();
  let queue: OutboundQueue;
  let admin: string;
  let supervisor: Staff;

  before(async () => {
    await receiver.start();
    queue = createOutboundQueue(harness().redisUrl);
    admin = await adminToken();
    supervisor = await createStaff('supervisor');
  });

  after(async () => {
    await queue.close();
    await receiver.stop();
  });

  async function act(by: Staff, caseId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await request('POST', `/api/cases/${caseId}/actions`, { token: by.token, body });
    expect(res.status, res.text).to.equal(200);
    return res.body;
  }

  /** The messages about one request, waiting until `count` arrived; delayed retries run at once. */
  async function messages(requestId: string, count: number, eventIds: readonly number[] = []): Promise<ReceivedRequest[]> {
    return eventually(async () => {
      for (const id of eventIds) {
        const job = await queue.getJob(open311NotifyJobId(id));
        if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
      }
      const got = receiver.received.filter((r) => r.body.request?.service_request_id === requestId);
      return got.length >= count ? got : undefined;
    }, 20_000, `${count} notifications about ${requestId}`);
  }

  async function subscribe(apiKey: string, path: string): Promise<string> {
    const res = await postForm('/open311/v2/subscriptions.json', { api_key: apiKey, callback_url: receiver.url(path) });
    expect(res.status, res.text).to.equal(201);
    return res.body[0].secret as string;
  }

  async function file(apiKey: string): Promise<{ requestId: string; caseId: string; unitCode: string }> {
    const res = await postForm('/open311/v2/requests.json', filingFields(apiKey));
    expect(res.status, res.text).to.equal(201);
    const requestId = res.body[0].service_request_id as string;
    const { rows } = await harness().pool.query('SELECT id, assigned_unit_code FROM cases WHERE case_no = $1', [requestId]);
    return { requestId, caseId: rows[0].id, unitCode: rows[0].assigned_unit_code };
  }

  it('when a request is handled through the staff API to the end, then its Open311 status becomes closed and the subscriber gets each change, signed, once', async () => {
    const { apiKey } = await createOpen311Client(admin, '城市随手拍');
    const secret = await subscribe(apiKey, '/callbacks');
    const { requestId, caseId, unitCode } = await file(apiKey);
    // Routed like any other case: the territorial rule sends a street lamp to the township.
    expect(unitCode).to.equal('371325105');
    const handler = await createStaff('handler', unitCode);

    await act(handler, caseId, { action: 'accept' });
    await act(handler, caseId, { action: 'reply', reply: '路灯已于今日修复，有问题请拨打13900001111。' });
    const closed = await act(supervisor, caseId, { action: 'close', satisfaction: 'satisfied' });
    const read = await request('GET', `/open311/v2/requests/${requestId}.json?api_key=${apiKey}`);

    expect(closed.status).to.equal('closed');
    expect(read.body[0]).to.include({ status: 'closed', status_notes: '路灯已于今日修复，有问题请拨打139****1111。' });
    // Changes go out in parallel: a subscriber orders them by event_id.
    const got = (await messages(requestId, 3)).sort((a, b) => a.body.event_id - b.body.event_id);
    expect(got.every((m) => verify(secret, m))).to.equal(true);
    expect(got.map((m) => [m.body.update.status, m.body.request.service_request_id])).to.deep.equal([
      ['open', requestId],
      ['closed', requestId],
      ['closed', requestId],
    ]);
    expect(new Set(got.map((m) => m.headers['idempotency-key'])).size).to.equal(3);
    expect(got.map((m) => m.raw).join('')).not.to.include('13900001111').and.not.include('张三').and.not.include('13812341234');
    const outcomes = await eventually(async () => {
      const { rows } = await harness().pool.query('SELECT outcome FROM open311_deliveries d JOIN case_events e ON e.id = d.event_id WHERE e.case_id = $1', [caseId]);
      return rows.length === 3 ? rows.map((r) => r.outcome) : undefined;
    }, 10_000, 'three recorded outcomes');
    expect(outcomes).to.deep.equal(['delivered', 'delivered', 'delivered']);
  });

  it('when the callback answers 500 first, then the change is delivered on the next attempt and recorded once', async () => {
    const { apiKey } = await createOpen311Client(admin, '偶尔宕机的客户端');
    receiver.plan('/flaky', [500, 200]);
    await subscribe(apiKey, '/flaky');
    const { requestId, caseId, unitCode } = await file(apiKey);
    const handler = await createStaff('handler', unitCode);
    const accepted = await act(handler, caseId, { action: 'accept' });
    const eventId = Number(lastChange(accepted.events).id);

    const got = await messages(requestId, 2, [eventId]);

    expect(got.map((m) => m.status)).to.deep.equal([500, 200]);
    const recorded = await eventually(async () => {
      const { rows } = await harness().pool.query('SELECT outcome, attempts FROM open311_deliveries WHERE event_id = $1', [eventId]);
      return rows.length ? rows : undefined;
    }, 10_000, 'the recorded outcome');
    expect(recorded).to.deep.equal([{ outcome: 'delivered', attempts: 2 }]);
  });

  it('when a client unsubscribes, then later changes are not sent; without a subscription GET is a 404', async () => {
    const { apiKey } = await createOpen311Client(admin, '退订的客户端');
    await subscribe(apiKey, '/quiet');
    const shown = await request('GET', `/open311/v2/subscriptions.json?api_key=${apiKey}`);
    const { requestId, caseId, unitCode } = await file(apiKey);
    const ended = await request('DELETE', `/open311/v2/subscriptions.json?api_key=${apiKey}`);
    const handler = await createStaff('handler', unitCode);
    await act(handler, caseId, { action: 'accept' });
    // A marker request after the accept: once its message arrived, the relay had passed the accept.
    const { apiKey: other } = await createOpen311Client(admin, '对照客户端');
    await subscribe(other, '/marker');
    const marker = await file(other);
    await act(await createStaff('handler', marker.unitCode), marker.caseId, { action: 'accept' });
    await messages(marker.requestId, 1);

    expect(shown.body[0]).to.include({ callback_url: receiver.url('/quiet') });
    expect(shown.body[0]).not.to.have.property('secret');
    expect(ended.status).to.equal(204);
    expect(receiver.received.filter((r) => r.body.request?.service_request_id === requestId)).to.deep.equal([]);
    expect((await request('GET', `/open311/v2/subscriptions.json?api_key=${apiKey}`)).status).to.equal(404);
  });
});
