import type { FormattedExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventTransport, Subscription } from '../../subgraphs/platform/events/transport.ts';
import { eventually } from '../../subgraphs/platform/events/testing/test-support.ts';
import { createLogger } from '../../subgraphs/platform/logger.ts';
import { startGateway, type RunningGateway } from '../server.ts';
import { orderInput, startTestGraph, type TestGraph } from '../testing/harness.ts';
import { sseSubscribe, type SseSubscription } from '../testing/live-sse.ts';
import { LIVE_GROUP_PREFIX } from './feed.ts';

const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const CANCEL_ORDER = 'mutation($id: ID!) { cancelOrder(id: $id, reason: "idle feed test") { status } }';
const ORDER_UPDATED = 'subscription Track($id: ID!) { orderUpdated(id: $id) { id status } }';

/**
 * The transport as a gateway sees it, recording which consumer groups it is a member of right now
 * and every group it ever joined: the membership is observed where it happens, not by timing.
 */
function observedTransport(inner: EventTransport) {
  const open = new Set<string>();
  const joined: string[] = [];
  const transport: EventTransport = Object.assign(Object.create(inner) as EventTransport, {
    async subscribe(options: Parameters<EventTransport['subscribe']>[0]): Promise<Subscription> {
      const subscription = await inner.subscribe(options);
      open.add(options.group);
      joined.push(options.group);
      return {
        ...subscription,
        close: async () => {
          open.delete(options.group);
          await subscription.close();
        },
      };
    },
  });
  const live = (groups: Iterable<string>) => [...groups].filter((g) => g.startsWith(LIVE_GROUP_PREFIX));
  return { transport, liveMembers: () => live(open), liveJoins: () => live(joined) };
}

describe('the gateway reads the live event feed only while a subscription is open', () => {
  let g: TestGraph;
  let gateway: RunningGateway;
  let observed: ReturnType<typeof observedTransport>;
  let token: string;

  beforeAll(async () => {
    g = await startTestGraph('pglite');
    observed = observedTransport(g.graph.transport);
    // A gateway of its own over the same subgraphs, on the observed transport from its first moment.
    const urls = Object.fromEntries(g.graph.subgraphs.map((s) => [s.name, s.url]));
    gateway = await startGateway(g.config, createLogger('warn'), { urls, transport: observed.transport, port: 0 });
    token = await g.login('dispatcher@demo.test');
  });
  afterAll(async () => {
    await gateway?.close();
    await g?.close();
  });

  const gql = (query: string, variables: Record<string, unknown>) => g.gql(query, variables, token, gateway.graphqlUrl);
  const createOrder = async () => ((await gql(CREATE_ORDER, { input: orderInput() })).data as { createOrder: { id: string } }).createOrder.id;
  const streamUrl = () => new URL('/graphql/stream', gateway.graphqlUrl).toString();
  const track = (id: string) => sseSubscribe(streamUrl(), ORDER_UPDATED, { id }, { authorization: `Bearer ${token}` });
  const statusOf = (push: FormattedExecutionResult) => (push.data as { orderUpdated: { status: string } }).orderUpdated.status;
  const cancelledPush = (sub: SseSubscription) => eventually('the CANCELLED push', async () => sub.pushes.find((p) => statusOf(p.result) === 'CANCELLED'));

  it('given no subscription, then the gateway is in no live group, even while orders are written', async () => {
    expect(observed.liveMembers()).toEqual([]);
    await createOrder();
    expect(observed.liveJoins()).toEqual([]);
  });

  it('given a subscription, then it joins one group and gets its pushes; after the last closes it leaves; after an idle period a new subscription joins again and gets its pushes', async () => {
    const first = await createOrder();
    const a = await track(first);
    expect(a.status).toBe(200);
    // Confirmed (the stream's headers) only once the feed has joined.
    expect(observed.liveMembers()).toHaveLength(1);
    const b = await track(first);
    expect(observed.liveJoins()).toHaveLength(1);
    expect((await gql(CANCEL_ORDER, { id: first })).errors).toBeUndefined();
    await cancelledPush(a);
    await cancelledPush(b);

    a.close();
    b.close();
    await eventually('the gateway to leave the live group', async () => (observed.liveMembers().length === 0 ? true : undefined));

    // Idle: orders are written and nobody listens; the gateway reads none of it.
    const second = await createOrder();
    await createOrder();
    expect(observed.liveMembers()).toEqual([]);
    expect(observed.liveJoins()).toHaveLength(1);

    const c = await track(second);
    expect(observed.liveMembers()).toHaveLength(1);
    expect(observed.liveJoins()).toHaveLength(2);
    expect((await gql(CANCEL_ORDER, { id: second })).errors).toBeUndefined();
    await cancelledPush(c);
    c.close();
    await eventually('the gateway to leave again', async () => (observed.liveMembers().length === 0 ? true : undefined));
  });
});
