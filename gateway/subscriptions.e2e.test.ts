import type { FormattedExecutionResult } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../subgraphs/iam/seed.ts';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { orderInput, startTestGraph, type GqlResponse, type TestGraph } from './testing/harness.ts';
import { liveSetups, startLiveGraph } from './testing/live-graphs.ts';
import { sseSubscribe } from './testing/live-sse.ts';
import { wsSubscribe } from './testing/live-ws.ts';

const SETUPS = await liveSetups();

/** A well-formed id of no order: the stream opens (and would push nothing). */
const UNKNOWN_ORDER = '0190a000-0000-7000-8000-0000000000ff';

const DRIVER_ID = DEMO.users.find((u) => u.email === 'driver@demo.test')!.id;

const CREATE_DEPOT = 'mutation($input: CreateDepotInput!) { createDepot(input: $input) { id } }';
const CREATE_VEHICLE = 'mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { id } }';
const CREATE_ORDER = 'mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }';
const POOL = 'query { planningPool(first: 100) { edges { node { order { id } } } } }';
const PLAN = `mutation($depotId: ID!, $date: String!) {
  planDay(depotId: $depotId, date: $date, timeLimitSeconds: 0.2) { routes { id stops { id order { id } } } }
}`;
const ASSIGN = 'mutation($route: ID!, $driver: ID!) { assignDriver(routeId: $route, driverId: $driver) { id } }';
const START = 'mutation($id: ID!) { startRoute(routeId: $id) { id } }';
const COMPLETE = 'mutation($id: ID!, $proof: ProofOfDeliveryInput!) { completeStop(stopId: $id, proof: $proof) { id } }';

/** What a tracking app selects: status, ETA and the stop, all resolved by the federated query path. */
const ORDER_UPDATED = `subscription Track($id: ID!) {
  orderUpdated(id: $id) { id status eta route { id } stop { sequence status } }
}`;

type Pushed = { orderUpdated: { id: string; status: string; eta: string | null; stop: { status: string } | null } };

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

/** Statuses in arrival order, repeats folded (a push may change only the ETA). */
const statuses = (pushes: ReadonlyArray<FormattedExecutionResult>) =>
  pushes.map((p) => (p.data as Pushed).orderUpdated.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);

/** The route.planned event may be handled before orders has marked the order PLANNED: one push still CREATED then. */
const lifecycle = (pushes: ReadonlyArray<FormattedExecutionResult>) => statuses(pushes).filter((s, i) => !(i === 0 && s === 'CREATED'));

