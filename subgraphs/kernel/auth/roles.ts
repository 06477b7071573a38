export const ROLES = ['ADMIN', 'DISPATCHER', 'CUSTOMER', 'DRIVER', 'FINANCE', 'AUDITOR', 'PARTNER', 'PLATFORM_OPERATOR'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/**
 * The roles that exist inside a tenant. PLATFORM_OPERATOR is not one of them: it runs the
 * platform (creates organizations), so no organization's ADMIN can grant it, and it grants
 * nothing inside any tenant, its own included.
 */
export const TENANT_ROLES = ROLES.filter((r): r is Exclude<Role, 'PLATFORM_OPERATOR'> => r !== 'PLATFORM_OPERATOR');
export type TenantRole = (typeof TENANT_ROLES)[number];
