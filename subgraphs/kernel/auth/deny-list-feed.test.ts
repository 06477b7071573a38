import { describe, expect, it } from 'vitest';
import { UserDeactivated, UserRolesChanged } from '../../iam/events/contracts.ts';
import { createBusTransport } from '../../platform/events/bus-transport.ts';
import { eventually, ORG } from '../../platform/events/testing/test-support.ts';
import { createDenyList } from './deny-list.ts';
import { followDenyList } from './deny-list-feed.ts';

const ALICE = '0190a0b0-0000-7000-8000-00000000a11c';
const BOB = '0190a0b0-0000-7000-8000-000000000b0b';
const ADMIN = '0190a0b0-0000-7000-8000-0000000000ad';

describe('deny-list feed', () => {
  it('given a deactivation published before the process started, then it is known once following resolves, and later role changes arrive', async () => {
    // Given
    const bus = createBusTransport({ partitions: 3 });
    const before = Math.floor(Date.now() / 1000) - 5;
    const deactivated = UserDeactivated.create({ userId: ALICE, deactivatedBy: ADMIN }, { subject: ALICE, orgId: ORG });
    await bus.publish(UserDeactivated.topic, [{ envelope: deactivated }]);
    const list = createDenyList({ accessTtlSeconds: 900 });

    // When
    const subscription = await followDenyList(bus, list, { component: 'test', accessTtlSeconds: 900 });

    // Then
    expect(list.refuses({ userId: ALICE, orgId: ORG, roles: ['DRIVER'] }, before)).toBe('USER_DEACTIVATED');
    const changed = UserRolesChanged.create({ userId: BOB, name: 'Bob', roles: ['DISPATCHER'], previousRoles: ['ADMIN'], changedBy: ADMIN }, { subject: BOB, orgId: ORG });
    await bus.publish(UserRolesChanged.topic, [{ envelope: changed }]);
    await eventually('the role change', () => list.refuses({ userId: BOB, orgId: ORG, roles: ['ADMIN'] }, before) === 'ROLES_CHANGED', 5_000);
    await subscription.close();
    await bus.close();
  });
});
