import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { loadBatched } from '../../subgraphs/kernel/batching.ts';
import type { GatewayContext } from '../context.ts';
import { graphqlOfGateway } from '../subscriptions/graphql-realm.ts';
import { typesOfIds, type AskSubgraph } from './lookup.ts';
import { nodeOwnersOf } from './owners.ts';
import { nodeSchema, type NodeContext } from './schema.ts';

/**
 * The node subgraph, run inside the gateway: no process, port or database of its own. It answers
 * `node(id:)` / `nodes(ids:)` with each id's type, found by asking the owning subgraphs over their
 * ordinary data sources (`subgraph(name)`), so with the caller's own credentials, request id and
 * trace; the query planner then fetches the fields asked for from the owners, as for any entity.
 */
// The schema is @apollo/subgraph's, built with the gateway's copy of graphql: it runs on that copy.
const { execute, parse } = graphqlOfGateway;

export class NodeDataSource implements GraphQLDataSource<GatewayContext> {
  private schema: GraphQLSchema | undefined;
  private owners: ReadonlyMap<string, string> = new Map();

  constructor(private readonly subgraph: (name: string) => GraphQLDataSource<GatewayContext> | undefined) {}

  /** Takes the Node types and their owners from the supergraph being served (on load and on every reload). */
  load(supergraphSdl: string): void {
    this.owners = nodeOwnersOf(supergraphSdl);
    this.schema = nodeSchema(this.owners.keys());
  }

  async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { request } = options;
    if (!this.schema) return { errors: [{ message: 'The node subgraph has no supergraph loaded yet.' }] };
    // A health check or schema load: nothing of the caller's to look up.
    if (!('incomingRequestContext' in options)) return (await execute({ schema: this.schema, document: parse(request.query!) })) as GatewayGraphQLResponse;
    const { kind, incomingRequestContext, context: gatewayContext } = options;
    const ask: AskSubgraph = async (name, query, variables) => {
      const source = this.subgraph(name);
      if (!source) throw new GraphQLError(`The ${name} subgraph is not part of this gateway.`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
      return source.process({ kind, incomingRequestContext, context: gatewayContext, request: { query, variables } });
    };
    const owners = this.owners;
    const context: NodeContext = {
      signedIn: !!gatewayContext.authorization,
      // Every id this operation asks about, looked up together: one call per owning subgraph.
      typeOf: (id) => loadBatched(context, 'node-types', id, (ids) => typesOfIds(ids, owners, ask)),
    };
    const result = await execute({
      schema: this.schema,
      document: parse(request.query!),
      ...(request.variables ? { variableValues: request.variables } : {}),
      ...(request.operationName ? { operationName: request.operationName } : {}),
      contextValue: context,
    });
    return { ...(result.data !== undefined ? { data: result.data } : {}), ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}) };
  }
}
