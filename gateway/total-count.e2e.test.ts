import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../subgraphs/platform/events/testing/test-support.ts';
import { planOrder } from './testing/delivery.ts';
import { availableBackends, orderInput, startTestGraph, type GqlResponse, type TestGraph } from './testing/harness.ts';

const ok = <T>(res: GqlResponse<T>): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
};

interface Page {
  totalCount: number;
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

describe.each(await availableBackends())('totalCount on the connections where it is cheap, through the gateway on %s', (backend) => {
  let g: TestGraph;
  let admin: string;
  let dispatcher: string;

  /** Walks every page of `field`, `size` edges at a time; its totalCount on every page, and the edges seen. */
  const walk = async (field: string, args: string, variables: Record<string, unknown>, token: string, size = 2) => {
    const query = `query($after: String${args ? `, ${args}` : ''}) { ${field}(first: ${size}, after: $after${variablesOf(args)}) { totalCount edges { cursor } pageInfo { hasNextPage endCursor } } }`;
    const counts = new Set<number>();
    let walked = 0;
    let after: string | null = null;
    for (;;) {
      const page: Page = (ok(await g.gql(query, { ...variables, after }, token)) as Record<string, Page>)[field]!;
      counts.add(page.totalCount);
      walked += page.edges.length;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { totalCount: [...counts], walked };
  };
  const variablesOf = (args: string) => [...args.matchAll(/\$(\w+):/g)].map(([, name]) => `, ${name}: $${name}`).join('');

  beforeAll(async () => {
    g = await startTestGraph(backend);
    [admin, dispatcher] = (await Promise.all(['admin@demo.test', 'dispatcher@demo.test'].map((e) => g.login(e)))) as [string, string];
  }, 60_000);
  afterAll(() => g?.close());

  it('given users filtered by activity, role and search, then totalCount is the number of users walked through every page', async () => {
    for (const [args, variables] of [
      ['$filter: UserFilter', { filter: { active: true } }],
      ['$filter: UserFilter', { filter: { search: 'demo.test' } }],
      ['$filter: UserFilter', { filter: { role: 'DRIVER' } }],
    ] as const) {
      const { totalCount, walked } = await walk('users', args, variables, admin);
      expect(totalCount, JSON.stringify(variables)).toEqual([walked]);
    }
    expect((await walk('users', '$filter: UserFilter', { filter: { active: true } }, admin)).walked).toBeGreaterThan(2);
    const drivers = await walk('drivers', '$filter: DriverFilter', { filter: { active: true } }, dispatcher);
    expect(drivers.totalCount).toEqual([drivers.walked]);
    expect(drivers.walked).toBeGreaterThan(0);
  });

  it('given invitations, API keys and webhook endpoints, then each totalCount is what walking its pages finds', async () => {
    for (let i = 0; i < 3; i++) {
      ok(await g.gql('mutation($input: InviteUserInput!) { inviteUser(input: $input) { token } }', { input: { email: `count-${i}@demo.test`, name: `Count ${i}`, roles: ['DRIVER'] } }, admin));
      ok(await g.gql('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { clientName: `count${i}`, roles: ['PARTNER'] } }, admin));
    }
    const [type] = ok(await g.gql<{ webhookEventTypes: string[] }>('{ webhookEventTypes }', {}, admin)).webhookEventTypes;
    for (let i = 0; i < 3; i++) {
      ok(await g.gql('mutation($url: String!, $types: [String!]!) { createWebhookEndpoint(url: $url, eventTypes: $types) { secret } }', { url: `https://203.0.113.${i + 1}/hooks`, types: [type] }, admin));
    }
    for (const [field, args, variables] of [
      ['invitations', '', {}],
      ['apiKeys', '', {}],
      ['apiKeys', '$clientName: String', { clientName: 'count1' }],
      ['webhookEndpoints', '', {}],
    ] as const) {
      const { totalCount, walked } = await walk(field, args, variables, admin);
      expect(totalCount, `${field} ${JSON.stringify(variables)}`).toEqual([walked]);
      expect(walked, field).toBeGreaterThan(variables && 'clientName' in variables ? 0 : 2);
    }
  });

  it("given orders waiting and planned routes, then the pool's and the routes' totalCount match their pages, under a day's filter too", async () => {
    const create = async () => ok(await g.gql('mutation($input: CreateOrderInput!) { createOrder(input: $input) { id } }', { input: orderInput() }, dispatcher)).createOrder.id as string;
    const ids = [await create(), await create(), await create(), await create(), await create()];
    await eventually('the orders in the planning pool', async () => (await walk('planningPool', '', {}, dispatcher)).walked >= ids.length);
    const pool = await walk('planningPool', '', {}, dispatcher);
    expect(pool.totalCount).toEqual([pool.walked]);

    // Planning a day takes the whole pool; an order created after it waits for another day's plan.
    const first = await planOrder(g, dispatcher, ids[0]!);
    const emptied = await walk('planningPool', '', {}, dispatcher);
    expect(emptied.totalCount).toEqual([emptied.walked]);
    expect(emptied.walked).toBeLessThan(pool.walked);
    const second = await planOrder(g, dispatcher, await create());
    const all = await walk('routes', '', {}, dispatcher, 1);
    expect(all.totalCount).toEqual([all.walked]);
    expect(all.walked).toBeGreaterThanOrEqual(2);
    const date = ok(await g.gql('query($id: ID!) { route(id: $id) { date } }', { id: second.id }, dispatcher)).route.date as string;
    const oneDay = await walk('routes', '$date: String', { date }, dispatcher, 1);
    expect(oneDay.totalCount).toEqual([oneDay.walked]);
    expect(oneDay.walked).toBeGreaterThan(0);
    expect(oneDay.walked).toBeLessThan(all.walked);
    expect(first.id).not.toBe(second.id);
  }, 120_000);
});
