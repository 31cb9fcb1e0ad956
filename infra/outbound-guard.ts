import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Loopback, private, carrier-grade NAT, link-local (cloud metadata at 169.254.169.254), multicast,
// reserved and unspecified addresses: what an admin-set URL must never reach unless allow-listed.
const FORBIDDEN = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) {
  FORBIDDEN.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is loopback, private, link-local or otherwise not a public host. */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return FORBIDDEN.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return FORBIDDEN.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** An admin-set outbound URL or host that resolves to a forbidden address. */
export class ForbiddenDestinationError extends Error {
  constructor(host: string, address: string) {
    super(`${host} resolves to ${address}, a loopback, private or link-local address; add it to OUTBOUND_ALLOW_HOSTS if it is meant`);
    this.name = 'ForbiddenDestinationError';
  }
}

/**
 * Keeps admin-set outbound destinations (reply URLs, the SMS gateway, the SMTP host) off internal
 * addresses (SSRF). Hosts and addresses on the allow-list (OUTBOUND_ALLOW_HOSTS) pass. The check is
 * made on the resolved address, at configuration and again at connection time (`lookup`), so a
 * name that resolves elsewhere later is caught too.
 */
export interface OutboundGuard {
  /** Resolves `host` and throws ForbiddenDestinationError if any address is forbidden. */
  assertAllowed(host: string): Promise<void>;
  /** A `lookup` for http(s).request that refuses forbidden addresses when the socket connects. */
  readonly lookup: LookupFunction;
}

const stripBrackets = (host: string): string => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** A guard with this allow-list of host names and addresses. */
export function createOutboundGuard(allowHosts: readonly string[]): OutboundGuard {
  const allowed = new Set(allowHosts.map((h) => stripBrackets(h.trim())).filter(Boolean));
  const refused = (host: string, address: string): boolean => !allowed.has(stripBrackets(host)) && !allowed.has(address) && isForbiddenAddress(address);
  const lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      const bad = addresses.find((a) => refused(hostname, a.address));
      if (bad) return callback(new ForbiddenDestinationError(hostname, bad.address), '', 4);
      const first = addresses[0];
      if (options.all) return (callback as unknown as (e: null, all: dns.LookupAddress[]) => void)(null, addresses);
      if (!first) return callback(new Error(`${hostname} has no address`), '', 4);
      return callback(null, first.address, first.family);
    });
  };
  return {
    lookup,
    async assertAllowed(host) {
      const name = stripBrackets(host);
      const addresses = isIP(name) ? [{ address: name }] : await dns.promises.lookup(name, { all: true });
      const bad = addresses.find((a) => refused(name, a.address));
      if (bad) throw new ForbiddenDestinationError(name, bad.address);
    },
  };
}
