/**
 * Fair scheduling of webhook slots across tenants (issue 21 #9), and the dispatcher's sleep until
 * the next due row, with the real dispatcher, sender and queue against real HTTP receivers. Proven by the order of what happened (the receivers'
 * shared sequence), never by milliseconds.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from '../../../gateway/testing/harness.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../../../gateway/testing/webhook-receiver.ts';
import { webhooksConfig, type WebhooksConfig } from '../config.ts';
import { openScratchDatabase, type ScratchDatabase } from '../../kernel/db/scratch.ts';
import { parseSlice } from '../../platform/config.ts';
import { eventually } from '../../platform/events/testing/test-support.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { createLogger } from '../../platform/logger.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { webhooks } from '../server.ts';
import { startDispatcher, type Dispatcher } from './dispatcher.ts';
import { createSender, type Sender } from './sender.ts';

const BACKENDS = await availableBackends();
const POSTGRES = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Six slots in all, at most three per tenant and two per endpoint; a hung POST is given up after 10 s; the rest as configured by default. */
const SETTINGS: WebhooksConfig = {
  ...parseSlice(webhooksConfig, {}),
  timeoutMs: 10_000,
  retryScheduleMs: [60_000],
  jitter: 0,
  concurrency: 6,
  endpointConcurrency: 2,
  tenantConcurrency: 3,
  pollMs: 50,
  blockPrivateNetworks: false,
};

/** Most requests of `rs` open at one moment, by the receivers' order of arrivals and ends. */
function mostOpenAtOnce(rs: ReceivedRequest[]): number {
  const marks = rs.flatMap((r) => [{ at: r.arrivedSeq, d: +1 }, { at: r.endedSeq ?? Infinity, d: -1 }]).sort((a, b) => a.at - b.at);
  let open = 0;
  let most = 0;
  for (const m of marks) most = Math.max(most, (open += m.d));
  return most;
}

