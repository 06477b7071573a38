import type { SubgraphDeps } from '../kernel/subgraph.ts';
import { hashPassword } from './domain/password.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Role } from './generated/prisma/enums.ts';

/** Fixed ids, so the other domains' demo data can refer to these users by key. */
export const DEMO = {
  organization: { id: '01900000-0000-7000-8000-000000000001', name: 'Demo Logistics', slug: 'demo' },
  password: 'voidtracker',
  users: [
    { id: '01900000-0000-7000-8000-000000000101', email: 'admin@demo.test', name: 'Ada Admin', roles: ['ADMIN'] },
    { id: '01900000-0000-7000-8000-000000000102', email: 'dispatcher@demo.test', name: 'Dan Dispatcher', roles: ['DISPATCHER'] },
    { id: '01900000-0000-7000-8000-000000000103', email: 'customer@demo.test', name: 'Cora Customer', roles: ['CUSTOMER'] },
    { id: '01900000-0000-7000-8000-000000000104', email: 'driver@demo.test', name: 'Dee Driver', roles: ['DRIVER'] },
    { id: '01900000-0000-7000-8000-000000000105', email: 'finance@demo.test', name: 'Fin Finance', roles: ['FINANCE'] },
    { id: '01900000-0000-7000-8000-000000000106', email: 'auditor@demo.test', name: 'Audrey Auditor', roles: ['AUDITOR'] },
  ] satisfies Array<{ id: string; email: string; name: string; roles: Role[] }>,
} as const;

/** The demo tenant and its users; does nothing when they already exist. */
export async function seedIam({ db, logger }: SubgraphDeps<PrismaClient>): Promise<void> {
  if (await db.organization.findUnique({ where: { slug: DEMO.organization.slug } })) return;
  const passwordHash = await hashPassword(DEMO.password);
  await db.$transaction([
    db.organization.create({ data: DEMO.organization }),
    ...DEMO.users.map((u) => db.user.create({ data: { ...u, roles: [...u.roles], orgId: DEMO.organization.id, passwordHash } })),
  ]);
  logger.info('demo organization seeded', { slug: DEMO.organization.slug, users: DEMO.users.length });
}
