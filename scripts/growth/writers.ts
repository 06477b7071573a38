import type pg from 'pg';
import { entryHash, GENESIS_HASH, type EntryContent } from '../../subgraphs/audit/domain/chain.ts';
import { relatedIds } from '../../subgraphs/audit/domain/entry-facts.ts';
import { insertRows } from './bulk.ts';
import { iso, money, taxOf, type DayRows } from './day.ts';
import { mulberry32 } from '../../subgraphs/platform/random.ts';
import { uuidv7At } from './random.ts';
import { customerEmail, type Tenant } from './tenants.ts';

/** The domains the seed writes, each in its own database. */
export const SEEDED_DOMAINS = ['iam', 'orders', 'planning', 'billing', 'audit', 'analytics'] as const;
export type SeededDomain = (typeof SEEDED_DOMAINS)[number];

/** The tenants' own rows, written once (day -1) before any order. */
export async function writeSetup(domain: SeededDomain, client: pg.ClientBase, tenants: Tenant[], createdAt: string): Promise<number> {
  const generated = tenants.filter((t) => t.index > 0);
  switch (domain) {
    case 'iam':
      // Customers can never log in: the hash is not one argon2 accepts.
      return (
        (await insertRows(client, 'Organization', generated.map((t) => ({ id: t.id, name: t.name, slug: t.slug, createdAt, updatedAt: createdAt })))) +
        (await insertRows(
          client,
          'User',
          tenants.flatMap((t) =>
            t.customers.slice(t.index === 0 ? 1 : 0).map((id, c) => ({ id, orgId: t.id, email: customerEmail(t, c), name: `Customer ${c} of ${t.name}`, passwordHash: '!', roles: ['CUSTOMER'], createdAt })),
          ),
        ))
      );
    case 'planning':
      return (
        (await insertRows(client, 'Depot', tenants.map((t) => ({ id: t.depotId, orgId: t.id, name: `Scale hub ${t.index}`, line1: 'Depot road 1', city: `City ${t.index}`, postalCode: '10000', country: 'DE', lat: t.lat, lon: t.lon, createdAt })))) +
        (await insertRows(
          client,
          'Vehicle',
          tenants.flatMap((t) =>
            t.vehicles.map((id, v) => ({ id, orgId: t.id, name: `Scale van ${v + 1}`, plate: `SC-${t.index}-${v + 1}`, capacityKg: '1200.000', shiftStartMin: 480, shiftEndMin: 1080, costPerKm: '0.8500', currency: 'EUR', homeDepotId: t.depotId, createdAt })),
          ),
        ))
      );
    case 'analytics':
      return insertRows(client, 'OrganizationFact', generated.map((t) => ({ orgId: t.id, name: t.name, slug: t.slug })));
    default:
      return 0;
  }
}

/** One day's rows of one domain, inside the caller's transaction. */
export async function writeDomainDay(domain: SeededDomain, client: pg.ClientBase, rows: DayRows): Promise<number> {
  switch (domain) {
    case 'iam':
      return 0;
    case 'orders':
      return (
        (await insertRows(client, 'Order', rows.orderRows.Order)) +
        (await insertRows(client, 'Parcel', rows.orderRows.Parcel)) +
        (await insertRows(client, 'OrderStatusChange', rows.orderRows.OrderStatusChange))
      );
    case 'planning':
      return (
        (await insertRows(client, 'PlanningOrder', rows.planning.PlanningOrder)) +
        (await insertRows(client, 'Route', rows.planning.Route)) +
        (await insertRows(client, 'Stop', rows.planning.Stop))
      );
    case 'billing':
      return writeBilling(client, rows);
    case 'audit':
      return appendAudit(client, rows);
    case 'analytics':
      return (
        (await insertRows(client, 'OrderFact', rows.analytics.OrderFact)) +
        (await insertRows(client, 'RouteFact', rows.analytics.RouteFact)) +
        (await insertRows(client, 'RouteStopFact', rows.analytics.RouteStopFact)) +
        (await insertRows(client, 'FailureFact', rows.analytics.FailureFact)) +
        (await insertRows(client, 'InvoiceFact', rows.analytics.InvoiceFact))
      );
  }
}

