import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../../gateway/testing/harness.ts';
import { openScratchDatabase, type ScratchDatabase } from '../../kernel/db/scratch.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { OrderCreated, OrderStatusChanged } from '../../orders/events/contracts.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { webhooks } from '../server.ts';
import { enqueueDeliveries } from './enqueue.ts';
import { claimDue, recordDelivered, recordFailed } from './queue.ts';
import { pruneFinished } from './retention.ts';

const BACKENDS = await availableBackends();
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const ORG = randomUUID();
const OTHER_ORG = randomUUID();
const CUSTOMER = randomUUID();
const PARTNER = randomUUID();
const CREATED = OrderCreated.type;

const created = (orgId: string, customerId: string) => {
  const orderId = randomUUID();
  return OrderCreated.create(
    {
      orderId,
      customerId,
      reference: null,
      pickup: { line1: 'a', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5, lon: 13.4 },
      dropoff: { line1: 'b', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.4, lon: 13.07 },
      weightKg: '1.000',
      parcels: [{ weightKg: '1.000', lengthCm: null, widthCm: null, heightCm: null }],
      deliveryWindow: null,
      createdAt: new Date().toISOString(),
    },
    { subject: orderId, orgId },
  );
};

describe.each(BACKENDS)('webhook queue on %s', (backend) => {
  let scratch: ScratchDatabase<PrismaClient>;
  let db: PrismaClient;
  const endpoint = async (o: { orgId?: string; ownerId?: string; scope?: 'ORGANIZATION' | 'OWN_ORDERS'; types?: string[]; enabled?: boolean } = {}) =>
    (
      await db.webhookEndpoint.create({
        data: {
          id: uuidv7(),
          orgId: o.orgId ?? ORG,
          ownerId: o.ownerId ?? randomUUID(),
          scope: o.scope ?? 'ORGANIZATION',
          url: 'http://127.0.0.1:9/hooks',
          eventTypes: o.types ?? [CREATED],
          secret: 'c2VjcmV0',
          enabled: o.enabled ?? true,
        },
      })
    ).id;
  const enqueue = (envelope: Parameters<typeof enqueueDeliveries>[1], now = new Date()) => scratch.database.transaction((sql) => enqueueDeliveries(sql, envelope, now));
  const claim = (o: Partial<Parameters<typeof claimDue>[1]> = {}) => {
    const now = o.now ?? new Date();
    // RETURNING has no order of its own; sorted by id (creation order) the tests can name rows.
    return claimDue(scratch.database, { now, limit: 100, leaseUntil: new Date(now.getTime() + 10_000), endpointsInFlight: new Map(), perEndpoint: 100, tenantsInFlight: new Map(), perTenant: 100, ...o }).then((rows) =>
      rows.sort((x, y) => x.id.localeCompare(y.id)),
    );
  };

  beforeAll(async () => {
    scratch = await openScratchDatabase(webhooks, backend === 'postgres' ? POSTGRES : undefined);
    db = scratch.db;
  }, 60_000);
  afterEach(async () => {
    await db.webhookDelivery.deleteMany();
    await db.webhookEndpoint.deleteMany();
  });
  afterAll(() => scratch?.close());

  it('queues an event once per matching endpoint: its organization’s, enabled, subscribed; a partner’s only for its own orders', async () => {
    const org = await endpoint();
    const foreign = await endpoint({ orgId: OTHER_ORG });
    const disabled = await endpoint({ enabled: false });
    const otherType = await endpoint({ types: [OrderStatusChanged.type] });
    const partner = await endpoint({ scope: 'OWN_ORDERS', ownerId: PARTNER, types: [CREATED, OrderStatusChanged.type] });

    const customers = created(ORG, CUSTOMER);
    const partners = created(ORG, PARTNER);
    expect(await enqueue(customers)).toBe(1);
    expect(await enqueue(partners)).toBe(2);
    expect(await enqueue(customers)).toBe(0);
    // A later event of the partner's order, which does not name the customer, still finds the partner.
    const moved = OrderStatusChanged.create(
      { orderId: partners.subject, from: 'CREATED', to: 'PLANNED', at: new Date().toISOString(), reason: null, causationId: null },
      { subject: partners.subject, orgId: ORG },
    );
    expect(await enqueue(moved)).toBe(2);

    const rows = await db.webhookDelivery.findMany({ select: { endpointId: true, eventId: true } });
    const of = (id: string) => rows.filter((r) => r.endpointId === id).map((r) => r.eventId).sort();
    expect(of(org)).toEqual([customers.id, partners.id].sort());
    expect(of(partner)).toEqual([partners.id, moved.id].sort());
    expect(of(otherType)).toEqual([moved.id]);
    expect([...of(foreign), ...of(disabled)]).toEqual([]);
  });

  it('deals slots round-robin across tenants, none beyond its share counting those in flight, nor an endpoint beyond its cap', async () => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const orgC = randomUUID();
    const a1 = await endpoint({ orgId: orgA });
    const a2 = await endpoint({ orgId: orgA });
    const b = await endpoint({ orgId: orgB });
    const c = await endpoint({ orgId: orgC });
    // A's backlog is the oldest; by due time alone it would take every slot.
    const t0 = new Date(Date.now() - 10_000);
    for (let i = 0; i < 5; i++) await enqueue(created(orgA, CUSTOMER), t0);
    for (let i = 0; i < 2; i++) await enqueue(created(orgB, CUSTOMER), new Date(Date.now() - 2_000));
    await enqueue(created(orgC, CUSTOMER), new Date(Date.now() - 1_000));
    const byTenant = (rows: Array<{ orgId: string }>) => Object.fromEntries([orgA, orgB, orgC].map((o) => [o, rows.filter((r) => r.orgId === o).length]));

    // Three slots: one per tenant, though A's rows are due first.
    expect(byTenant(await claim({ limit: 3, perTenant: 3, perEndpoint: 2 }))).toEqual({ [orgA]: 1, [orgB]: 1, [orgC]: 1 });
    await db.webhookDelivery.updateMany({ data: { leaseUntil: null } });
    // A already has 2 in flight of its share of 3: one more at most; an endpoint at its cap gets none.
    const more = await claim({ perTenant: 3, perEndpoint: 2, tenantsInFlight: new Map([[orgA, 2]]), endpointsInFlight: new Map([[a1, 2]]) });
    expect(byTenant(more)).toEqual({ [orgA]: 1, [orgB]: 2, [orgC]: 1 });
    expect(more.find((d) => d.orgId === orgA)!.endpointId).toBe(a2);
    expect(more.filter((d) => d.endpointId === b)).toHaveLength(2);
    expect(more.filter((d) => d.endpointId === c)).toHaveLength(1);
  });

  it('claims each due delivery once, at most the per-endpoint cap counting those in flight, and again only after its lease lapses', async () => {
    const busy = await endpoint({ orgId: randomUUID() });
    const quiet = await endpoint({ orgId: randomUUID() });
    const busyOrg = (await db.webhookEndpoint.findUniqueOrThrow({ where: { id: busy } })).orgId;
    const quietOrg = (await db.webhookEndpoint.findUniqueOrThrow({ where: { id: quiet } })).orgId;
    const t0 = new Date(Date.now() - 1_000);
    for (let i = 0; i < 5; i++) await enqueue(created(busyOrg, CUSTOMER), t0);
    await enqueue(created(quietOrg, CUSTOMER), t0);

    expect((await claim({ endpointsInFlight: new Map([[busy, 2]]), perEndpoint: 2 })).map((d) => d.endpointId)).toEqual([quiet]);
    const [a, b] = await Promise.all([claim({ perEndpoint: 2 }), claim({ perEndpoint: 2 })]);
    const claimed = [...a, ...b];
    // Two claimers at once never take one row twice (SKIP LOCKED, and the lease re-checked after the lock).
    expect(new Set(claimed.map((d) => d.id)).size).toBe(claimed.length);
    expect(claimed.filter((d) => d.endpointId === busy).length).toBeGreaterThanOrEqual(2);
    expect(claimed.every((d) => d.attempts === 1 && d.url.startsWith('http'))).toBe(true);
    const claimedIds = new Set(claimed.map((d) => d.id));

    const rest = await claim();
    expect(rest.every((d) => !claimedIds.has(d.id))).toBe(true);
    expect(rest.length + claimed.length).toBe(5);
    // Every lease lapsed (the quiet endpoint's too): all six are claimed again, each for its second attempt.
    const later = await claim({ now: new Date(Date.now() + 11_000) });
    expect(later.length).toBe(6);
    expect(later.every((d) => d.attempts === 2)).toBe(true);
  });

  it('records outcomes only for the attempt still current; the last failure fails the delivery and marks the endpoint failing, a success clears it', async () => {
    const id = await endpoint({ orgId: randomUUID() });
    const orgId = (await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).orgId;
    await enqueue(created(orgId, CUSTOMER), new Date(Date.now() - 1_000));
    await enqueue(created(orgId, CUSTOMER), new Date(Date.now() - 1_000));
    const [first, second] = await claim();
    const record = { status: 500, latencyMs: 12, excerpt: 'no', at: new Date() };

    // A lapsed lease was claimed again: the old attempt's late outcome is dropped.
    const [again] = await claim({ now: new Date(Date.now() + 11_000), limit: 1 });
    expect(again!.id).toBe(first!.id);
    await recordDelivered(scratch.database, first!, { ...record, status: 200 });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: 'PENDING', attempts: 2 });

    await recordFailed(scratch.database, again!, record, null);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: 'FAILED', failures: 1, nextAttemptAt: null, responseStatus: 500, leaseUntil: null });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).failingSince).not.toBeNull();

    const retryAt = new Date(Date.now() + 60_000);
    await recordFailed(scratch.database, second!, record, retryAt);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({ status: 'PENDING', failures: 1, nextAttemptAt: retryAt });
    const [retried] = await claim({ now: new Date(retryAt.getTime() + 1) });
    await recordDelivered(scratch.database, retried!, { ...record, status: 204 });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: second!.id } })).toMatchObject({ status: 'DELIVERED', responseStatus: 204 });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).failingSince).toBeNull();
  });

  it('prunes finished deliveries past retention, never pending ones', async () => {
    const id = await endpoint({ orgId: randomUUID() });
    const orgId = (await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).orgId;
    const old = new Date(Date.now() - 40 * 86_400_000);
    for (let i = 0; i < 3; i++) await enqueue(created(orgId, CUSTOMER), old);
    const [delivered, failed] = await claim();
    const record = { status: 200, latencyMs: 1, excerpt: 'ok', at: new Date() };
    await recordDelivered(scratch.database, delivered!, record);
    await recordFailed(scratch.database, failed!, { ...record, status: 500 }, null);
    const pruned = await pruneFinished(scratch.database, new Date(Date.now() - 30 * 86_400_000));
    expect(pruned.deliveries).toBe(2);
    expect(await db.webhookDelivery.findMany({ select: { status: true } })).toEqual([{ status: 'PENDING' }]);
  });
});
