import type { IncomingMessage } from 'node:http';

/**
 * The client's address as the first trusted hop saw it. Each proxy appends the address it was
 * reached from to X-Forwarded-For, so only the rightmost `trustedProxies` entries were written by
 * proxies we run; anything left of them came from the client and may be made up. With 0 trusted
 * proxies the header is ignored and the socket's peer is the client.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socket = req.socket?.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);
  // Nearest first: the socket (the last proxy), then what each proxy appended, right to left.
  const chain = [socket, ...hops.reverse()];
  return chain[Math.min(trustedProxies, chain.length - 1)]!;
}
