import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { OrderStatusChanged } from '../../subgraphs/orders/events/contracts.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import { LiveHub } from './hub.ts';
import { parseLiveOperation } from './operation.ts';
import { liveSchema } from './schema.ts';

const api = graphqlOfGateway.buildSchema(`
  type Query { order(id: ID!): Order route(id: ID!): Route routes(date: String, first: Int): [Route!]! }
  type Order { id: ID! status: String! }
  type Route { id: ID! }
`);
const schema = liveSchema(api);
const ORG = '01900000-0000-7000-8000-000000000001';
const OTHER_ORG = '01900000-0000-7000-8000-000000000002';
const ORDER = '01900000-0000-7000-8000-00000000a001';

const statusChanged = (orderId: string, orgId = ORG) =>
  OrderStatusChanged.create({ orderId, from: 'CREATED', to: 'PLANNED', at: new Date().toISOString(), reason: null, causationId: null }, { subject: orderId, orgId });

const principal = (authorization: string, orgId = ORG) => ({ authorization, userId: authorization, orgId, roles: ['CUSTOMER'] });
const operation = (id = ORDER) => parseLiveOperation(schema, { query: 'subscription($id: ID!) { orderUpdated(id: $id) { id status } }', variables: { id } });

/** An executor whose answers the test sets, counting runs. */
function fakeExecutor() {
  const state = { status: 'CREATED' as string | null, runs: 0, release: undefined as (() => void) | undefined, hold: false };
  const execute = async (_q: unknown, variables: Record<string, unknown>, authorization: string): Promise<FormattedExecutionResult> => {
    state.runs++;
    if (state.hold) await new Promise<void>((resolve) => (state.release = resolve));
    if (authorization === 'expired') return { data: { orderUpdated: null }, errors: [{ message: 'expired', extensions: { code: 'UNAUTHENTICATED' } }] };
    if (authorization === 'stranger' || state.status === null) return { data: { orderUpdated: null } };
    return { data: { orderUpdated: { id: variables.id, status: state.status } } };
  };
  return { state, execute };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const drain = (queue: AsyncIterator<FormattedExecutionResult>, n: number) => Promise.all(Array.from({ length: n }, () => queue.next()));

describe('LiveHub', () => {
  const logger = createLogger('silent');

  it('given subscribers with the same credentials and selection, when an event concerns their order, then one execution serves both', async () => {
    const { state, execute } = fakeExecutor();
    const hub = new LiveHub({ execute, logger });
    const a = hub.subscribe(principal('t1'), operation(), 'sse');
    const b = hub.subscribe(principal('t1'), operation(), 'ws');
    state.status = 'PLANNED';
    hub.dispatch(statusChanged(ORDER));
    const [[ra], [rb]] = await Promise.all([drain(a, 1), drain(b, 1)]);
    expect(ra!.value).toEqual({ data: { orderUpdated: { id: ORDER, status: 'PLANNED' } } });
    expect(rb!.value).toEqual(ra!.value);
    expect(state.runs).toBe(1);
    hub.close();
  });

  it('given an event of another order or another tenant, when dispatched, then nothing runs; a null answer pushes nothing', async () => {
    const { state, execute } = fakeExecutor();
    const hub = new LiveHub({ execute, logger });
    const q = hub.subscribe(principal('t1'), operation(), 'sse');
    hub.dispatch(statusChanged('01900000-0000-7000-8000-00000000a002'));
    hub.dispatch(statusChanged(ORDER, OTHER_ORG));
    await settle();
    expect(state.runs).toBe(0);
    const s = hub.subscribe(principal('stranger'), operation(), 'sse');
    hub.dispatch(statusChanged(ORDER));
    await settle();
    expect(state.runs).toBe(2);
    q.end();
    expect(await s.return!()).toEqual({ done: true, value: undefined });
    expect(hub.size).toBe(0);
  });

  it('given events during a run, when it ends, then they fold into one more run, and an unchanged answer is not pushed again', async () => {
    const { state, execute } = fakeExecutor();
    const hub = new LiveHub({ execute, logger });
    const q = hub.subscribe(principal('t1'), operation(), 'sse');
    state.hold = true;
    hub.dispatch(statusChanged(ORDER));
    await settle();
    for (let i = 0; i < 5; i++) hub.dispatch(statusChanged(ORDER));
    state.hold = false;
    state.release!();
    await settle();
    expect(state.runs).toBe(2);
    const first = await q.next();
    expect(first.value).toEqual({ data: { orderUpdated: { id: ORDER, status: 'CREATED' } } });
    state.status = 'PLANNED';
    hub.dispatch(statusChanged(ORDER));
    expect((await q.next()).value).toEqual({ data: { orderUpdated: { id: ORDER, status: 'PLANNED' } } });
    hub.close();
    expect(await q.next()).toEqual({ done: true, value: undefined });
  });

  it('given an expired token, when its query is refused, then the subscriber gets the error once and the stream ends', async () => {
    const { execute } = fakeExecutor();
    const hub = new LiveHub({ execute, logger });
    const q = hub.subscribe(principal('expired'), operation(), 'ws');
    hub.dispatch(statusChanged(ORDER));
    const pushed = await q.next();
    expect(pushed.value?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await q.next()).toEqual({ done: true, value: undefined });
    expect(hub.size).toBe(0);
  });
});

describe('the hub’s share per user', () => {
  it('given a user at the cap, then one more subscription is refused with TOO_MANY_SUBSCRIPTIONS, and leaving frees a place', async () => {
    const hub = new LiveHub({ execute: fakeExecutor().execute, logger: createLogger('silent'), maxPerUser: 2 });
    const first = hub.subscribe(principal('u1'), operation(), 'ws');
    hub.subscribe(principal('u1'), operation('01900000-0000-7000-8000-00000000a002'), 'sse');
    expect(() => hub.subscribe(principal('u1'), operation(), 'ws')).toThrow(expect.objectContaining({ code: 'TOO_MANY_SUBSCRIPTIONS' }));
    // Another user is not counted against u1.
    expect(() => hub.subscribe(principal('u2'), operation(), 'ws')).not.toThrow();
    await first.return();
    expect(() => hub.subscribe(principal('u1'), operation(), 'ws')).not.toThrow();
    hub.close();
  });
});
