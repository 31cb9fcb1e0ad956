import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createOutboundGuard, ForbiddenDestinationError, isForbiddenAddress } from '../../infra/outbound-guard.js';
import { DeliveryError, postSigned } from '../../jobs/outbound-adapters.js';

describe('outbound destinations set by an admin (infra/outbound-guard.ts)', () => {
  it('when an address is loopback, private, link-local or unspecified, then it is forbidden; a public one is not', () => {
    const forbidden = ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1'];
    const allowed = ['8.8.8.8', '172.32.0.1', '223.5.5.5', '2400:3200::1'];

    expect(forbidden.filter((a) => !isForbiddenAddress(a))).to.deep.equal([]);
    expect(allowed.filter(isForbiddenAddress)).to.deep.equal([]);
  });

  it('when a host name resolves to loopback, then it is refused by its resolved address unless allow-listed', async () => {
    const error = await createOutboundGuard([]).assertAllowed('localhost').then(() => undefined, (e: unknown) => e);

    expect(error).to.be.instanceOf(ForbiddenDestinationError);
    await createOutboundGuard(['localhost']).assertAllowed('localhost');
  });

  describe('when a message is posted', () => {
    let server: http.Server;
    let got = 0;
    before(async () => {
      server = http.createServer((req, res) => {
        got += 1;
        req.resume();
        res.end('ok');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('then the address is checked when the connection is made: a name resolving to loopback fails for good, and passes once allow-listed', async () => {
      const url = `http://localhost:${(server.address() as AddressInfo).port}/reply`;
      const send = (allow: string[]): Promise<unknown> =>
        postSigned(url, 'secret-secret-secret', { text: 'hi' }, 'key-1', { timeoutMs: 5_000, guard: createOutboundGuard(allow) }).then(() => undefined, (e: unknown) => e);

      const refused = await send([]);
      const before = got;
      const passed = await send(['localhost']);

      expect(refused).to.be.instanceOf(DeliveryError);
      expect((refused as DeliveryError).permanent).to.equal(true);
      expect(before).to.equal(0);
      expect(passed).to.equal(undefined);
      expect(got).to.equal(1);
    });

    it('then an address literal, which connects without a lookup, is checked too: a loopback fails for good before connecting', async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reply`;
      const before = got;
      const refused = await postSigned(url, 'secret-secret-secret', { text: 'hi' }, 'key-2', { timeoutMs: 5_000, guard: createOutboundGuard([]) }).then(() => undefined, (e: unknown) => e);

      expect(refused).to.be.instanceOf(DeliveryError);
      expect((refused as DeliveryError).permanent).to.equal(true);
      expect(got).to.equal(before);
    });
  });
});
