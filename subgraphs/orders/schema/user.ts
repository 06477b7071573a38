import { addOrdersField } from './order-list.ts';
import { UserRef } from './refs.ts';

addOrdersField<{ id: string }>(UserRef, 'Orders placed for this user, newest first.', (user) => ({ customerId: user.id }));
