import type { Principal } from '../../kernel/auth/principal.ts';
import type { Role } from '../../kernel/auth/roles.ts';

/**
 * What of a User a caller of the same organization may read (tenancy itself is the entity
 * lookup's filter). A user always reads all of themselves.
 *
 * - `name`:    who a person is, needed by the staff who work with them: admins, auditors,
 *              dispatchers (drivers, customers on orders), finance (customers on invoices).
 * - `contact`: the email address: admins and auditors; dispatchers of drivers and customers (and
 *              partners), whom they coordinate deliveries with; finance of customers and partners,
 *              whom they invoice. Staff's addresses stay with admins and auditors.
 * - `account`: roles, creation and deactivation dates: admins (who manage them) and auditors.
 *
 * `id` and `organization` are never hidden: the caller already holds the id it asked with.
 * Customers, drivers and partners read nobody but themselves.
 */
export type UserAspect = 'name' | 'contact' | 'account';

const FULL_READERS: readonly Role[] = ['ADMIN', 'AUDITOR'];
const CLIENT_ROLES: readonly Role[] = ['CUSTOMER', 'PARTNER'];
const NAME_READERS: readonly Role[] = [...FULL_READERS, 'DISPATCHER', 'FINANCE'];

/** Roles that list the organization's drivers (to assign routes), with name, id and active. */
export const DRIVER_LIST_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER'];

const holds = (principal: Principal, roles: readonly Role[]) => principal.roles.some((r) => roles.includes(r));

export function mayReadUser(principal: Principal | null, user: { id: string; roles: readonly Role[] }, aspect: UserAspect): boolean {
  if (!principal) return false;
  if (principal.userId === user.id || holds(principal, FULL_READERS)) return true;
  switch (aspect) {
    case 'name':
      return holds(principal, NAME_READERS);
    case 'contact': {
      const client = user.roles.some((r) => CLIENT_ROLES.includes(r));
      if (principal.roles.includes('DISPATCHER') && (client || user.roles.includes('DRIVER'))) return true;
      return principal.roles.includes('FINANCE') && client;
    }
    case 'account':
      return false;
  }
}
