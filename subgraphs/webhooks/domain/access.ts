import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/** Who manages webhook endpoints: an organization's admins (all of them), and partner keys (their own). */
export const WEBHOOK_ROLES: readonly Role[] = ['ADMIN', 'PARTNER'];

export type WebhookScope = 'ORGANIZATION' | 'OWN_ORDERS';

/** An admin's endpoint hears the whole organization; a partner's only the orders it placed, as everywhere else in the graph. */
export const scopeFor = (principal: Principal): WebhookScope => (principal.roles.includes('ADMIN') ? 'ORGANIZATION' : 'OWN_ORDERS');

/** The endpoints a caller may see and change: the organization's for an admin, its own for a partner. */
export function endpointFilter(principal: Principal): { orgId: string; ownerId?: string } {
  return principal.roles.includes('ADMIN') ? { orgId: principal.orgId } : { orgId: principal.orgId, ownerId: principal.userId };
}

/** Whether an endpoint should hear an event; `customerId` is the order's customer when the event is about an order. */
export function receives(endpoint: { scope: WebhookScope; ownerId: string }, customerId: string | undefined): boolean {
  return endpoint.scope === 'ORGANIZATION' || (customerId !== undefined && customerId === endpoint.ownerId);
}
