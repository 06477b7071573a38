/** The end-to-end walkthrough, step by step; each later domain adds its steps here. */
import { describeError } from '../lib/verify.ts';

export interface StepResult {
  name: string;
  ok: boolean;
  /** What the step read back, shown beside PASSED/FAILED. */
  figures: string;
  ms: number;
}

type Gql = (query: string, variables?: Record<string, unknown>, token?: string) => Promise<{ data?: any; errors?: Array<{ message: string }> }>;

export function graphqlClient(url: string): Gql {
  return async (query, variables, token) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: any; errors?: Array<{ message: string }> };
  };
}

const fail = (what: string, res: { errors?: Array<{ message: string }> }) =>
  new Error(`${what}: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);

/** Polls until `check` gives a value, for what travels between domains as events. */
async function poll<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs every step in order, stopping at the first failure; `report` sees each as it ends. */
export async function runDemo(url: string, report: (r: StepResult) => void = () => {}): Promise<StepResult[]> {
  const gql = graphqlClient(url);
  const state: { token?: string; orderId?: string; depotId?: string; routeId?: string; invoiceId?: string; financeToken?: string } = {};
  const login = async (email: string) => {
    const res = await gql('mutation($e: String!) { login(email: $e, password: "voidtracker") { accessToken user { id } } }', { e: email });
    if (!res.data?.login) throw fail(`login as ${email}`, res);
    return res.data.login as { accessToken: string; user: { id: string } };
  };
  // Planning plans a day that is still ahead; tomorrow (UTC) always is.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const steps: Array<[string, () => Promise<string>]> = [
    [
      'log in as the demo dispatcher',
      async () => {
        const res = await gql('mutation { login(email: "dispatcher@demo.test", password: "voidtracker") { accessToken expiresAt user { email roles } } }');
        if (!res.data?.login) throw fail('login', res);
        state.token = res.data.login.accessToken;
        return `${res.data.login.user.email} ${res.data.login.user.roles.join(',')}, token until ${res.data.login.expiresAt}`;
      },
    ],
    [
      'create an order',
      async () => {
        const res = await gql(
          `mutation($input: CreateOrderInput!) { createOrder(input: $input) { id status weightKg } }`,
          {
            input: {
              reference: `DEMO-${Date.now()}`,
              pickup: { line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847 },
              dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', postalCode: '14467', country: 'DE', lat: 52.3989, lon: 13.0657 },
              parcels: [{ weightKg: 2.5 }, { weightKg: 1.25 }],
            },
          },
          state.token,
        );
        if (!res.data?.createOrder) throw fail('createOrder', res);
        state.orderId = res.data.createOrder.id;
        return `order ${res.data.createOrder.id} ${res.data.createOrder.status}, ${res.data.createOrder.weightKg} kg`;
      },
    ],
    [
      'read it back with its customer from iam (federation)',
      async () => {
        const res = await gql('query($id: ID!) { order(id: $id) { id status customer { email organization { name } } } }', { id: state.orderId }, state.token);
        const order = res.data?.order;
        if (!order?.customer?.email) throw fail('order', res);
        return `customer ${order.customer.email} of ${order.customer.organization.name}`;
      },
    ],
    [
      'set up a depot and a vehicle (planning)',
      async () => {
        const suffix = Date.now().toString(36).toUpperCase();
        const depot = { name: `Demo hub ${suffix}`, line1: 'Invalidenstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE', lat: 52.5306, lon: 13.3847, timeZone: 'Europe/Berlin' };
        const res = await gql('mutation($input: CreateDepotInput!) { createDepot(input: $input) { id name } }', { input: depot }, state.token);
        if (!res.data?.createDepot) throw fail('createDepot', res);
        state.depotId = res.data.createDepot.id;
        const vehicle = { name: 'Demo van', plate: `B-DEMO-${suffix}`, capacityKg: 800, shiftStart: '08:00', shiftEnd: '18:00', costPerKm: '0.85', homeDepotId: state.depotId };
        const van = await gql('mutation($input: CreateVehicleInput!) { createVehicle(input: $input) { plate capacityKg } }', { input: vehicle }, state.token);
        if (!van.data?.createVehicle) throw fail('createVehicle', van);
        return `${res.data.createDepot.name} with ${van.data.createVehicle.plate} (${van.data.createVehicle.capacityKg} kg)`;
      },
    ],
    [
      'plan the order onto a route (planning)',
      async () => {
        // The order reaches planning as an event; wait until it is in the pool.
        await poll('the order to reach the planning pool', async () => {
          const res = await gql('query { planningPool(first: 100) { edges { node { order { id } } } } }', {}, state.token);
          return res.data?.planningPool.edges.some((e: { node: { order: { id: string } } }) => e.node.order.id === state.orderId);
        });
        const res = await gql(
          'mutation($depotId: ID!, $date: String!) { planDay(depotId: $depotId, date: $date) { routes { id distanceKm stops { order { id } } } unserved { reason } } }',
          { depotId: state.depotId, date: tomorrow },
          state.token,
        );
        const route = res.data?.planDay?.routes.find((r: { stops: Array<{ order: { id: string } }> }) => r.stops.some((s) => s.order.id === state.orderId));
        if (!route) throw fail('planDay (the order is on no route)', res);
        state.routeId = route.id;
        return `route ${route.id} on ${tomorrow}: ${route.stops.length} stop(s), ${route.distanceKm} km, ${res.data.planDay.unserved.length} unserved`;
      },
    ],
    [
      'read the order with its route and eta from planning (federation)',
      async () => {
        const order = await poll('the order to be PLANNED', async () => {
          const res = await gql('query($id: ID!) { order(id: $id) { status route { id } eta } }', { id: state.orderId }, state.token);
          return res.data?.order?.status === 'PLANNED' ? res.data.order : undefined;
        });
        if (order.route?.id !== state.routeId || !order.eta) throw new Error(`order: route ${order.route?.id}, eta ${order.eta}`);
        return `${order.status} on route ${order.route.id}, eta ${order.eta}`;
      },
    ],
    [
      "read the order's quote breakdown from billing (federation)",
      async () => {
        // The checkout price holds; once the order is planned, billing records beside it what serving it costs (finance's view).
        state.financeToken ??= (await login('finance@demo.test')).accessToken;
        const quote = await poll('the cost to serve on the planned route', async () => {
          const res = await gql(
            'query($id: ID!) { order(id: $id) { quote { total currency distanceKm distanceSource lockedUntil breakdown { code amount } plannedDistanceKm costToServe { amount } margin { amount } } } }',
            { id: state.orderId },
            state.financeToken,
          );
          return res.data?.order?.quote?.costToServe ? res.data.order.quote : undefined;
        });
        const lines = quote.breakdown.map((l: { code: string; amount: string }) => `${l.code} ${l.amount}`).join(', ');
        return `${quote.total} ${quote.currency} for ${quote.distanceKm} km (${quote.distanceSource}, locked until ${quote.lockedUntil}): ${lines}; cost to serve ${quote.costToServe.amount} for ${quote.plannedDistanceKm} km planned, margin ${quote.margin.amount}`;
      },
    ],
    [
      'deliver it: the driver starts the route and completes the stop',
      async () => {
        const driver = await login('driver@demo.test');
        // Planning learns drivers from iam's events; retry until it knows this one.
        await poll('the driver to be assigned', async () => {
          const res = await gql('mutation($r: ID!, $d: ID!) { assignDriver(routeId: $r, driverId: $d) { id } }', { r: state.routeId, d: driver.user.id }, state.token);
          return !res.errors && res.data?.assignDriver;
        });
        const started = await gql('mutation($id: ID!) { startRoute(routeId: $id) { status stops { id order { id } } } }', { id: state.routeId }, driver.accessToken);
        if (!started.data?.startRoute) throw fail('startRoute', started);
        const stop = started.data.startRoute.stops.find((s: { order: { id: string } }) => s.order.id === state.orderId);
        const done = await gql('mutation($id: ID!) { completeStop(stopId: $id, proof: { recipientName: "R. Ecipient" }) { status recipientName } }', { id: stop.id }, driver.accessToken);
        if (!done.data?.completeStop) throw fail('completeStop', done);
        const order = await poll('the order to be DELIVERED', async () => {
          const res = await gql('query($id: ID!) { order(id: $id) { status } }', { id: state.orderId }, state.token);
          return res.data?.order?.status === 'DELIVERED' ? res.data.order : undefined;
        });
        return `route ${started.data.startRoute.status}, stop ${done.data.completeStop.status} (signed ${done.data.completeStop.recipientName}), order ${order.status}`;
      },
    ],
    [
      "read the order's invoice from billing as finance (federation)",
      async () => {
        state.financeToken ??= (await login('finance@demo.test')).accessToken;
        // Billing drafts the invoice from planning's stop.completed.
        const invoice = await poll('the draft invoice', async () => {
          const res = await gql(
            'query($id: ID!) { order(id: $id) { invoice { id status currency subtotal tax total lines { description quantity unitPrice vatCategory vatRate amount taxAmount } } } }',
            { id: state.orderId },
            state.financeToken,
          );
          return res.data?.order?.invoice ?? undefined;
        });
        state.invoiceId = invoice.id;
        const line = invoice.lines[0];
        return `${invoice.status}, ${invoice.lines.length} line(s): ${line.quantity} × ${line.unitPrice} + VAT ${line.vatRate}% ${line.vatCategory} ${line.taxAmount}; subtotal ${invoice.subtotal}, tax ${invoice.tax}, total ${invoice.total} ${invoice.currency}`;
      },
    ],
    [
      'issue the invoice as finance',
      async () => {
        const res = await gql('mutation($id: ID!) { issueInvoice(invoiceId: $id) { number status total currency issuedAt } }', { id: state.invoiceId }, state.financeToken);
        const issued = res.data?.issueInvoice;
        if (!issued) throw fail('issueInvoice', res);
        return `${issued.number} ${issued.status} at ${issued.issuedAt}, total ${issued.total} ${issued.currency}`;
      },
    ],
  ];

  const results: StepResult[] = [];
  for (const [name, run] of steps) {
    const started = performance.now();
    let result: StepResult;
    try {
      result = { name, ok: true, figures: await run(), ms: performance.now() - started };
    } catch (error) {
      result = { name, ok: false, figures: describeError(error), ms: performance.now() - started };
    }
    results.push(result);
    report(result);
    if (!result.ok) break;
  }
  return results;
}
