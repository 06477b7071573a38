/**
 * A webhook receiver for the tests: a real HTTP server on an ephemeral port that checks every
 * request's Standard Webhooks signature with its own code (deliberately not the product's), records
 * what came, and answers as the test tells it to (status, delay).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedRequest {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** The parsed CloudEvents body. */
  event: { id: string; type: string; subject?: string; data: Record<string, unknown>; [k: string]: unknown };
  /** Whether the signature verified against the receiver's secret at the time it arrived. */
  verified: boolean;
  /** The same check by the off-the-shelf `standardwebhooks` library, as a partner would run it. */
  verifiedByLibrary: boolean;
  arrivedAt: number;
  /** What the receiver answered (null: it hung up or never answered). */
  answered: number | null;
  /**
   * Places on one counter shared by every receiver of the process (see `happened`): when the
   * request arrived, and when it ended (answered, or the sender gave up and closed it). Tests
   * prove "B arrived before any of A's attempts ended" by these, not by milliseconds.
   */
  arrivedSeq: number;
  endedSeq?: number;
}

let sequence = 0;
/** The next place in the order of what happened, for a test to mark its own steps among the receivers'. */
export const happened = () => ++sequence;

export type Reply = { status: number; delayMs?: number; body?: string };

export interface WebhookReceiver {
  url: string;
  secret: string;
  requests: ReceivedRequest[];
  /** Decides the answer to each request; by default 200. */
  reply: (request: ReceivedRequest, attemptOfThisId: number) => Reply;
  /** Requests for one event type and subject. */
  about(subject: string, type?: string): ReceivedRequest[];
  close(): Promise<void>;
}

/** The check a partner would write: HMAC-SHA256 over "id.timestamp.body" keyed with the bytes after whsec_. */
export function verifyStandardWebhook(secret: string, id: string, timestamp: string, body: string, signatureHeader: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatureHeader.split(' ').some((part) => {
    if (!part.startsWith('v1,')) return false;
    const given = Buffer.from(part.slice(3), 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

function libraryVerifies(secret: string, body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: WebhookReceiver = {
    url: '',
    secret: '',
    requests: [],
    reply: () => ({ status: 200 }),
    about: (subject, type) => receiver.requests.filter((r) => r.event.subject === subject && (!type || r.event.type === type)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const header = (name: string) => String(req.headers[name] ?? '');
    const id = header('webhook-id');
    const timestamp = header('webhook-timestamp');
    const signature = header('webhook-signature');
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
    const request: ReceivedRequest = {
      id,
      timestamp: Number(timestamp),
      signature,
      body,
      event: JSON.parse(body),
      verified: fresh && verifyStandardWebhook(receiver.secret, id, timestamp, body, signature),
      verifiedByLibrary: libraryVerifies(receiver.secret, body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature }),
      arrivedAt: Date.now(),
      answered: null,
      arrivedSeq: happened(),
    };
    res.once('close', () => {
      request.endedSeq ??= happened();
    });
    receiver.requests.push(request);
    const attempt = receiver.requests.filter((r) => r.id === id).length;
    const reply = receiver.reply(request, attempt);
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed || req.socket.destroyed) return;
    request.answered = reply.status;
    res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body ?? (reply.status < 300 ? 'ok' : 'not now'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
