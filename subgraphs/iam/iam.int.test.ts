import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, startTestGraph, type TestGraph } from '../../gateway/testing/harness.ts';
import { loadConfig } from '../kernel/config.ts';
import { openDatabase } from '../kernel/db/database.ts';
import { applyMigrations, readMigrations } from '../kernel/db/migrate.ts';
import { createLogger } from '../kernel/logger.ts';
import { DEMO, OTHER_TENANT, PLATFORM, seedIam } from './seed.ts';
import { OrganizationCreated } from './events/contracts.ts';
import { iam } from './server.ts';
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
