import { addAuditTrail } from './trail.ts';
import { OrderRef } from './refs.ts';

addAuditTrail(OrderRef, 'What happened to this order, and which mutations acted on it, newest first.', (id) => [
  { entityType: 'Order', entityId: id },
  { relatedIds: { has: id } },
]);
