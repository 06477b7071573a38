import type { Role } from '../../kernel/auth/roles.ts';

/** Who reads the audit log: auditors, and admins. Everyone else gets FORBIDDEN. */
export const AUDIT_READ_ROLES: readonly Role[] = ['AUDITOR', 'ADMIN'];
