/**
 * Issue 21 #13, as an attacker probed it: in development (what docker compose runs) webhook
 * endpoints could target internal services and read their answers back in `responseExcerpt`;
 * in production IPv6 spellings of 127.0.0.1 (::7f00:1, ::ffff:0:7f00:1) passed the check.
 * Now the guard is on in every mode unless explicitly opted out, and reads every spelling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '../testing/harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

const CREATE_ENDPOINT = `mutation($url: String!) {
  createWebhookEndpoint(url: $url, eventTypes: ["voidtracker.orders.order.created.v1"]) { endpoint { id } }
}`;

describe('the webhook SSRF guard in development, as docker compose runs it', () => {
  let g: TestGraph;
  let admin: string;
  let internal: WebhookReceiver;
  beforeAll(async () => {
    internal = await startWebhookReceiver();
    // No opt-out: the harness's WEBHOOK_BLOCK_PRIVATE_NETWORKS=false is taken away again.
    g = await startTestGraph('pglite', { NODE_ENV: 'development', WEBHOOK_BLOCK_PRIVATE_NETWORKS: undefined });
    admin = await g.login('admin@demo.test');
  }, 180_000);
  afterAll(async () => {
    await internal?.close();
    await g?.close();
  });

  it('refuses an internal service on loopback, so its answers cannot come back in responseExcerpt', async () => {
    const res = await g.gql(CREATE_ENDPOINT, { url: internal.url }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    expect(internal.requests).toEqual([]);
  });

  it('refuses every IPv6 and numeric spelling of loopback, private and metadata addresses', async () => {
    const port = new URL(internal.url).port;
    for (const host of [
      '[::7f00:1]', '[::ffff:0:7f00:1]', '[::ffff:127.0.0.1]', '[::127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]', '[::1]', '[::]',
      '[fd00::1]', '[fe80::1]', '[ff02::1]', '[2001::1]', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', '169.254.169.254', 'localhost.',
    ]) {
      const res = await g.gql(CREATE_ENDPOINT, { url: `http://${host}:${port}/hooks` }, admin);
      expect(res.errors?.[0]?.extensions, host).toMatchObject({ code: 'BAD_USER_INPUT', field: 'url' });
    }
  });
});