describe.each(SETUPS)('live subscriptions through the gateway, $name', (setup) => {
  let g: TestGraph | undefined;
  let stream: string;
  let dispatcher: string;
  let driver: string;
  let customer: string;
  let stranger: string;
  let seq = 0;

  const graph = () => g!;
  const metric = async (line: RegExp) => {
    const text = await (await fetch(new URL('/metrics', graph().url))).text();
    return Number(text.split('\n').find((l) => line.test(l))?.split(' ').pop() ?? NaN);
  };
  const fleet = async () => {
    seq++;
    const depot = ok(
      await graph().gql(CREATE_DEPOT, { input: { name: `Live hub ${seq}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 } }, dispatcher),
    ).createDepot.id as string;
    const input = { name: `Live van ${seq}`, plate: `B-LV-${seq}`, capacityKg: 100, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: depot };
    ok(await graph().gql(CREATE_VEHICLE, { input }, dispatcher));
    return depot;
  };
  const inPool = (id: string) =>
    eventually('the order in the planning pool', async () =>
      (ok(await graph().gql(POOL, {}, dispatcher)).planningPool.edges as Array<{ node: { order: { id: string } } }>).some((e) => e.node.order.id === id),
    );
  /** Plans the order's day and returns its route and stop. */
  const planned = async (orderId: string, depotId: string, date: string) => {
    await inPool(orderId);
    const routes = ok(await graph().gql(PLAN, { depotId, date }, dispatcher)).planDay.routes as Array<{ id: string; stops: Array<{ id: string; order: { id: string } }> }>;
    const route = routes.find((r) => r.stops.some((s) => s.order.id === orderId))!;
    return { routeId: route.id, stopId: route.stops.find((s) => s.order.id === orderId)!.id };
  };
  /**
   * Starts the route and, once `started` says the start was pushed, completes the stop. (A push is
   * the state when its query runs: changes closer together than that fold into one push.)
   */
  const drive = async (routeId: string, stopId: string, started: () => boolean) => {
    await eventually('planning to know the demo driver', async () => !(await graph().gql(ASSIGN, { route: routeId, driver: DRIVER_ID }, dispatcher)).errors);
    ok(await graph().gql(START, { id: routeId }, driver));
    await eventually('the start pushed', started, 60_000);
    ok(await graph().gql(COMPLETE, { id: stopId, proof: { recipientName: 'R. Ecipient' } }, driver));
  };

  beforeAll(async () => {
    g = await startLiveGraph(setup);
    stream = `${g.url}/stream`;
    [dispatcher, driver, customer, stranger] = await Promise.all([
      g.login('dispatcher@demo.test'),
      g.login('driver@demo.test'),
      g.login('customer@demo.test'),
      g.login('dispatcher@globex.test'),
    ]);
  }, 10 * 60_000);
  afterAll(() => g?.close(), 120_000);

  it('given a customer subscribed to their order over SSE and WebSocket, when it is planned, started and delivered, then each change arrives in order, and another tenant subscribed to it receives nothing', async () => {
    // Given
    const depotId = await fleet();
    const orderId = ok(await graph().gql(CREATE_ORDER, { input: orderInput() }, customer)).createOrder.id as string;
    const sse: FormattedExecutionResult[] = [];
    let sseConnected!: () => void;
    const connected = new Promise<void>((resolve) => (sseConnected = resolve));
    const sseClient = createSseClient({ url: stream, headers: { authorization: `Bearer ${customer}` }, retryAttempts: 0 });
    const sseDone = new Promise<void>((resolve, reject) =>
      sseClient.subscribe({ query: ORDER_UPDATED, variables: { id: orderId } }, { next: (r) => void sse.push(r as FormattedExecutionResult), error: reject, complete: resolve }, { connected: () => sseConnected() }),
    );
    sseDone.catch(() => {});
    const ws = wsSubscribe(graph().url, ORDER_UPDATED, { id: orderId }, { authorization: `Bearer ${customer}` });
    const foreignSse = await sseSubscribe(stream, ORDER_UPDATED, { id: orderId }, { authorization: `Bearer ${stranger}` });
    const foreignWs = wsSubscribe(graph().url, ORDER_UPDATED, { id: orderId }, { authorization: `Bearer ${stranger}` });
    expect(foreignSse.status).toBe(200);
    await connected;
    await eventually('both WebSocket subscriptions open', async () => (await metric(/^graphql_subscriptions_active\{transport="ws"\}/)) === 2);
    expect(await metric(/^graphql_subscriptions_active\{transport="sse"\}/)).toBe(2);

    // When
    const { routeId, stopId } = await planned(orderId, depotId, '2032-03-01');
    await eventually('PLANNED pushed over SSE', () => lifecycle(sse).includes('PLANNED'));
    await drive(routeId, stopId, () => lifecycle(sse).includes('IN_TRANSIT') && lifecycle(ws.pushes).includes('IN_TRANSIT'));

    // Then
    const all = ['PLANNED', 'IN_TRANSIT', 'DELIVERED'];
    await eventually('DELIVERED pushed over SSE', () => lifecycle(sse).includes('DELIVERED'), 60_000);
    await eventually('DELIVERED pushed over WebSocket', () => lifecycle(ws.pushes).includes('DELIVERED'), 60_000);
    expect(lifecycle(sse)).toEqual(all);
    expect(lifecycle(ws.pushes)).toEqual(all);
    // The push is what the same selection answers as a query, with the customer's rights (the stop is not theirs to see).
    const last = sse.at(-1)!.data as Pushed;
    expect(last.orderUpdated).toMatchObject({ id: orderId, status: 'DELIVERED', eta: null });
    const asQuery = ORDER_UPDATED.replace('subscription Track', 'query Track').replace('orderUpdated(id: $id)', 'orderUpdated: order(id: $id)');
    expect(ok(await graph().gql(asQuery, { id: orderId }, customer))).toEqual(last);
    // Every push is a change: an event that alters nothing selected pushes nothing.
    const bodies = sse.map((p) => JSON.stringify(p));
    expect(bodies.filter((b, i) => i > 0 && b === bodies[i - 1])).toEqual([]);
    expect(ws.pushes.map((p) => JSON.stringify(p))).toEqual(bodies);
    expect(foreignSse.pushes).toEqual([]);
    expect(foreignWs.pushes).toEqual([]);
    expect(await metric(/^graphql_subscription_pushes_total\{field="orderUpdated"\}/)).toBeGreaterThanOrEqual(sse.length * 2);

    // And leaving frees the subscription
    foreignSse.close();
    await Promise.all([ws.close(), foreignWs.close()]);
    await eventually('the WebSocket subscriptions gone', async () => (await metric(/^graphql_subscriptions_active\{transport="ws"\}/)) === 0);
    await eventually('the foreign SSE stream gone', async () => (await metric(/^graphql_subscriptions_active\{transport="sse"\}/)) === 1);
    sseClient.dispose();
  }, 240_000);

  it('given a dispatcher watching a depot board and a route, when the route is planned, started and its stop completed, then both follow it in order; another tenant watching the same depot receives nothing', async () => {
    // Given
    const depotId = await fleet();
    const date = '2032-03-02';
    const BOARD = 'subscription($d: ID!, $day: String!) { dispatchBoard(depotId: $d, date: $day) { id status stops { status order { id } } } }';
    const board = await sseSubscribe(stream, BOARD, { d: depotId, day: date }, { authorization: `Bearer ${dispatcher}` });
    const foreignBoard = await sseSubscribe(stream, BOARD, { d: depotId, day: date }, { authorization: `Bearer ${stranger}` });
    const orderId = ok(await graph().gql(CREATE_ORDER, { input: orderInput() }, dispatcher)).createOrder.id as string;
    type Board = { dispatchBoard: Array<{ id: string; status: string; stops: Array<{ status: string; order: { id: string } }> }> };
    const boardRoutes = () => board.pushes.map((p) => (p.result.data as Board).dispatchBoard);

    // When: planned
    const { routeId, stopId } = await planned(orderId, depotId, date);
    await eventually('the planned route on the board', () => boardRoutes().some((routes) => routes.some((r) => r.id === routeId)));
    const progress = wsSubscribe(graph().url, 'subscription($r: ID!) { routeProgress(routeId: $r) { id status stops { status } } }', { r: routeId }, { authorization: `Bearer ${dispatcher}` });
    await eventually('the route subscription open', async () => (await metric(/^graphql_subscriptions_active\{transport="ws"\}/)) === 1);
    type Progress = { routeProgress: { id: string; status: string; stops: Array<{ status: string }> } };
    const routeStates = () => progress.pushes.map((p) => (p.data as Progress).routeProgress).map((r) => `${r.status}/${r.stops.map((x) => x.status).join(',')}`);
    await drive(routeId, stopId, () => routeStates().includes('IN_PROGRESS/PENDING'));

    // Then
    await eventually('the route COMPLETED pushed', () => routeStates().includes('COMPLETED/COMPLETED'), 60_000);
    // The driver's assignment pushes the route still PLANNED, unless it folded into the start's push.
    expect(routeStates().filter((state, i) => !(i === 0 && state === 'PLANNED/PENDING'))).toEqual(['IN_PROGRESS/PENDING', 'COMPLETED/COMPLETED']);
    await eventually('the board showing the route completed', () => boardRoutes().at(-1)?.find((r) => r.id === routeId)?.status === 'COMPLETED', 60_000);
    const seen = boardRoutes().map((routes) => routes.find((r) => r.id === routeId)?.status).filter((x, i, all) => x && all[i - 1] !== x);
    expect(seen).toEqual(['PLANNED', 'IN_PROGRESS', 'COMPLETED']);
    // Only this depot's routes: every route on the board belongs to it (another depot's would fail this lookup).
    expect(boardRoutes().flat().every((r) => r.id === routeId)).toBe(true);
    expect(foreignBoard.pushes).toEqual([]);
    board.close();
    foreignBoard.close();
    await progress.close();
  }, 240_000);

  it('given no token, an invalid token or a partner key, when subscribing, then SSE answers 401/403 and WebSocket closes 4401/4403 with the stable code', async () => {
    const query = ORDER_UPDATED;
    const variables = { id: '01900000-0000-7000-8000-000000009999' };
    const none = await sseSubscribe(stream, query, variables);
    expect([none.status, none.refusal?.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const forged = await sseSubscribe(stream, query, variables, { authorization: 'Bearer not-a-token' });
    expect([forged.status, forged.refusal?.errors?.[0]?.extensions?.code]).toEqual([401, 'UNAUTHENTICATED']);
    const partner = await sseSubscribe(stream, query, variables, { 'x-api-key': 'vtk_live_0123456789abcdef0123456789abcdef' });
    expect([partner.status, partner.refusal?.errors?.[0]?.extensions?.code]).toEqual([403, 'SUBSCRIPTIONS_NOT_FOR_PARTNERS']);

    const wsNone = wsSubscribe(graph().url, query, variables, {});
    const wsPartner = wsSubscribe(graph().url, query, variables, { 'x-api-key': 'vtk_live_0123456789abcdef0123456789abcdef' });
    await Promise.all([wsNone.ended, wsPartner.ended]);
    expect(wsNone.closeCode).toBe(4401);
    expect(wsPartner.closeCode).toBe(4403);
  }, 60_000);

  it('given a bad document, when subscribing, then it is refused with BAD_SUBSCRIPTION before any stream opens; a subscription POSTed to /graphql gets SUBSCRIPTION_NOT_OVER_HTTP', async () => {
    const auth = { authorization: `Bearer ${customer}` };
    const cases = [
      ['subscription {', {}],
      ['query { me { id } }', {}],
      ['subscription { orderUpdated(id: "x") { nope } }', {}],
      ['subscription($id: ID!) { orderUpdated(id: $id) { id } }', {}],
    ] as const;
    for (const [query, variables] of cases) {
      const res = await sseSubscribe(stream, query, variables, auth);
      expect([query, res.status, res.refusal?.errors?.[0]?.extensions?.code]).toEqual([query, 400, 'BAD_SUBSCRIPTION']);
    }
    const ws = wsSubscribe(graph().url, 'subscription { orderUpdated(id: "x") { nope } }', {}, auth);
    await ws.ended;
    expect((ws.failure as Array<{ extensions?: { code?: string } }>)[0]?.extensions?.code).toBe('BAD_SUBSCRIPTION');
    await ws.close();

    const http = await graph().gql(ORDER_UPDATED, { id: UNKNOWN_ORDER }, customer);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions).toMatchObject({ code: 'SUBSCRIPTION_NOT_OVER_HTTP', streamPath: '/graphql/stream' });
  }, 60_000);

  it('given a malformed id or day, when subscribing over SSE or WebSocket, then it is refused BAD_USER_INPUT naming the argument, as order(id:) refuses the same id', async () => {
    const auth = { authorization: `Bearer ${customer}` };
    const query = await graph().gql('query($id: ID!) { order(id: $id) { id } }', { id: 'not-an-id' }, customer);
    expect(query.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const cases = [
      [ORDER_UPDATED, { id: 'not-an-id' }, 'id'],
      ['subscription { routeProgress(routeId: "not-an-id") { id } }', {}, 'routeId'],
      ['subscription { dispatchBoard(depotId: "d", date: "2031-01-02") { id } }', {}, 'depotId'],
      ['subscription($d: ID!) { dispatchBoard(depotId: $d, date: "tomorrow") { id } }', { d: crypto.randomUUID() }, 'date'],
    ] as const;
    for (const [document, variables, field] of cases) {
      const sse = await sseSubscribe(stream, document, variables, auth);
      expect([document, sse.status, sse.refusal?.errors?.[0]?.extensions]).toEqual([document, 400, { code: 'BAD_USER_INPUT', field }]);
      const ws = wsSubscribe(graph().url, document, variables, auth);
      await ws.ended;
      expect([document, (ws.failure as Array<{ extensions?: unknown }>)[0]?.extensions]).toEqual([document, { code: 'BAD_USER_INPUT', field }]);
      await ws.close();
    }
  }, 60_000);

  it('given open streams, when the gateway closes, then they complete and the close does not wait for them', async () => {
    const open = await sseSubscribe(stream, ORDER_UPDATED, { id: '01900000-0000-7000-8000-000000009999' }, { authorization: `Bearer ${customer}` });
    const ws = wsSubscribe(graph().url, ORDER_UPDATED, { id: '01900000-0000-7000-8000-000000009999' }, { authorization: `Bearer ${customer}` });
    await eventually('the WebSocket subscription open', async () => (await metric(/^graphql_subscriptions_active\{transport="ws"\}/)) === 1);
    const closing = graph().close();
    g = undefined;
    // Ended by the gateway itself: a stream left to the shutdown grace would be cut (no `complete`
    // event on SSE, 1006 on the WebSocket) instead of finished.
    expect(await open.ended).toBe('complete');
    await ws.ended;
    expect(ws.closeCode).toBe(1001);
    await closing;
  }, 120_000);
});

describe('live subscriptions and the edge settings', () => {
  it('given GATEWAY_SUBSCRIPTIONS=false, when a client subscribes, then SSE answers 404 SUBSCRIPTIONS_DISABLED and no WebSocket is accepted', async () => {
    const g = await startTestGraph('pglite', { GATEWAY_SUBSCRIPTIONS: 'false' });
    try {
      const token = await g.login('customer@demo.test');
      const res = await sseSubscribe(`${g.url}/stream`, ORDER_UPDATED, { id: UNKNOWN_ORDER }, { authorization: `Bearer ${token}` });
      expect([res.status, res.refusal?.errors?.[0]?.extensions?.code]).toEqual([404, 'SUBSCRIPTIONS_DISABLED']);
      const ws = wsSubscribe(g.url, ORDER_UPDATED, { id: UNKNOWN_ORDER }, { authorization: `Bearer ${token}` });
      await ws.ended;
      expect(ws.pushes).toEqual([]);
      expect(ws.failure).toBeDefined();
      await ws.close();
    } finally {
      await g.close();
    }
  }, 120_000);

  it('given a client out of rate-limit tokens, when it opens another subscription, then it gets 429 RATE_LIMITED like a request would', async () => {
    const g = await startTestGraph('pglite', { GATEWAY_RATE_LIMIT_PER_SECOND: '0.001', GATEWAY_RATE_LIMIT_BURST: '3' });
    try {
      const token = await g.login('customer@demo.test');
      const opened = [];
      for (let i = 0; i < 4; i++) opened.push(await sseSubscribe(`${g.url}/stream`, ORDER_UPDATED, { id: UNKNOWN_ORDER }, { authorization: `Bearer ${token}` }));
      expect(opened.map((o) => o.status)).toEqual([200, 200, 200, 429]);
      expect(opened[3]!.refusal?.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      for (const o of opened) o.close();
    } finally {
      await g.close();
    }
  }, 120_000);
});

