import { builder } from '../builder.ts';
import { OrderStatusType } from './order-status.ts';
import { UserRef } from './refs.ts';

export const OrderStatusChangeType = builder.prismaObject('OrderStatusChange', {
  description: "One step of an order's lifecycle.",
  fields: (t) => ({
    from: t.expose('from', { type: OrderStatusType, nullable: true, description: 'Null for the creation.' }),
    to: t.expose('to', { type: OrderStatusType }),
    at: t.expose('at', { type: 'DateTime' }),
    actor: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who made the change; null when a system event did.',
      resolve: (c) => (c.actorId ? { id: c.actorId } : null),
    }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});
