import { buildSchema, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LiveError } from './errors.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import { parseLiveOperation } from './operation.ts';
import { liveSchema } from './schema.ts';

// A slice of the API schema with the types the Subscription fields return (built in the gateway's graphql copy).
const api = graphqlOfGateway.buildSchema(`
  scalar DateTime
  type Query { order(id: ID!): Order route(id: ID!): Route routes(date: String, first: Int): RouteConnection! }
  type Order { id: ID! status: String! eta: DateTime route: Route }
  type Route { id: ID! status: String! depot: Depot! stops: [Stop!]! }
  type Stop { status: String! }
  type Depot { id: ID! }
  type RouteConnection { edges: [RouteEdge!]! }
  type RouteEdge { node: Route! }
`) as ReturnType<typeof buildSchema>;
const schema = liveSchema(api);
const ORDER = '0190a000-0000-7000-8000-000000000001';
const DEPOT = '0190a000-0000-7000-8000-000000000002';
const OTHER_DEPOT = '0190a000-0000-7000-8000-000000000003';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as LiveError).code;
  }
  return 'no error';
};

describe('parseLiveOperation', () => {
  it('given orderUpdated with an alias and a fragment, when parsed, then the push runs order(id) with the same selection under the alias', () => {
    const op = parseLiveOperation(schema, {
      query: 'subscription S($id: ID!) { mine: orderUpdated(id: $id) { ...F } } fragment F on Order { id status route { id } }',
      variables: { id: ORDER, unused: 1 },
    });
    expect(op.field.name).toBe('orderUpdated');
    expect(op.args).toEqual({ id: ORDER });
    expect(op.responseKey).toBe('mine');
    expect(print(op.query).replace(/\s+/g, ' ')).toBe('query S($id: ID!) { mine: order(id: $id) { ...F } } fragment F on Order { id status route { id } }');
    expect(op.variables).toEqual({ id: ORDER });
  });

  it('given dispatchBoard, when parsed, then the push reads the day\'s routes with their depot, and the depot variable (used only by the filter) is dropped', () => {
    const op = parseLiveOperation(schema, {
      query: 'subscription($d: ID!, $day: String!) { dispatchBoard(depotId: $d, date: $day) { id } }',
      variables: { d: DEPOT, day: '2031-01-02' },
    });
    expect(op.args).toEqual({ depotId: DEPOT, date: '2031-01-02' });
    expect(print(op.query).replace(/\s+/g, ' ')).toBe(
      'query ($day: String!) { dispatchBoard: routes(date: $day, first: 100) { edges { node { __liveDepot: depot { id } id } } } }',
    );
    expect(op.variables).toEqual({ day: '2031-01-02' });
    const value = { edges: [{ node: { __liveDepot: { id: DEPOT }, id: 'r1' } }, { node: { __liveDepot: { id: OTHER_DEPOT }, id: 'r2' } }] };
    expect(op.field.payload(value, op.args)).toEqual([{ id: 'r1' }]);
  });

  it('given bad documents, when parsed, then each is BAD_SUBSCRIPTION', () => {
    const bad = [
      {},
      { query: 'subscription {' },
      { query: 'query { order(id: "1") { id } }' },
      { query: 'subscription { orderUpdated(id: "1") { nope } }' },
      { query: 'subscription($id: ID!) { orderUpdated(id: $id) { id } }' },
      { query: 'subscription { orderUpdated(id: "1") { id } }', variables: [] },
      { query: 'subscription { ... on Subscription { orderUpdated(id: "1") { id } } }' },
      { query: 'subscription { __typename }' },
      { query: 'subscription A { orderUpdated(id: "1") { id } } subscription B { orderUpdated(id: "2") { id } }' },
    ];
    for (const request of bad) expect([request, codeOf(() => parseLiveOperation(schema, request))]).toEqual([request, 'BAD_SUBSCRIPTION']);
  });

  it('given malformed argument values, when parsed, then each is BAD_USER_INPUT naming the argument, as the same id on a query is', () => {
    const cases = [
      [{ query: 'subscription { orderUpdated(id: "not-an-id") { id } }' }, 'id'],
      [{ query: 'subscription($id: ID!) { orderUpdated(id: $id) { id } }', variables: { id: 'not-an-id' } }, 'id'],
      [{ query: 'subscription { routeProgress(routeId: "r-1") { id } }' }, 'routeId'],
      [{ query: 'subscription { dispatchBoard(depotId: "d", date: "2031-01-02") { id } }' }, 'depotId'],
      [{ query: `subscription { dispatchBoard(depotId: "${DEPOT}", date: "2031-13-45") { id } }` }, 'date'],
    ] as const;
    for (const [request, field] of cases) {
      let refusal: LiveError | undefined;
      try {
        parseLiveOperation(schema, request);
      } catch (error) {
        refusal = error as LiveError;
      }
      expect([request, refusal?.toJSON().extensions]).toEqual([request, { code: 'BAD_USER_INPUT', field }]);
    }
  });
});
