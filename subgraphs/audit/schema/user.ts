import { addAuditTrail } from './trail.ts';
import { UserRef } from './refs.ts';

addAuditTrail(UserRef, 'What this user did (mutations they ran) and what happened to them, newest first.', (id) => [
  { actorId: id },
  { entityType: 'User', entityId: id },
  { relatedIds: { has: id } },
]);
