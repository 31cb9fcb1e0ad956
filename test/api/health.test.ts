import { expect } from 'chai';
import { request } from '../support/http.js';

describe('health endpoints', () => {
  it('when the services are up, then /healthz and /readyz say so', async () => {
    const live = await request('GET', '/healthz');
    const ready = await request('GET', '/readyz');
    expect(live.status).to.equal(200);
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.include({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    expect(ready.body.warnings).to.be.an('array');
  });

  it('when /metrics is read, then it serves Prometheus text with the request histogram', async () => {
    await request('GET', '/healthz');
    const res = await request('GET', '/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    expect(res.text).to.include('http_request_duration_seconds_bucket');
  });
});