async function writeBilling(client: pg.ClientBase, rows: DayRows): Promise<number> {
  const invoices: Array<Record<string, unknown>> = [];
  const lines: Array<Record<string, unknown>> = [];
  for (const inv of rows.invoices) {
    const net = inv.lines.reduce((sum, l) => sum + l.amount, 0);
    invoices.push({
      id: inv.id, orgId: inv.orgId, customerId: inv.customerId, kind: 'INVOICE', status: inv.paidAt === null ? 'ISSUED' : 'PAID', currency: 'EUR',
      subtotal: money(net), tax: money(taxOf(net)), total: money(net + taxOf(net)), series: 'INV', fiscalYear: inv.fiscalYear, sequence: inv.sequence, number: inv.number,
      creditsInvoiceId: null, reason: null, issuedAt: iso(inv.issuedAt), paidAt: inv.paidAt === null ? null : iso(inv.paidAt), createdAt: iso(inv.issuedAt),
    });
    inv.lines.forEach((l, i) =>
      lines.push({
        id: l.id, invoiceId: inv.id, orgId: inv.orgId, position: i + 1, orderId: l.orderId, description: `Delivery ${l.orderId}`, quantity: '1.000', unitPrice: money(l.amount),
        vatCategory: 'STANDARD', vatRate: '19.00', amount: money(l.amount), taxAmount: money(taxOf(l.amount)), creditsLineId: null,
      }),
    );
    if (inv.creditNote) {
      const first = inv.lines[0]!;
      invoices.push({
        id: inv.creditNote.id, orgId: inv.orgId, customerId: inv.customerId, kind: 'CREDIT_NOTE', status: 'ISSUED', currency: 'EUR',
        subtotal: money(-first.amount), tax: money(-taxOf(first.amount)), total: money(-(first.amount + taxOf(first.amount))),
        series: 'CN', fiscalYear: inv.fiscalYear, sequence: inv.creditNote.sequence, number: inv.creditNote.number, creditsInvoiceId: inv.id, reason: 'damaged parcel',
        issuedAt: iso(inv.creditNote.issuedAt), paidAt: null, createdAt: iso(inv.creditNote.issuedAt),
      });
      lines.push({
        id: inv.creditNote.lineId, invoiceId: inv.creditNote.id, orgId: inv.orgId, position: 1, orderId: first.orderId, description: `Credit: delivery ${first.orderId}`, quantity: '-1.000',
        unitPrice: money(first.amount), vatCategory: 'STANDARD', vatRate: '19.00', amount: money(-first.amount), taxAmount: money(-taxOf(first.amount)), creditsLineId: first.id,
      });
    }
  }
  const written =
    (await insertRows(client, 'Quote', rows.billing.Quote)) +
    (await insertRows(client, 'Invoice', invoices)) +
    (await insertRows(client, 'InvoiceLine', lines)) +
    (await insertRows(client, 'DeliveredOrder', rows.billing.DeliveredOrder));
  // The counters move past the highest number used, so invoices issued later through the graph follow on.
  const counters = new Map<string, [orgId: string, series: string, year: number, last: number]>();
  for (const i of invoices) {
    const key = `${i.orgId}|${i.series}|${i.fiscalYear}`;
    counters.set(key, [i.orgId as string, i.series as string, i.fiscalYear as number, Math.max(i.sequence as number, counters.get(key)?.[3] ?? 0)]);
  }
  for (const [orgId, series, fiscalYear, last] of counters.values()) {
    await client.query(
      `INSERT INTO "InvoiceCounter" ("orgId", series, "fiscalYear", last) VALUES ($1, $2, $3, $4)
       ON CONFLICT ("orgId", series, "fiscalYear") DO UPDATE SET last = GREATEST("InvoiceCounter".last, EXCLUDED.last)`,
      [orgId, series, fiscalYear, last],
    );
  }
  return written;
}

/**
 * Appends the day's audit facts to each tenant's chain, hashed with the audit domain's own
 * function, after the head the chain has now (so a resumed run continues the same chains).
 */
async function appendAudit(client: pg.ClientBase, rows: DayRows): Promise<number> {
  const orgIds = [...new Set(rows.audit.map((e) => e.orgId))];
  if (orgIds.length === 0) return 0;
  await client.query(
    `INSERT INTO "AuditChain" ("orgId", "headHash", "anchorHash") SELECT unnest($1::text[]), $2, $2 ON CONFLICT ("orgId") DO NOTHING`,
    [orgIds, GENESIS_HASH],
  );
  const heads = await client.query<{ orgId: string; headSequence: string; headHash: string }>(
    `SELECT "orgId", "headSequence", "headHash" FROM "AuditChain" WHERE "orgId" = ANY($1::text[]) FOR UPDATE`,
    [orgIds],
  );
  const head = new Map(heads.rows.map((h) => [h.orgId, { sequence: BigInt(h.headSequence), hash: h.headHash }]));
  const random = mulberry32(rows.day * 7919 + 17);
  const entries: Array<Record<string, unknown>> = [];
  for (const e of rows.audit) {
    const chain = head.get(e.orgId)!;
    const recordedAt = new Date(e.occurredAt + 1_000);
    const content: EntryContent = {
      id: uuidv7At(recordedAt.getTime(), random), orgId: e.orgId, sequence: chain.sequence + 1n, eventId: uuidv7At(e.occurredAt, random), eventType: e.eventType,
      source: e.source, subject: e.subject, occurredAt: new Date(e.occurredAt), recordedAt, actorId: null, actorRoles: [], entityType: e.entityType, entityId: e.subject,
      relatedIds: relatedIds(e.data, e.subject), operation: null, outcome: null, requestId: null, traceparent: null, data: e.data,
    };
    const hash = entryHash(content, chain.hash);
    entries.push({ ...content, sequence: Number(content.sequence), occurredAt: content.occurredAt.toISOString(), recordedAt: recordedAt.toISOString(), prevHash: chain.hash, hash });
    head.set(e.orgId, { sequence: content.sequence, hash });
  }
  const written = await insertRows(client, 'AuditEntry', entries);
  for (const [orgId, h] of head) {
    await client.query(`UPDATE "AuditChain" SET "headSequence" = $2, "headHash" = $3, "updatedAt" = now() WHERE "orgId" = $1`, [orgId, h.sequence.toString(), h.hash]);
  }
  return written;
}
