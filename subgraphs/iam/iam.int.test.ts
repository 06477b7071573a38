import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { applyMigrations, readMigrations } from '../platform/db/migrate.ts';
import { createBusTransport } from '../platform/events/bus-transport.ts';
import { startOutboxRelay } from '../platform/events/outbox.ts';
import { createLogger } from '../platform/logger.ts';
import { DEMO, OTHER_TENANT, PLATFORM, seedIam } from './seed.ts';
import { OrganizationCreated } from './events/contracts.ts';
import { iam } from './server.ts';
import { settingsOf } from '../kernel/subgraph.ts';
import { inviteOperator } from './services/operators.ts';

const ENTITIES = `query($reps: [_Any!]!) {
  _entities(representations: $reps) { ... on User { id email } ... on Organization { id slug } }
}`;

describe.each(await availableBackends())('the iam subgraph on %s', (backend) => {
  let g: TestGraph;
  let iamUrl: string;
  beforeAll(async () => {
    g = await startTestGraph(backend);
    iamUrl = g.graph.subgraphs.find((s) => s.name === 'iam')!.url;
  });
  afterAll(() => g?.close());

  it('resolves users and the organization of the caller’s tenant by key', async () => {
    const token = await g.login('dispatcher@demo.test');
    const reps = [
      { __typename: 'User', id: DEMO.users[2].id },
      { __typename: 'Organization', id: DEMO.organization.id },
    ];
    expect((await g.gql(ENTITIES, { reps }, token, iamUrl)).data?._entities).toEqual([
      { id: DEMO.users[2].id, email: 'customer@demo.test' },
      { id: DEMO.organization.id, slug: 'demo' },
    ]);
  });

  it('resolves another tenant’s users and organization to null', async () => {
    const token = await g.login('dispatcher@demo.test');
    const reps = [
      { __typename: 'User', id: OTHER_TENANT.users[0].id },
      { __typename: 'Organization', id: OTHER_TENANT.organization.id },
      { __typename: 'User', id: 'not-a-uuid' },
    ];
    expect((await g.gql(ENTITIES, { reps }, token, iamUrl)).data?._entities).toEqual([null, null, null]);
  });
});

describe('seeding the demo tenants', () => {
  it('given a seeded database, when seeded again (a restart), then nothing is duplicated and passwords are argon2id hashes', async () => {
    const database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    const db = iam.createClient(database.adapter);
    try {
      await applyMigrations(database, await readMigrations(iam.migrationsDir));
      const deps = { config: loadConfig({}), db, database, logger: createLogger('silent') };
      await seedIam(deps);
      await seedIam(deps);
      expect(await db.organization.count()).toBe(3);
      const users = await db.user.findMany();
      expect(users).toHaveLength(DEMO.users.length + OTHER_TENANT.users.length + PLATFORM.users.length);
      expect(users.every((u) => u.passwordHash.startsWith('$argon2id$') && !u.passwordHash.includes(DEMO.password))).toBe(true);
    } finally {
      await db.$disconnect();
      await database.close();
    }
  });
});

describe('inviting the first platform operator from the command line', () => {
  it('given an empty installation, when invited twice, then one platform organization, announced once, and only the newest token is pending', async () => {
    const database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    const db = iam.createClient(database.adapter);
    try {
      await applyMigrations(database, await readMigrations(iam.migrationsDir));
      const options = { now: new Date(), ttlSeconds: 3600 };
      const first = await inviteOperator(db, { email: 'ops@example.test', name: 'Olga' }, options);
      const second = await inviteOperator(db, { email: 'ops@example.test', name: 'Olga' }, options);
      expect(second.token).not.toBe(first.token);
      expect(second.invitation).toMatchObject({ roles: ['PLATFORM_OPERATOR'], invitedById: null, orgId: first.invitation.orgId });
      expect(await db.organization.findMany({ select: { slug: true } })).toEqual([{ slug: 'platform' }]);
      expect(await db.outboxEvent.count({ where: { type: OrganizationCreated.type } })).toBe(1);
      expect(await db.invitation.count({ where: { revokedAt: null } })).toBe(1);
    } finally {
      await db.$disconnect();
      await database.close();
    }
  });
});

describe('privileged commands re-read their caller', () => {
  it('given an ADMIN token whose user was since demoted or deactivated, then iam refuses its commands whatever the token says', async () => {
    // Given: the services alone, so no deny-list stands between the token's claims and the command
    const database = await openDatabase({ kind: 'pglite', location: 'memory://' });
    const db = iam.createClient(database.adapter);
    const bus = createBusTransport({ partitions: 1 });
    const logger = createLogger('silent');
    const outbox = startOutboxRelay({ database, transport: bus, logger });
    try {
      await applyMigrations(database, await readMigrations(iam.migrationsDir));
      const config = loadConfig({});
      const deps = { config, settings: settingsOf(iam, config), db, database, logger, events: { transport: bus, outbox } };
      await seedIam(deps);
      const services = await iam.services(deps);
      const [ada, dan] = DEMO.users;
      const adminToken = { userId: ada.id, orgId: DEMO.organization.id, roles: ['ADMIN' as const] };
      const second = { userId: dan.id, orgId: DEMO.organization.id, roles: ['ADMIN' as const] };
      await services.users.changeRoles(adminToken, dan.id, ['ADMIN']);
      await services.users.changeRoles(adminToken, dan.id, ['DISPATCHER']);

      // When / Then: demoted, its ADMIN claims no longer count
      await expect(services.users.changeRoles(second, dan.id, ['ADMIN'])).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'ROLE_REVOKED' } });
      await expect(services.invitations.invite(second, { email: 'accomplice@demo.test', name: 'A', roles: ['ADMIN'] })).rejects.toMatchObject({
        extensions: { code: 'FORBIDDEN', reason: 'ROLE_REVOKED' },
      });
      // Deactivated, it can no longer issue API keys
      await services.users.changeRoles(adminToken, dan.id, ['ADMIN']);
      await services.users.deactivate(adminToken, dan.id);
      await expect(services.apiKeys.create(second, { clientName: 'rogue', roles: ['PARTNER'] })).rejects.toMatchObject({
        extensions: { code: 'FORBIDDEN', reason: 'USER_DEACTIVATED' },
      });
      expect(await db.user.findUniqueOrThrow({ where: { id: dan.id }, select: { roles: true } })).toEqual({ roles: ['ADMIN'] });
      expect(await db.apiKey.count()).toBe(0);
    } finally {
      await outbox.close();
      await bus.close();
      await db.$disconnect();
      await database.close();
    }
  });
});
