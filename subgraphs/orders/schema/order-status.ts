import { builder } from '../builder.ts';
import { OrderStatus } from '../generated/prisma/enums.ts';

export const OrderStatusType = builder.enumType(OrderStatus, { name: 'OrderStatus' });
