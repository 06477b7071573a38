import { badInput, unauthenticated } from '../../platform/errors.ts';
import { PAGE_SIZE, type SubgraphContext } from '../../kernel/builder.ts';
import { builder } from '../builder.ts';
import { seesOnlyOwnOrders, visibleOrders } from '../domain/visibility.ts';
import type { OrderStatus } from '../domain/order-lifecycle.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { OrdersServices } from '../services/index.ts';
import { OrderStatusType } from './order-status.ts';

type Ctx = SubgraphContext<PrismaClient, OrdersServices>;

/** Rejects page sizes outside 0..max before the database sees them. */
export function checkPageArgs(args: { first?: number | null; last?: number | null }) {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > PAGE_SIZE.max)) throw badInput(`${key} must be between 0 and ${PAGE_SIZE.max}.`, [key]);
  }
}

/**
 * The one way orders are listed: always inside the caller's tenant (and, for customers, their
 * own), newest first. Ids are UUIDv7, so id order is creation order.
 */
export function listOrders(
  ctx: Ctx,
  query: object,
  args: { first?: number | null; last?: number | null; status?: OrderStatus | null },
  extra: { customerId?: string; orgId?: string } = {},
) {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const visible = visibleOrders(ctx.principal);
  // A customer (or driver) asking for someone else's orders gets an empty page, like any foreign id.
  if (extra.customerId && seesOnlyOwnOrders(ctx.principal) && extra.customerId !== ctx.principal.userId) return [];
  if (extra.orgId && extra.orgId !== visible.orgId) return [];
  return ctx.db.order.findMany({
    ...query,
    where: { ...visible, ...(extra.customerId ? { customerId: extra.customerId } : {}), ...(args.status ? { status: args.status } : {}) },
    orderBy: { id: 'desc' },
  });
}

/** Adds an `orders` connection to another subgraph's entity, narrowed by what `scope` says of it. */
export function addOrdersField<Parent extends { id: string }>(
  ref: Parameters<typeof builder.objectField>[0],
  description: string,
  scope: (parent: Parent) => { customerId?: string; orgId?: string },
) {
  builder.objectField(ref, 'orders', (t) =>
    t.prismaConnection({
      type: 'Order',
      cursor: 'id',
      description,
      args: { status: t.arg({ type: OrderStatusType }) },
      resolve: (query, parent, args, ctx) => listOrders(ctx, query, args, scope(parent as Parent)),
    }),
  );
}
