import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent, request } from 'undici';
import { excerpt, EXCERPT_BYTES } from '../domain/excerpt.ts';
import { checkEndpointUrl, isPrivateAddress } from '../domain/url-policy.ts';

export interface AttemptResult {
  ok: boolean;
  /** The HTTP status, or null when no response came (refused, timed out, blocked). */
  status: number | null;
  latencyMs: number;
  /** At most 1 KB of the response body, or what went wrong. */
  excerpt: string;
}

export interface Sender {
  send(url: string, headers: Record<string, string>, body: string): Promise<AttemptResult>;
  close(): Promise<void>;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
/** How names become addresses: dns.lookup with `all: true` (tests pass a fake to play DNS rebinding). */
export type Resolver = (hostname: string, callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export const systemResolver: Resolver = (hostname, callback) => lookup(hostname, { all: true }, callback);

/**
 * net.connect's lookup, refusing private addresses: the check applies to the very address the
 * socket connects to, so a name that resolved to a public address at registration and to
 * 127.0.0.1 now (DNS rebinding) is still refused.
 */
const guardedLookup = (resolve: Resolver) => (hostname: string, options: LookupOptions, callback: LookupCallback) => {
  resolve(hostname, (error, resolved) => {
    if (error) return callback(error, []);
    const addresses = options.family === 4 || options.family === 6 ? resolved.filter((a) => a.family === options.family) : resolved;
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to ${blocked.address}, a loopback, private or link-local address`);
      refused.code = 'EWEBHOOKBLOCKED';
      return callback(refused, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
};

/**
 * POSTs one attempt: no redirects followed (a 3xx is a failure, as Standard Webhooks says), the
 * whole exchange bounded by `timeoutMs`, and no more than an excerpt of the body read.
 */
export function createSender(options: { timeoutMs: number; blockPrivateNetworks: boolean; now?: () => number; resolve?: Resolver }): Sender {
  const now = options.now ?? (() => performance.now());
  const agent = new Agent({
    connect: { timeout: options.timeoutMs, ...(options.blockPrivateNetworks ? { lookup: guardedLookup(options.resolve ?? systemResolver) as never } : {}) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return {
    async send(url, headers, body) {
      const started = now();
      const elapsed = () => Math.round(now() - started);
      // Literal addresses never reach the lookup, so they are checked here (and the URL's shape again).
      const check = checkEndpointUrl(url, { blockPrivateNetworks: options.blockPrivateNetworks });
      if (!check.ok) return { ok: false, status: null, latencyMs: 0, excerpt: `not sent: the URL ${check.reason}` };
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const res = await request(url, { method: 'POST', headers: { ...headers, 'user-agent': 'VoidTracker-Webhooks/1' }, body, dispatcher: agent, signal });
        const latencyMs = elapsed();
        const chunks: Buffer[] = [];
        let size = 0;
        try {
          for await (const chunk of res.body) {
            chunks.push(chunk as Buffer);
            size += (chunk as Buffer).length;
            if (size > EXCERPT_BYTES) break;
          }
        } finally {
          // Stops reading what we would not keep anyway.
          res.body.destroy();
        }
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        return { ok, status: res.statusCode, latencyMs, excerpt: excerpt(Buffer.concat(chunks).toString('utf8')) };
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
        const timedOut = signal.aborted || e.name === 'TimeoutError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT';
        const message = timedOut ? `timed out after ${options.timeoutMs} ms` : (e.cause?.message ?? e.message);
        return { ok: false, status: null, latencyMs: elapsed(), excerpt: excerpt(message) };
      }
    },
    close: () => agent.close(),
  };
}
