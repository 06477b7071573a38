import type { Role } from '../../kernel/auth/roles.ts';

/** Roles that see their organization's numbers (customers, drivers and partners do not). */
export const KPI_ROLES: readonly Role[] = ['ADMIN', 'DISPATCHER', 'FINANCE', 'AUDITOR'];

/** Rebuilding the read models is an operator's action. */
export const REBUILD_ROLES: readonly Role[] = ['ADMIN'];
