import { addOrdersField } from './order-list.ts';
import { OrganizationRef } from './refs.ts';

addOrdersField<{ id: string }>(OrganizationRef, "The organization's orders the caller may see, newest first.", (org) => ({ orgId: org.id }));
