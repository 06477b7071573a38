import { describe, expect, it } from 'vitest';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import type { LiveExecutor } from './executor.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import { LiveHub } from './hub.ts';
import { liveSession, PRINCIPAL_CACHE_MS } from './session.ts';

const api = graphqlOfGateway.buildSchema('type Query { order(id: ID!): Order route(id: ID!): Route routes(date: String, first: Int): [Route!]! } type Order { id: ID! } type Route { id: ID! }');

describe('liveSession', () => {
  it('given one token opening many streams, when checked within the cache time, then one `me` query serves them; refusals are not remembered', async () => {
    let asked = 0;
    const execute: LiveExecutor = async (_q, _v, authorization) => {
      asked++;
      return authorization === 'Bearer ok' ? { data: { me: { id: 'u', roles: ['CUSTOMER'], organization: { id: 'o' } } } } : { data: { me: null } };
    };
    let clock = 0;
    const hub = new LiveHub({ execute, logger: createLogger('silent') });
    const session = liveSession({ hub, execute, apiSchema: () => api, now: () => clock });
    const request = { query: 'subscription { orderUpdated(id: "0190a000-0000-7000-8000-000000000001") { id } }' };

    await Promise.all(Array.from({ length: 5 }, () => session.open({ authorization: 'Bearer ok' }, request, 'sse')));
    expect(asked).toBe(1);
    clock += PRINCIPAL_CACHE_MS + 1;
    await session.open({ authorization: 'Bearer ok' }, request, 'sse');
    expect(asked).toBe(2);

    await expect(session.open({ authorization: 'Bearer bad' }, request, 'sse')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(session.open({ authorization: 'Bearer bad' }, request, 'sse')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(asked).toBe(4);
    expect(hub.size).toBe(6);
    hub.close();
  });
});
