import type { Role } from '../../kernel/auth/roles.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Tx } from './actors.ts';

/**
 * Ids of an organization's users holding `role`. In SQL because Prisma's `has`/`hasSome` on an
 * enum array sends the value as a bare text and both driver adapters fail ("malformed array literal").
 */
export async function usersWithRole(db: Tx | PrismaClient, orgId: string, role: Role, options: { activeOnly?: boolean } = {}): Promise<string[]> {
  const rows = options.activeOnly
    ? await db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "User" WHERE "orgId" = ${orgId}::uuid AND ${role}::"Role" = ANY("roles") AND "deactivatedAt" IS NULL`
    : await db.$queryRaw<Array<{ id: string }>>`SELECT "id" FROM "User" WHERE "orgId" = ${orgId}::uuid AND ${role}::"Role" = ANY("roles")`;
  return rows.map((r) => r.id);
}
