import { UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createDenyList } from '../../subgraphs/kernel/auth/deny-list.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import type { LiveExecutor } from './executor.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import { LiveHub } from './hub.ts';
import { tokenRevoked, tokenRevokedError } from './revocation.ts';
import { liveSession } from './session.ts';

const api = graphqlOfGateway.buildSchema('type Query { order(id: ID!): Order route(id: ID!): Route routes(date: String, first: Int): [Route!]! } type Order { id: ID! } type Route { id: ID! }');
const T = 1_800_000_000_000;
const token = (iatSec: number, roles: string[]) => new UnsecuredJWT({ roles, org: 'o' }).setSubject('u').setIssuedAt(iatSec).encode();

describe('revoked subscribers', () => {
  it('given a deactivation, then a token issued before it is revoked, one issued after is not', () => {
    const list = createDenyList({ accessTtlSeconds: 900, now: () => T });
    list.deactivated('u', T);
    const who = (iat: number) => ({ authorization: `Bearer ${token(iat, ['ADMIN'])}`, userId: 'u', orgId: 'o', roles: ['ADMIN'] });
    expect(tokenRevoked(list, who(T / 1000 - 10))).toBe(true);
    expect(tokenRevoked(list, who(T / 1000 + 10))).toBe(false);
  });

  it('given a subscriber whose token is revoked, then the cached principal opens no new stream and the open one ends with TOKEN_REVOKED', async () => {
    // Given
    const execute: LiveExecutor = async () => ({ data: { me: { id: 'u', roles: ['ADMIN'], organization: { id: 'o' } } } });
    const hub = new LiveHub({ execute, logger: createLogger('silent') });
    let revoked = false;
    const session = liveSession({ hub, execute, apiSchema: () => api, revoked: () => revoked });
    const request = { query: 'subscription { orderUpdated(id: "01900000-0000-7000-8000-00000000a001") { id } }' };
    const headers = { authorization: 'Bearer t' };
    const stream = await session.open(headers, request, 'sse');
    const principal = await session.authenticate(headers);

    // When
    revoked = true;
    hub.endWhere((p) => p.userId === 'u', [tokenRevokedError().toJSON()]);

    // Then
    const pushed = [];
    for await (const push of stream) pushed.push(push);
    expect(pushed.at(-1)?.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_REVOKED' } });
    expect(hub.size).toBe(0);
    await expect(session.open(headers, request, 'sse')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(session.subscribe(principal, request, 'ws')).rejects.toThrow(/revoked/);
    hub.close();
  });
});
