import { builder } from '../builder.ts';
import { listOrders } from './order-list.ts';
import { OrderStatusType } from './order-status.ts';
import { OrganizationRef } from './refs.ts';

builder.objectField(OrganizationRef, 'orders', (t) =>
  t.prismaConnection({
    type: 'Order',
    cursor: 'id',
    description: "The organization's orders the caller may see, newest first.",
    args: { status: t.arg({ type: OrderStatusType }) },
    resolve: (query, org, args, ctx) => listOrders(ctx, query, args, { orgId: org.id }),
  }),
);
