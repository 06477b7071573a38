import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportPKCS8, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../subgraphs/platform/db/migrate.ts';
import { orderInput, startTestGraph, type TestGraph } from './testing/harness.ts';

const INTROSPECT = '{ __schema { queryType { name } } }';

describe('the gateway in development', () => {
  let g: TestGraph;
  beforeAll(async () => {
    g = await startTestGraph('pglite');
  });
  afterAll(() => g?.close());

  it('serves Apollo Sandbox on its landing page to a browser', async () => {
    const res = await fetch(new URL('/', g.url), { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/embeddable-sandbox\.umd/);
  });

  it('answers introspection', async () => {
    expect((await g.gql(INTROSPECT)).data?.__schema.queryType.name).toBe('Query');
  });

  it('is live, and ready once every subgraph is ready', async () => {
    expect((await fetch(new URL('/health/live', g.url))).status).toBe(200);
    const ready = await fetch(new URL('/health/ready', g.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', subgraphs: { iam: 'ready', orders: 'ready', planning: 'ready', billing: 'ready' } });
    for (const s of g.graph.subgraphs) {
      const res = await fetch(new URL('/health/ready', s.url));
      // Each domain has its own number of migrations.
      const migrations = (await readMigrations(`prisma/${s.name}/migrations`)).length;
      expect(await res.json()).toMatchObject({ status: 'ready', migrations });
    }
  });

  it('reports not ready when a subgraph is gone', async () => {
    const orders = g.graph.subgraphs.find((s) => s.name === 'orders')!;
    const other = await startTestGraph('pglite');
    try {
      await other.graph.subgraphs.find((s) => s.name === 'orders')!.close();
      const res = await fetch(new URL('/health/ready', other.url));
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'not ready', reason: expect.stringContaining('orders') });
    } finally {
      await other.graph.gateway.close();
      await other.graph.subgraphs.find((s) => s.name === 'iam')!.close();
    }
    expect(orders.url).toMatch(/^http/);
  });

  it('refuses malformed JSON and oversized bodies with clear codes', async () => {
    const malformed = await fetch(g.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":' });
    expect(malformed.status).toBe(400);
    const huge = await fetch(g.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ me { email } }${' '.repeat(2 * 1024 * 1024)}` }),
    });
    expect(huge.status).toBe(413);
  });
});

describe('the gateway in production', () => {
  let g: TestGraph;
  beforeAll(async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    g = await startTestGraph('pglite', { NODE_ENV: 'production', JWT_PRIVATE_KEY: await exportPKCS8(privateKey) });
  });
  afterAll(() => g?.close());

  it('turns introspection off and shows no Sandbox', async () => {
    const res = await g.gql(INTROSPECT);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await (await fetch(new URL('/', g.url), { headers: { accept: 'text/html' } })).text();
    expect(page).not.toMatch(/embeddable-sandbox\.umd/);
    expect(page).toMatch(/isProd%22%3Atrue/);
  });

  it('signs with the configured key and still serves the graph', async () => {
    const token = await g.login('dispatcher@demo.test');
    const res = await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { status } }', { input: orderInput() }, token);
    expect(res.data?.createOrder.status).toBe('CREATED');
  });
});

describe('embedded data on disk', () => {
  it('survives a restart of the whole graph', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vt-data-'));
    try {
      const first = await startTestGraph('pglite', { DATA_DIR: dir });
      const token = await first.login('dispatcher@demo.test');
      const id = (await first.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, token)).data!.createOrder.id;
      await first.close();

      const second = await startTestGraph('pglite', { DATA_DIR: dir });
      try {
        // The old token still verifies: the signing key was kept with the data.
        const res = await second.gql('query($id: ID!) { order(id: $id) { id status } }', { id }, token);
        expect(res.data?.order).toEqual({ id, status: 'CREATED' });
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Two starts of the whole graph on file-backed PGlite (migrations and seeds on disk the first
    // time): about 25 s on a quiet two-core machine, so the default 30 s left no headroom.
  }, 120_000);
});
