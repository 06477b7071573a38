import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { gramsToKgDecimal, totalWeightGrams, type CreateOrderInput } from '../domain/order-input.ts';
import { creation, transition, type StatusChange } from '../domain/order-lifecycle.ts';
import { CANCELLING_ROLES, visibleOrders } from '../domain/visibility.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import type { SqlExecutor } from '../../platform/events/sql.ts';
import { OrderCreated } from '../events/contracts.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordStatusChange } from './status-change.ts';

/** An order as placed: what OrderCreated carries, built from the validated input (nothing re-read). */
interface PlacedOrder {
  id: string;
  orgId: string;
  customerId: string;
  reference: string | null;
  pickup: CreateOrderInput['pickup'];
  dropoff: CreateOrderInput['dropoff'];
  /** DECIMAL(12,3) strings, as stored. */
  weightKg: string;
  parcels: Array<{ id: string; position: number; weightKg: string; lengthCm: string | null; widthCm: string | null; heightCm: string | null }>;
  window: { start: Date; end: Date } | null;
  createdAt: Date;
}

/** Everything downstream domains need to plan and price the order, so none of them calls back. */
function orderCreatedEvent(order: PlacedOrder, traceparent: string | undefined) {
  const address = ({ line1, city, postalCode, country, lat, lon }: PlacedOrder['pickup']) => ({ line1, city, postalCode, country, lat, lon });
  return OrderCreated.create(
    {
      orderId: order.id,
      customerId: order.customerId,
      reference: order.reference,
      pickup: address(order.pickup),
      dropoff: address(order.dropoff),
      weightKg: order.weightKg,
      parcels: order.parcels.map(({ weightKg, lengthCm, widthCm, heightCm }) => ({ weightKg, lengthCm, widthCm, heightCm })),
      deliveryWindow: order.window ? { start: order.window.start.toISOString(), end: order.window.end.toISOString() } : null,
      createdAt: order.createdAt.toISOString(),
    },
    { subject: order.id, orgId: order.orgId, traceparent },
  );
}

const decimalOrNull = (n: number | null | undefined) => (n == null ? null : n.toFixed(1));

function placedOrder(principal: Principal, input: CreateOrderInput, now: Date): PlacedOrder {
  const at = now.getTime();
  return {
    id: uuidv7(at),
    orgId: principal.orgId,
    customerId: principal.userId,
    reference: input.reference ?? null,
    pickup: input.pickup,
    dropoff: input.dropoff,
    weightKg: gramsToKgDecimal(totalWeightGrams(input.parcels)),
    parcels: input.parcels.map((p, position) => ({
      id: uuidv7(at),
      position,
      weightKg: gramsToKgDecimal(totalWeightGrams([p])),
      lengthCm: decimalOrNull(p.lengthCm),
      widthCm: decimalOrNull(p.widthCm),
      heightCm: decimalOrNull(p.heightCm),
    })),
    window: input.deliveryWindow ?? null,
    createdAt: now,
  };
}

/**
 * The order, its parcels and its first history entry in one statement: PostgreSQL checks the
 * parcels' and the entry's foreign keys at the statement's end, when the order row is there.
 * Plain SQL, because this is the write every order pays for and the ORM's nested create cost
 * several statements and about four times the CPU (docs/performance.md, round five).
 */
const INSERT_PLACED_ORDER = `
WITH placed AS (
  INSERT INTO "Order" ("id", "orgId", "customerId", "reference", "status",
    "pickupLine1", "pickupCity", "pickupPostalCode", "pickupCountry", "pickupLat", "pickupLon",
    "dropoffLine1", "dropoffCity", "dropoffPostalCode", "dropoffCountry", "dropoffLat", "dropoffLon",
    "weightKg", "windowStart", "windowEnd", "createdAt", "updatedAt")
  VALUES ($1, $2, $3, $4, 'CREATED', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::numeric, $18, $19, $20, $20)
  RETURNING "id"
), parcels AS (
  INSERT INTO "Parcel" ("id", "orderId", "position", "weightKg", "lengthCm", "widthCm", "heightCm")
  SELECT p.id, placed."id", p.position, p.weight, p.length, p.width, p.height
  FROM placed, unnest($21::uuid[], $22::int[], $23::numeric[], $24::numeric[], $25::numeric[], $26::numeric[]) AS p(id, position, weight, length, width, height)
)
INSERT INTO "OrderStatusChange" ("id", "orderId", "from", "to", "at", "actorId", "reason")
SELECT $27::uuid, placed."id", NULL, $28::"OrderStatus", $20::timestamptz, $29::uuid, NULL FROM placed`;

function placedOrderParams(order: PlacedOrder, historyId: string, change: StatusChange): unknown[] {
  const { pickup: p, dropoff: d, parcels } = order;
  return [
    order.id, order.orgId, order.customerId, order.reference,
    p.line1, p.city, p.postalCode, p.country, p.lat, p.lon,
    d.line1, d.city, d.postalCode, d.country, d.lat, d.lon,
    order.weightKg, order.window?.start ?? null, order.window?.end ?? null, order.createdAt,
    parcels.map((x) => x.id), parcels.map((x) => x.position), parcels.map((x) => x.weightKg),
    parcels.map((x) => x.lengthCm), parcels.map((x) => x.widthCm), parcels.map((x) => x.heightCm),
    historyId, change.to, change.actorId,
  ];
}

/** The customer's reference is unique among their orders: the one unique index a new order can hit. */
const isDuplicateReference = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505' && String((error as { constraint?: string }).constraint ?? '').includes('reference');

/** Places an order: the order, its parcels, its first history entry and OrderCreated commit together. */
export async function createOrder(
  commit: UnitOfWork<SqlExecutor>,
  principal: Principal,
  input: CreateOrderInput,
  now: Date,
  traceparent?: string,
): Promise<{ id: string }> {
  const order = placedOrder(principal, input, now);
  const change = creation(now, principal.userId);
  try {
    await commit(async (tx) => {
      await tx.query(INSERT_PLACED_ORDER, placedOrderParams(order, uuidv7(now.getTime()), change));
      await writeOutbox(tx, OrderCreated.topic, [orderCreatedEvent(order, traceparent)]);
    });
    return { id: order.id };
  } catch (error) {
    if (isDuplicateReference(error)) {
      // Unique per customer: only the caller's own orders can collide, so this confirms nothing about others'.
      throw conflict(`You already have an order with reference "${input.reference}".`, ['input', 'reference']);
    }
    throw error;
  }
}

/**
 * Cancels an order the caller may see and cancel. The status update is conditional on the status
 * it was read with, so a concurrent change makes this fail instead of being overwritten.
 */
export async function cancelOrder(
  commit: UnitOfWork<Prisma.TransactionClient>,
  principal: Principal,
  id: string,
  reason: string | null,
  now: Date,
  traceparent?: string,
) {
  const mayCancelAny = principal.roles.some((r) => CANCELLING_ROLES.includes(r));
  const where = mayCancelAny ? { id, orgId: principal.orgId } : { id, ...visibleOrders(principal), customerId: principal.userId };
  return commit(async (tx) => {
    const order = await tx.order.findFirst({ where });
    if (!order) throw notFound('Order', ['id']);
    const result = transition(order.status, 'CANCELLED', { at: now, actorId: principal.userId, reason });
    if (!result.ok) throw conflict(result.message, ['id']);
    await recordStatusChange(tx, order, result.change, { traceparent });
    return tx.order.findUniqueOrThrow({ where: { id } });
  });
}
