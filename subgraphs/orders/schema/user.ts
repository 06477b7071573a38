import { builder } from '../builder.ts';
import { listOrders } from './order-list.ts';
import { OrderStatusType } from './order-status.ts';
import { UserRef } from './refs.ts';

builder.objectField(UserRef, 'orders', (t) =>
  t.prismaConnection({
    type: 'Order',
    cursor: 'id',
    description: 'Orders placed for this user, newest first.',
    args: { status: t.arg({ type: OrderStatusType }) },
    resolve: (query, user, args, ctx) => listOrders(ctx, query, args, { customerId: user.id }),
  }),
);
