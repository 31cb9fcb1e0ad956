import { expect } from 'chai';
import { loadConfig } from '../../config.js';

describe('configuration: TRUST_PROXY and METRICS_TOKEN', () => {
  it('when TRUST_PROXY is unset, then only a loopback proxy is trusted', () => {
    expect(loadConfig({}).trustProxy).to.deep.equal(['loopback']);
  });

  it('when TRUST_PROXY is false, a hop count or a list of subnets, then it is parsed for Express', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).trustProxy).to.deep.equal(['loopback', '10.0.0.0/8', 'fd00::1']);
  });

  it('when TRUST_PROXY is true or not an address, then start-up refuses with the reason', () => {
    for (const value of ['true', '10.0.0.0/40', 'proxy.example']) {
      expect(() => loadConfig({ TRUST_PROXY: value }), value).to.throw(/TRUST_PROXY/);
    }
  });

  it('when METRICS_TOKEN is shorter than 16 characters, then start-up refuses', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).to.throw(/METRICS_TOKEN/);
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-metrics-token' }).metricsToken).to.equal('a-long-enough-metrics-token');
  });
});
