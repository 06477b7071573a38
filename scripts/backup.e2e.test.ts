import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, orderInput, startTestGraph, type Backend, type GqlResponse, type TestGraph } from '../gateway/testing/harness.ts';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { databaseFor, DOMAINS, loadConfig, type Env } from '../subgraphs/platform/config.ts';
import { dropDatabase } from '../subgraphs/platform/db/database.ts';
import { topicFor } from '../subgraphs/platform/events/envelope.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { StopCompleted } from '../subgraphs/planning/events/contracts.ts';
import { main as backup } from './backup.ts';
import { readManifest } from './lib/backup.ts';
import type { Io } from './lib/cli.ts';
import { builtDomains } from './lib/domains.ts';
import { main as restore } from './restore.ts';

const BACKENDS = await availableBackends();
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const ORDER = 'query($id: ID!) { order(id: $id) { id reference status quote { total } invoice { id number status total } } }';
const ORDERS = 'query { orders(first: 50) { edges { node { id reference } } } }';
const INVOICE = 'query($id: ID!) { invoice(id: $id) { id number status total lines { order { id } } } }';
const ISSUE = 'mutation($id: ID!) { issueInvoice(invoiceId: $id) { id number status } }';
const LOG = 'query($filter: AuditLogFilter) { auditLog(filter: $filter, first: 100) { edges { node { id sequence eventType operation hash prevHash } } } }';
const VERIFY = 'query { verifyAuditChain { ok checkedCount headSequence firstBrokenLink { sequence reason } } }';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

/** The CLI's output, kept for assertions. */
function capture(): Io & { text(): string } {
  const lines: string[] = [];
  return { out: (l) => lines.push(l), err: (l) => lines.push(l), colour: false, text: () => lines.join('\n') };
}

interface Snapshot {
  orders: Array<{ id: string; reference: string }>;
  invoice: { id: string; number: string; status: string; total: string };
  audit: Array<{ id: string; sequence: number; hash: string }>;
  headSequence: number;
}

