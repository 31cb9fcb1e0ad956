import { expect } from 'chai';
import { harness } from '../support/harness.js';
import { freshIp, request } from '../support/http.js';

describe('health endpoints', () => {
  it('when the services are up, then /healthz and /readyz say so, with the checks only for the metrics token', async () => {
    const live = await request('GET', '/healthz');
    const probe = await request('GET', '/readyz');
    const detailed = await request('GET', '/readyz', { token: harness().metricsToken });
    expect(live.status).to.equal(200);
    expect(probe.status).to.equal(200);
    expect(probe.body).to.deep.equal({ status: 'ready' });
    expect(detailed.status).to.equal(200);
    expect(detailed.body).to.deep.include({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
    expect(detailed.body.warnings).to.be.an('array');
  });

  it('when /metrics is read with the metrics token, then it serves Prometheus text with the request histogram', async () => {
    await request('GET', '/healthz');
    const res = await request('GET', '/metrics', { token: harness().metricsToken });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^text\/plain/);
    expect(res.text).to.include('http_request_duration_seconds_bucket');
  });

  it('when /metrics is read without the token, with a wrong one or with a staff token, then 401 in the error format', async () => {
    const admin = await request('POST', '/api/auth/login', { ip: freshIp(), body: { username: 'admin', password: harness().adminPassword } });
    for (const token of [undefined, 'metrics-token-for-tests-but-wrong', admin.body.accessToken as string]) {
      const res = await request('GET', '/metrics', { token });
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
      expect(res.text).not.to.include('http_request_duration_seconds');
    }
  });
});