describe.each(BACKENDS)('webhook dispatcher fairness on %s', (backend) => {
  let scratch: ScratchDatabase<PrismaClient>;
  let db: PrismaClient;
  let receivers: WebhookReceiver[] = [];
  let dispatcher: Dispatcher | undefined;
  let sender: Sender | undefined;

  const endpoint = async (orgId: string, receiver: WebhookReceiver) =>
    (
      await db.webhookEndpoint.create({
        data: { id: uuidv7(), orgId, ownerId: randomUUID(), scope: 'ORGANIZATION', url: receiver.url, eventTypes: ['t'], secret: 'c2VjcmV0' },
      })
    ).id;
  const deliver = async (orgId: string, endpointId: string, dueAt: Date) => {
    const id = uuidv7();
    const body = JSON.stringify({ id: randomUUID(), type: 't', subject: id, data: {} });
    await db.webhookDelivery.create({ data: { id, endpointId, orgId, eventId: randomUUID(), eventType: 't', body, nextAttemptAt: dueAt } });
  };
  const receiver = async () => {
    const r = await startWebhookReceiver();
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    scratch = await openScratchDatabase(webhooks, backend === 'postgres' ? POSTGRES : undefined);
    db = scratch.db;
  }, 60_000);
  afterEach(async () => {
    // Closing the receivers ends the hung requests, so the dispatcher's close does not wait out the timeout.
    for (const r of receivers) await r.close();
    receivers = [];
    await dispatcher?.close();
    await sender?.close();
    await db.webhookDelivery.deleteMany();
    await db.webhookEndpoint.deleteMany();
  }, 30_000);
  afterAll(() => scratch?.close());

  it('given tenant A’s backlog on many hung endpoints, tenant B’s deliveries all arrive before any of A’s attempts ends', async () => {
    const tenantA = randomUUID();
    const tenantB = randomUUID();
    const hung: WebhookReceiver[] = [];
    const quick: WebhookReceiver[] = [];
    // A's backlog is older than B's deliveries, so a scheduler by due time alone would give A every slot.
    const earlier = new Date(Date.now() - 60_000);
    for (let i = 0; i < 6; i++) {
      const r = await receiver();
      r.reply = () => ({ status: 200, delayMs: 60_000 });
      hung.push(r);
      const id = await endpoint(tenantA, r);
      for (let j = 0; j < 4; j++) await deliver(tenantA, id, earlier);
    }
    for (let i = 0; i < 3; i++) {
      const r = await receiver();
      quick.push(r);
      const id = await endpoint(tenantB, r);
      for (let j = 0; j < 2; j++) await deliver(tenantB, id, new Date());
    }

    sender = createSender({ timeoutMs: SETTINGS.timeoutMs, blockPrivateNetworks: false });
    dispatcher = startDispatcher({ database: scratch.database, sender, settings: SETTINGS, logger: createLogger('silent') });

    await eventually('all six of B’s deliveries to arrive', () => quick.reduce((n, r) => n + r.requests.length, 0) === 6, 30_000);
    const fromA = hung.flatMap((r) => r.requests);
    const fromB = quick.flatMap((r) => r.requests);
    const lastOfB = Math.max(...fromB.map((r) => r.arrivedSeq));
    // None of A's attempts had ended (timed out) when B's last delivery arrived: B never waited for A's slots.
    expect(fromA.filter((r) => r.endedSeq !== undefined && r.endedSeq < lastOfB)).toEqual([]);
    expect(fromB.every((r) => r.answered === 200)).toBe(true);
    // A held no more than its share, and no endpoint more than its cap, while B's deliveries went out.
    expect(fromA.length).toBeGreaterThan(0);
    expect(mostOpenAtOnce(fromA)).toBeLessThanOrEqual(SETTINGS.tenantConcurrency);
    for (const r of hung) expect(mostOpenAtOnce(r.requests)).toBeLessThanOrEqual(SETTINGS.endpointConcurrency);
  }, 60_000);

  it('given a delivery due in a second and a ten-minute poll, when nothing wakes the dispatcher, then it sends the delivery once due', async () => {
    const tenant = randomUUID();
    const r = await receiver();
    await deliver(tenant, await endpoint(tenant, r), new Date(Date.now() + 1_000));
    sender = createSender({ timeoutMs: SETTINGS.timeoutMs, blockPrivateNetworks: false });
    // Its first look finds nothing due yet; only the row's own due time can bring it back within this test's timeout.
    dispatcher = startDispatcher({ database: scratch.database, sender, settings: { ...SETTINGS, pollMs: 600_000 }, logger: createLogger('silent') });

    await eventually('the delivery, once due', () => r.requests.length === 1, 30_000);
    expect(r.requests[0]!.answered).toBe(200);
  }, 60_000);

  it('given only one tenant with work, it still gets no more than its share, and the rest follows as slots free', async () => {
    const tenant = randomUUID();
    const slow: WebhookReceiver[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await receiver();
      r.reply = () => ({ status: 200, delayMs: 200 });
      slow.push(r);
      const id = await endpoint(tenant, r);
      for (let j = 0; j < 3; j++) await deliver(tenant, id, new Date());
    }
    sender = createSender({ timeoutMs: SETTINGS.timeoutMs, blockPrivateNetworks: false });
    dispatcher = startDispatcher({ database: scratch.database, sender, settings: SETTINGS, logger: createLogger('silent') });

    await eventually('all twelve delivered', async () => (await db.webhookDelivery.count({ where: { status: 'DELIVERED' } })) === 12, 30_000);
    const all = slow.flatMap((r) => r.requests);
    expect(all).toHaveLength(12);
    expect(mostOpenAtOnce(all)).toBeLessThanOrEqual(SETTINGS.tenantConcurrency);
    for (const r of slow) expect(mostOpenAtOnce(r.requests)).toBeLessThanOrEqual(SETTINGS.endpointConcurrency);
  }, 60_000);
});
