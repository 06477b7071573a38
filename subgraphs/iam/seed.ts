import { DEMO_ORGANIZATION, OTHER_ORGANIZATION } from '../demo-tenants.ts';
import type { SubgraphDeps } from '../kernel/subgraph.ts';
import { toOutboxRow } from '../platform/events/outbox.ts';
import { hashPassword } from './domain/password.ts';
import { OrganizationCreated, UserRegistered } from './events/contracts.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { Role } from './generated/prisma/enums.ts';

interface SeedTenant {
  organization: { id: string; name: string; slug: string };
  users: ReadonlyArray<{ id: string; email: string; name: string; roles: readonly Role[] }>;
}

/** Fixed ids, so the other domains' demo data can refer to these users by key. */
export const DEMO = {
  organization: DEMO_ORGANIZATION,
  password: 'voidtracker',
  users: [
    { id: '01900000-0000-7000-8000-000000000101', email: 'admin@demo.test', name: 'Ada Admin', roles: ['ADMIN'] },
    { id: '01900000-0000-7000-8000-000000000102', email: 'dispatcher@demo.test', name: 'Dan Dispatcher', roles: ['DISPATCHER'] },
    { id: '01900000-0000-7000-8000-000000000103', email: 'customer@demo.test', name: 'Cora Customer', roles: ['CUSTOMER'] },
    { id: '01900000-0000-7000-8000-000000000104', email: 'driver@demo.test', name: 'Dee Driver', roles: ['DRIVER'] },
    { id: '01900000-0000-7000-8000-000000000105', email: 'finance@demo.test', name: 'Fin Finance', roles: ['FINANCE'] },
    { id: '01900000-0000-7000-8000-000000000106', email: 'auditor@demo.test', name: 'Audrey Auditor', roles: ['AUDITOR'] },
  ],
} as const satisfies SeedTenant & { password: string };

/** A second tenant, so that tenant isolation can be seen (and is tested) from the first start. */
export const OTHER_TENANT = {
  organization: OTHER_ORGANIZATION,
  users: [
    { id: '01900000-0000-7000-8000-000000000201', email: 'dispatcher@globex.test', name: 'Gil Globex', roles: ['DISPATCHER'] },
    { id: '01900000-0000-7000-8000-000000000202', email: 'customer@globex.test', name: 'Gus Globex', roles: ['CUSTOMER'] },
  ],
} as const satisfies SeedTenant;

/**
 * The platform's own organization, home of its operators. PLATFORM_OPERATOR grants nothing inside
 * any tenant, this one included: operators create organizations, they do not work in them.
 */
export const PLATFORM = {
  organization: { id: '01900000-0000-7000-8000-000000000003', name: 'VoidTracker Platform', slug: 'platform' },
  users: [{ id: '01900000-0000-7000-8000-000000000301', email: 'operator@platform.test', name: 'Otto Operator', roles: ['PLATFORM_OPERATOR'] }],
} as const satisfies SeedTenant;

/** The demo tenants and their users (one password for all); does nothing for a tenant that exists. */
export async function seedIam({ db, logger }: Pick<SubgraphDeps<PrismaClient>, 'db' | 'logger'>): Promise<void> {
  const passwordHash = await hashPassword(DEMO.password);
  for (const tenant of [DEMO, OTHER_TENANT, PLATFORM] as SeedTenant[]) {
    if (await db.organization.findUnique({ where: { slug: tenant.organization.slug } })) continue;
    const orgId = tenant.organization.id;
    const events = [
      OrganizationCreated.create({ organizationId: orgId, ...tenant.organization }, { subject: orgId, orgId }),
      ...tenant.users.map((u) =>
        UserRegistered.create({ userId: u.id, email: u.email, name: u.name, roles: [...u.roles] }, { subject: u.id, orgId }),
      ),
    ];
    // The tenant, its users and the events announcing them commit together (all on iam's topic).
    await db.$transaction([
      db.organization.create({ data: tenant.organization }),
      ...tenant.users.map((u) => db.user.create({ data: { ...u, roles: [...u.roles], orgId, passwordHash } })),
      ...events.map((e) => db.outboxEvent.create({ data: toOutboxRow(OrganizationCreated.topic, e) })),
    ]);
    logger.info('demo organization seeded', { slug: tenant.organization.slug, users: tenant.users.length });
  }
}
