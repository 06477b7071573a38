import type { GraphQLSchema } from 'graphql';
import { graphqlOfGateway } from './graphql-realm.ts';

const { extendSchema, parse } = graphqlOfGateway;

/**
 * The Subscription type the gateway serves beside the federated graph. Its fields return the
 * graph's own types: each push runs the matching query (gateway/subscriptions/fields.ts).
 */
export const SUBSCRIPTION_SDL = /* GraphQL */ `
  extend schema {
    subscription: Subscription
  }

  "Live updates, pushed when a domain event says something changed; each push is the query's answer at that moment."
  type Subscription {
    "An order, each time its status, route, ETA, stop or price changes. Nothing is pushed for an order the caller may not see."
    orderUpdated(id: ID!): Order!
    "A route as it is planned, re-planned, started, and as its stops are completed or fail."
    routeProgress(routeId: ID!): Route!
    "A depot's routes of one day (YYYY-MM-DD, up to 100 routes of that day), whenever one of the organization's routes changes."
    dispatchBoard(depotId: ID!, date: String!): [Route!]!
  }
`;

const cache = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The API schema with the Subscription type added; computed once per (re)loaded supergraph. */
export function liveSchema(api: GraphQLSchema): GraphQLSchema {
  let schema = cache.get(api);
  if (!schema) {
    schema = extendSchema(api, parse(SUBSCRIPTION_SDL));
    cache.set(api, schema);
  }
  return schema;
}
