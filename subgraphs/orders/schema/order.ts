import { referenceBatched } from '../../kernel/batching.ts';
import { badInput, notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { builder } from '../builder.ts';
import { parseCreateOrderInput } from '../domain/order-input.ts';
import { ORDERING_ROLES, visibleOrders } from '../domain/visibility.ts';
import { cancelOrder, createOrder } from '../services/order-commands.ts';
import { AddressInput, AddressType } from './address.ts';
import { listOrders } from './order-list.ts';
import { OrderStatusType } from './order-status.ts';
import { ParcelInput } from './parcel.ts';
import { UserRef } from './refs.ts';

interface Window {
  start: Date;
  end: Date;
}

const DeliveryWindowType = builder.objectRef<Window>('DeliveryWindow').implement({
  description: 'When the customer wants the delivery to arrive.',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
  }),
});

const DeliveryWindowInput = builder.inputType('DeliveryWindowInput', {
  fields: (t) => ({
    start: t.field({ type: 'DateTime', required: true }),
    end: t.field({ type: 'DateTime', required: true, description: 'Must be after start and in the future.' }),
  }),
});

const CreateOrderInput = builder.inputType('CreateOrderInput', {
  fields: (t) => ({
    reference: t.string({ description: "The customer's own reference; unique among that customer's orders." }),
    pickup: t.field({ type: AddressInput, required: true }),
    dropoff: t.field({ type: AddressInput, required: true }),
    parcels: t.field({ type: [ParcelInput], required: true, description: 'At least one.' }),
    deliveryWindow: t.field({ type: DeliveryWindowInput }),
  }),
});

export const OrderType = builder.prismaObject('Order', {
  description: 'A delivery order: parcels to take from a pickup to a dropoff address.',
  fields: (t) => ({
    id: t.exposeID('id'),
    reference: t.exposeString('reference', { nullable: true }),
    status: t.expose('status', { type: OrderStatusType }),
    customer: t.field({
      type: UserRef,
      nullable: true,
      description: 'The user the order was placed for (resolved by iam).',
      resolve: (o) => ({ id: o.customerId }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    pickup: t.field({
      type: AddressType,
      resolve: (o) => ({ line1: o.pickupLine1, city: o.pickupCity, postalCode: o.pickupPostalCode, country: o.pickupCountry, lat: o.pickupLat, lon: o.pickupLon }),
    }),
    dropoff: t.field({
      type: AddressType,
      resolve: (o) => ({ line1: o.dropoffLine1, city: o.dropoffCity, postalCode: o.dropoffPostalCode, country: o.dropoffCountry, lat: o.dropoffLat, lon: o.dropoffLon }),
    }),
    parcels: t.relation('parcels', { query: { orderBy: { position: 'asc' } } }),
    weightKg: t.float({ description: 'Total weight of all parcels.', resolve: (o) => o.weightKg.toNumber() }),
    deliveryWindow: t.field({
      type: DeliveryWindowType,
      nullable: true,
      resolve: (o) => (o.windowStart && o.windowEnd ? { start: o.windowStart, end: o.windowEnd } : null),
    }),
    cancellationReason: t.exposeString('cancellationReason', { nullable: true }),
    history: t.relation('history', { description: 'Every status change, oldest first.', query: { orderBy: { at: 'asc' } } }),
  }),
});

builder.asEntity(OrderType, {
  key: builder.selection<{ id: string }>('id'),
  // The same scoping as every other path: a foreign or unknown id resolves to null.
  // Batched: the orders of a whole list (a route's stops, say) cost one query.
  resolveReference: ({ id }, ctx, info) =>
    ctx.principal && isUuid(id) ? referenceBatched(ctx, info, 'Order', visibleOrders(ctx.principal), id, (args) => ctx.db.order.findMany(args)) : null,
});

builder.queryFields((t) => ({
  order: t.prismaField({
    type: 'Order',
    nullable: true,
    description: "An order by id; null when it does not exist or is not the caller's to see.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      if (!isUuid(id)) throw badInput('id is not a valid order id.', ['id']);
      return ctx.db.order.findFirst({ ...query, where: { id, ...visibleOrders(ctx.principal) } });
    },
  }),
  orders: t.prismaConnection(
    {
      type: 'Order',
      cursor: 'id',
      description: 'Orders newest first, optionally with one status.',
      args: { status: t.arg({ type: OrderStatusType }) },
      resolve: (query, _root, args, ctx) => listOrders(ctx, query, args),
    },
    { name: 'OrderConnection' },
    { name: 'OrderEdge' },
  ),
}));

builder.mutationFields((t) => ({
  createOrder: t.prismaField({
    type: 'Order',
    authScopes: { anyRole: ORDERING_ROLES },
    args: { input: t.arg({ type: CreateOrderInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = ctx.now();
      const order = await createOrder(ctx.services.commitSql, ctx.principal!, parseCreateOrderInput(input, now), now, ctx.traceparent);
      return ctx.db.order.findUniqueOrThrow({ ...query, where: { id: order.id } });
    },
  }),
  cancelOrder: t.prismaField({
    type: 'Order',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }), reason: t.arg.string() },
    resolve: async (query, _root, { id, reason }, ctx) => {
      if (!isUuid(id)) throw notFound('Order', ['id']);
      const trimmed = reason?.trim() || null;
      if (trimmed && trimmed.length > 500) throw badInput('reason must be at most 500 characters.', ['reason']);
      await cancelOrder(ctx.services.commit, ctx.principal!, id, trimmed, ctx.now(), ctx.traceparent);
      return ctx.db.order.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
