import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { gramsToKgDecimal, totalWeightGrams, type CreateOrderInput } from '../domain/order-input.ts';
import { creation, transition } from '../domain/order-lifecycle.ts';
import { CANCELLING_ROLES, visibleOrders } from '../domain/visibility.ts';
import { writeOutbox } from '../../platform/events/outbox.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { OrderCreated } from '../events/contracts.ts';
import type { UnitOfWork } from '../../platform/events/unit-of-work.ts';
import { Prisma, type Order, type Parcel } from '../generated/prisma/client.ts';
import { recordStatusChange } from './status-change.ts';

const decimalString = (d: { toFixed(n: number): string } | null, places: number) => (d === null ? null : d.toFixed(places));

/** Everything downstream domains need to plan and price the order, so none of them calls back. */
function orderCreatedEvent(order: Order & { parcels: Parcel[] }, traceparent: string | undefined) {
  const address = (p: 'pickup' | 'dropoff') => ({
    line1: order[`${p}Line1`],
    city: order[`${p}City`],
    postalCode: order[`${p}PostalCode`],
    country: order[`${p}Country`],
    lat: order[`${p}Lat`],
    lon: order[`${p}Lon`],
  });
  return OrderCreated.create(
    {
      orderId: order.id,
      customerId: order.customerId,
      reference: order.reference,
      pickup: address('pickup'),
      dropoff: address('dropoff'),
      weightKg: order.weightKg.toFixed(3),
      parcels: order.parcels.map((p) => ({
        weightKg: p.weightKg.toFixed(3),
        lengthCm: decimalString(p.lengthCm, 1),
        widthCm: decimalString(p.widthCm, 1),
        heightCm: decimalString(p.heightCm, 1),
      })),
      deliveryWindow: order.windowStart && order.windowEnd ? { start: order.windowStart.toISOString(), end: order.windowEnd.toISOString() } : null,
      createdAt: order.createdAt.toISOString(),
    },
    { subject: order.id, orgId: order.orgId, traceparent },
  );
}

const decimalOrNull = (n: number | null | undefined) => (n == null ? null : n.toFixed(1));

/** Places an order: the order, its parcels, its first history entry and OrderCreated commit together. */
export async function createOrder(
  commit: UnitOfWork<Prisma.TransactionClient>,
  principal: Principal,
  input: CreateOrderInput,
  now: Date,
  traceparent?: string,
) {
  const id = uuidv7(now.getTime());
  const change = creation(now, principal.userId);
  try {
    return await commit(async (tx) => {
      const order = await tx.order.create({
        data: {
          id,
          orgId: principal.orgId,
          customerId: principal.userId,
          reference: input.reference ?? null,
          status: 'CREATED',
          pickupLine1: input.pickup.line1,
          pickupCity: input.pickup.city,
          pickupPostalCode: input.pickup.postalCode,
          pickupCountry: input.pickup.country,
          pickupLat: input.pickup.lat,
          pickupLon: input.pickup.lon,
          dropoffLine1: input.dropoff.line1,
          dropoffCity: input.dropoff.city,
          dropoffPostalCode: input.dropoff.postalCode,
          dropoffCountry: input.dropoff.country,
          dropoffLat: input.dropoff.lat,
          dropoffLon: input.dropoff.lon,
          weightKg: gramsToKgDecimal(totalWeightGrams(input.parcels)),
          windowStart: input.deliveryWindow?.start ?? null,
          windowEnd: input.deliveryWindow?.end ?? null,
          createdAt: now,
          parcels: {
            create: input.parcels.map((p, position) => ({
              id: uuidv7(now.getTime()),
              position,
              weightKg: gramsToKgDecimal(totalWeightGrams([p])),
              lengthCm: decimalOrNull(p.lengthCm),
              widthCm: decimalOrNull(p.widthCm),
              heightCm: decimalOrNull(p.heightCm),
            })),
          },
          history: { create: [{ id: uuidv7(now.getTime()), ...change }] },
        },
        include: { parcels: { orderBy: { position: 'asc' } } },
      });
      await writeOutbox(prismaSql(tx), OrderCreated.topic, [orderCreatedEvent(order, traceparent)]);
      return order;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
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
