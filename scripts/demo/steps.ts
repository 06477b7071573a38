/** The end-to-end walkthrough, step by step; each later domain adds its steps here. */

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

/** Runs every step in order, stopping at the first failure; `report` sees each as it ends. */
export async function runDemo(url: string, report: (r: StepResult) => void = () => {}): Promise<StepResult[]> {
  const gql = graphqlClient(url);
  const state: { token?: string; orderId?: string } = {};
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
  ];

  const results: StepResult[] = [];
  for (const [name, run] of steps) {
    const started = performance.now();
    let result: StepResult;
    try {
      result = { name, ok: true, figures: await run(), ms: performance.now() - started };
    } catch (error) {
      result = { name, ok: false, figures: (error as Error).message, ms: performance.now() - started };
    }
    results.push(result);
    report(result);
    if (!result.ok) break;
  }
  return results;
}
