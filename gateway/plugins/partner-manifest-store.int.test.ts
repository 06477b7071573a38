import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import { operationId, stringifyManifest, type ManifestOperation } from './partner-manifest.ts';
import { createManifestStore, discoverManifests } from './partner-manifest-store.ts';

const logger = createLogger('silent');
const op = (name: string): ManifestOperation => {
  const body = `query ${name} { me { id } }`;
  return { id: operationId(body), name, type: 'query', body };
};
const manifest = (...ops: ManifestOperation[]) => stringifyManifest({ format: 'apollo-persisted-query-manifest', version: 1, operations: ops });
const A = op('A');
const B = op('B');

describe('manifests from files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pq-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('finds every <client>.json of a folder, and none in a folder that does not exist', async () => {
    await writeFile(join(dir, 'shop.json'), manifest(A));
    await writeFile(join(dir, 'notes.txt'), 'not a manifest');
    expect(discoverManifests(dir)).toEqual({ shop: join(dir, 'shop.json') });
    expect(discoverManifests(join(dir, 'missing'))).toEqual({});
  });

  it('given an edited file, then the new list is in force without a restart; an invalid edit keeps the last good one', async () => {
    const file = join(dir, 'watched.json');
    await writeFile(file, manifest(A));
    const rejected: string[] = [];
    // Polling an hour apart: only the file watch can make these changes visible in time.
    const store = createManifestStore({ sources: { watched: file }, pollSeconds: 3600, logger, onRejected: (_c, e) => rejected.push(e) });
    try {
      await store.ready;
      expect(store.lookup('watched', A.id)).toEqual(A);
      expect(store.lookup('watched', B.id)).toBeUndefined();
      expect(store.lookup('other-client', A.id)).toBeUndefined();

      await writeFile(file, manifest(A, B));
      await eventually('B to be listed', () => store.lookup('watched', B.id));

      await writeFile(file, '{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [');
      await eventually('the broken version to be refused', () => rejected.length > 0);
      expect(rejected[0]).toMatch(/not JSON/);
      expect(store.counts()).toEqual({ watched: 2 });

      // Replaced by rename, as editors and deploy tools do.
      await writeFile(`${file}.tmp`, manifest(B));
      await rename(`${file}.tmp`, file);
      await eventually('A to be dropped', () => store.lookup('watched', A.id) === undefined);
      expect(store.lookup('watched', B.id)).toEqual(B);
    } finally {
      await store.close();
    }
  });

  it('given a manifest missing at start, then its client may run nothing until one appears', async () => {
    const file = join(dir, 'late.json');
    const store = createManifestStore({ sources: { late: file }, pollSeconds: 0.05, logger });
    try {
      await store.ready;
      expect(store.counts()).toEqual({ late: 0 });
      await writeFile(file, manifest(A));
      await eventually('the late manifest', () => store.lookup('late', A.id));
    } finally {
      await store.close();
    }
  });
});

describe('manifests from a URL', () => {
  let server: Server;
  let url: string;
  let body = manifest(A);
  let status = 200;
  const requests: Array<string | undefined> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.headers['if-none-match'] as string | undefined);
      const etag = `"${operationId(body).slice(0, 16)}"`;
      if (status !== 200) return res.writeHead(status).end();
      if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/shop.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('polls with the ETag it holds, applies a new version, and keeps the old one while the URL fails', async () => {
    const store = createManifestStore({ sources: { shop: url }, pollSeconds: 3600, logger });
    try {
      await store.ready;
      expect(store.lookup('shop', A.id)).toEqual(A);
      await store.refresh();
      expect(requests.at(-1)).toMatch(/^"[0-9a-f]{16}"$/);

      body = manifest(A, B);
      await store.refresh();
      expect(store.lookup('shop', B.id)).toEqual(B);

      status = 503;
      await store.refresh();
      expect(store.counts()).toEqual({ shop: 2 });
      status = 200;
      body = '{"format": "something-else"}';
      await store.refresh();
      expect(store.counts()).toEqual({ shop: 2 });
    } finally {
      await store.close();
    }
  });
});
