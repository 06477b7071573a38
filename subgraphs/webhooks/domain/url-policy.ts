import { BlockList, isIP } from 'node:net';

export const MAX_URL_LENGTH = 2048;

/**
 * IPv4 networks a webhook must never reach when private networks are blocked (SSRF): "this
 * network", private, shared (CGNAT), loopback, link-local (cloud metadata), IETF protocol
 * assignments, the 6to4 relay, benchmarking, multicast, reserved and broadcast. (Documentation
 * ranges such as 203.0.113.0/24 reach nothing of ours and are left to routing.)
 */
const BLOCKED_V4 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED_V4.addSubnet(net, prefix, 'ipv4');

/**
 * IPv6 networks refused outright: unique-local, link-local, site-local, multicast, discard-only,
 * ORCHID, NAT64 local-use (64:ff9b:1::/48, its IPv4 part is operator-defined) and
 * Teredo (2001::/32: the client's IPv4 address is obfuscated in it, and no webhook needs it).
 * Loopback (::1) and unspecified (::) fall under the IPv4-compatible rule below (0.0.0.1, 0.0.0.0).
 */
const BLOCKED_V6 = new BlockList();
for (const [net, prefix] of [
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['100::', 64], ['2001:10::', 28], ['2001:20::', 28],
  ['64:ff9b:1::', 48], ['2001::', 32], ['5f00::', 16],
] as const) BLOCKED_V6.addSubnet(net, prefix, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included), or undefined. */
export function ipv6Groups(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const left = part(head);
  const right = part(tail);
  const groups = tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 ? groups : undefined;
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 address carries and that a host or translator on the path would
 * reach instead: IPv4-compatible (::a.b.c.d, which includes :: and ::1), IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), NAT64 well-known prefix (64:ff9b::/96)
 * and 6to4 (2002:aabb:ccdd::/48).
 */
export function embeddedIpv4(groups: readonly number[]): string | undefined {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  const zero = (...gs: number[]) => gs.every((g) => g === 0);
  if (zero(g0, g1, g2, g3, g4) && (g5 === 0 || g5 === 0xffff)) return v4(g6, g7);
  if (zero(g0, g1, g2, g3) && g4 === 0xffff && g5 === 0) return v4(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && zero(g2, g3, g4, g5)) return v4(g6, g7);
  if (g0 === 0x2002) return v4(g1, g2);
  return undefined;
}

/** An address as the check sees it: brackets and a zone id (fe80::1%eth0) dropped. */
const bareAddress = (address: string) => address.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');

/**
 * True for an IP address a webhook may not target when private networks are blocked; false for a
 * public address and for anything that is not an IP address (a name is resolved and checked
 * again when a delivery connects).
 */
export function isPrivateAddress(address: string): boolean {
  const bare = bareAddress(address);
  const family = isIP(bare);
  if (family === 4) return BLOCKED_V4.check(bare, 'ipv4');
  if (family !== 6) return false;
  const groups = ipv6Groups(bare);
  if (!groups) return true;
  const inner = embeddedIpv4(groups);
  if (inner !== undefined && BLOCKED_V4.check(inner, 'ipv4')) return true;
  return BLOCKED_V6.check(bare, 'ipv6');
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * The rules an endpoint URL must meet when it is registered: http(s) only, no credentials in it
 * (they would be stored and shown), and with private networks blocked no loopback/private host
 * named by address (in any spelling the URL parser accepts: decimal, octal, hex, short IPv4
 * forms become dotted quads) or as localhost. Names that resolve to such addresses are refused
 * again when a delivery connects (services/sender.ts), since DNS can change after registration.
 */
export function checkEndpointUrl(value: string, options: { blockPrivateNetworks: boolean }): UrlCheck {
  if (value.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must be an http or https URL' };
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' };
  if (!url.hostname) return { ok: false, reason: 'must name a host' };
  if (options.blockPrivateNetworks) {
    const host = bareAddress(url.hostname).toLowerCase().replace(/\.+$/, '');
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
      return { ok: false, reason: 'must not point at a loopback, private or link-local address' };
    }
  }
  return { ok: true, url };
}