describe.each(BACKENDS)('npm run backup / restore on %s', (backend: Backend) => {
  const before: Partial<Snapshot> = {};
  let folder: string;
  let archive: string;
  /** When the suite began: the manifest's time must fall between this and the test reading it. */
  let suiteStarted: number;
  /** Where the graph ran, and where the restore goes: fresh in both modes. */
  let sourceEnv: Env;
  let targetEnv: Env;
  let restored: TestGraph | undefined;

  const envFor = (place: string): Env =>
    backend === 'postgres' ? { NODE_ENV: 'test', POSTGRES_URL: POSTGRES, DATABASE_PREFIX: place } : { NODE_ENV: 'test', DATA_DIR: place };

  beforeAll(async () => {
    suiteStarted = Date.now();
    folder = await mkdtemp(join(tmpdir(), 'vt-backup-e2e-'));
    const id = randomBytes(4).toString('hex');
    sourceEnv = envFor(backend === 'postgres' ? `vt_bk_${id}_a` : join(folder, 'data-a'));
    targetEnv = envFor(backend === 'postgres' ? `vt_bk_${id}_b` : join(folder, 'data-b'));
    const { NODE_ENV: _, ...graphEnv } = sourceEnv;
    const g = await startTestGraph(backend, graphEnv);
    try {
      const [dispatcher, finance, auditor] = await Promise.all([g.login('dispatcher@demo.test'), g.login('finance@demo.test'), g.login('auditor@demo.test')]);
      const ids: string[] = [];
      for (const reference of ['BACKUP-1', 'BACKUP-2']) {
        ids.push(ok(await g.gql(CREATE_ORDER, { input: orderInput({ reference }) }, dispatcher)).createOrder.id);
      }
      const delivered = ids[0]!;
      await eventually('the order to be quoted', async () => (await g.gql(ORDER, { id: delivered }, dispatcher)).data?.order?.quote ?? undefined);
      // A delivery as planning announces it: billing drafts the invoice, finance issues it.
      const envelope = StopCompleted.create(
        { routeId: crypto.randomUUID(), stopId: crypto.randomUUID(), orderId: delivered, completedAt: new Date().toISOString(), recipientName: 'R. Ecipient' },
        { subject: delivered, orgId: DEMO.organization.id },
      );
      await g.graph.transport.publish(StopCompleted.topic, [{ envelope, key: delivered }]);
      const draft = await eventually('a draft invoice', async () => ok(await g.gql(ORDER, { id: delivered }, finance)).order?.invoice ?? undefined);
      const issued = ok(await g.gql(ISSUE, { id: draft.id }, finance)).issueInvoice;
      expect(issued.number).toEqual(expect.any(String));
      const topics = DOMAINS.map(topicFor);
      await eventually('every consumer to catch up', async () => {
        // audit consumes every topic, so its lag says every event so far is recorded.
        if ((await g.graph.transport.lag('audit', topics)) !== 0) return false;
        const log = ok(await g.gql(LOG, { filter: {} }, auditor)).auditLog.edges;
        return log.some((e: { node: { operation: string | null } }) => e.node.operation === 'issueInvoice');
      });

      before.orders = ok(await g.gql(ORDERS, {}, dispatcher)).orders.edges.map((e: { node: Snapshot['orders'][number] }) => e.node).filter((o: { reference: string }) => o.reference?.startsWith('BACKUP-'));
      before.invoice = ok(await g.gql(INVOICE, { id: draft.id }, finance)).invoice;
      before.audit = ok(await g.gql(LOG, { filter: { entityId: delivered } }, auditor)).auditLog.edges.map((e: { node: Snapshot['audit'][number] }) => e.node);
      const chain = ok(await g.gql(VERIFY, {}, auditor)).verifyAuditChain;
      expect(chain).toMatchObject({ ok: true });
      before.headSequence = chain.headSequence;
      expect(before.orders).toHaveLength(2);
      expect(before.audit!.length).toBeGreaterThan(2);

      if (backend === 'pglite') {
        // PGlite is one process's files: a copy under a running graph is refused.
        const io = capture();
        expect(await backup(['--out', join(folder, 'backups')], sourceEnv, io)).toBe(1);
        expect(io.text()).toContain('SERVICES_RUNNING');
      } else {
        // pg_dump takes a consistent snapshot per database while the services keep running.
        const io = capture();
        expect(await backup(['--out', join(folder, 'backups')], sourceEnv, io), io.text()).toBe(0);
        archive = /(\S+\.tar\.gz)/.exec(io.text())![1]!;
      }
    } finally {
      await g.close();
    }
    if (backend === 'pglite') {
      const io = capture();
      expect(await backup(['--out', join(folder, 'backups')], sourceEnv, io), io.text()).toBe(0);
      archive = /(\S+\.tar\.gz)/.exec(io.text())![1]!;
    }
  }, 300_000);

  afterAll(async () => {
    await restored?.close();
    if (backend === 'postgres') {
      for (const env of [sourceEnv, targetEnv]) for (const d of DOMAINS) await dropDatabase(databaseFor(loadConfig(env), d).location);
    }
    await rm(folder, { recursive: true, force: true });
  });

  it('writes one timestamped archive with a manifest naming every domain and its migration head', async () => {
    expect(archive).toMatch(new RegExp(`voidtracker-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ-${backend}\\.tar\\.gz$`));
    const manifest = await readManifest(archive);
    expect(manifest).toMatchObject({ format: 'voidtracker-backup', version: 1, mode: backend });
    // Stamped by this run, not carried over: taken after the suite began and before now.
    expect(Date.parse(manifest.created)).toBeGreaterThanOrEqual(suiteStarted);
    expect(Date.parse(manifest.created)).toBeLessThanOrEqual(Date.now());
    expect(manifest.domains.map((d) => d.name)).toEqual(builtDomains());
    for (const d of manifest.domains) {
      expect(d.migrationHead, d.name).toMatch(/^\d{14}_\w+$/);
      expect(d.migrations).toBeGreaterThan(0);
      expect(d.bytes).toBeGreaterThan(0);
      if (backend === 'postgres') expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    if (backend === 'postgres') expect(manifest.tool).toMatch(/pg_dump/);
  });

  it('refuses what is not an archive, with a stable code', async () => {
    const bogus = join(folder, 'bogus.tar.gz');
    await writeFile(bogus, 'not a tarball');
    const io = capture();
    expect(await restore([bogus], targetEnv, io)).toBe(1);
    expect(io.text()).toContain('BAD_ARCHIVE');
    const usage = capture();
    expect(await restore([], targetEnv, usage)).toBe(2);
  });

  it('restores into fresh databases, refuses to overwrite them without --force, and the graph on them finds the same orders, invoice and a verifying audit chain', async () => {
    const first = capture();
    expect(await restore([archive], targetEnv, first), first.text()).toBe(0);
    for (const d of builtDomains()) expect(first.text()).toMatch(new RegExp(`restore: \\[\\d/\\d\\] ${d}\\s+restore`));
    // Same code that made it: no domain has migrations left to apply.
    expect(first.text()).not.toContain('apply when the service starts');
    const again = capture();
    expect(await restore([archive], targetEnv, again)).toBe(1);
    expect(again.text()).toContain('NOT_EMPTY');
    const forced = capture();
    expect(await restore([archive, '--force'], targetEnv, forced), forced.text()).toBe(0);
    if (backend === 'pglite') expect(existsSync(join(targetEnv.DATA_DIR!, 'orders', 'PG_VERSION'))).toBe(true);
    // Restored into a folder of its own choosing, which git must not report as untracked.
    if (backend === 'pglite') expect(await readFile(join(targetEnv.DATA_DIR!, '.gitignore'), 'utf8')).toMatch(/^\*$/m);

    const { NODE_ENV: _, ...graphEnv } = targetEnv;
    restored = await startTestGraph(backend, graphEnv);
    const g = restored;
    const [dispatcher, finance, auditor] = await Promise.all([g.login('dispatcher@demo.test'), g.login('finance@demo.test'), g.login('auditor@demo.test')]);
    const orders = ok(await g.gql(ORDERS, {}, dispatcher)).orders.edges.map((e: { node: unknown }) => e.node).filter((o: { reference: string }) => o.reference?.startsWith('BACKUP-'));
    expect(orders).toEqual(before.orders);
    expect(ok(await g.gql(INVOICE, { id: before.invoice!.id }, finance)).invoice).toEqual(before.invoice);
    const audit = ok(await g.gql(LOG, { filter: { entityId: ok(await g.gql(ORDERS, {}, dispatcher)).orders.edges.find((e: { node: { reference: string } }) => e.node.reference === 'BACKUP-1').node.id } }, auditor)).auditLog.edges.map((e: { node: unknown }) => e.node);
    expect(audit).toEqual(before.audit);
    const chain = ok(await g.gql(VERIFY, {}, auditor)).verifyAuditChain;
    expect(chain).toMatchObject({ ok: true, firstBrokenLink: null });
    expect(chain.headSequence).toBeGreaterThanOrEqual(before.headSequence!);
  }, 300_000);
});
