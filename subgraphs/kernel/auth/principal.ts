import type { Role } from './roles.ts';

/** The verified caller: who, in which organization (tenant), with which roles. */
export interface Principal {
  userId: string;
  orgId: string;
  roles: Role[];
}

export const hasAnyRole = (principal: Principal | null, roles: readonly Role[]): boolean =>
  !!principal && principal.roles.some((r) => roles.includes(r));
