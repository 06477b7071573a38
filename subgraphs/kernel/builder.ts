import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin, { type PothosPrismaDatamodel } from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Role } from './auth/roles.ts';
import type { RequestContext } from './context.ts';
import { forbidden, unauthenticated } from '../platform/errors.ts';
import { dateTimeScalar } from './scalars.ts';

export interface SubgraphContext<Db, Services> extends RequestContext<Db> {
  services: Services;
}

export interface SubgraphSchemaTypes<PrismaTypes extends {}, Db, Services> {
  PrismaTypes: PrismaTypes;
  Context: SubgraphContext<Db, Services>;
  AuthScopes: { authenticated: boolean; anyRole: readonly Role[] };
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    /** Registered only by the subgraphs that take free-form documents (planning's ad hoc problems). */
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}

/** Connection sizes every list in the graph shares. */
export const PAGE_SIZE = { default: 20, max: 100 } as const;

/**
 * One builder shape for every subgraph: federation, Prisma, Relay connections and
 * role-based scopes, with the shared scalars already registered.
 */
export function createSubgraphBuilder<PrismaTypes extends {}, Db, Services = undefined>(options: {
  dmmf: PothosPrismaDatamodel;
}) {
  const builder = new SchemaBuilder<SubgraphSchemaTypes<PrismaTypes, Db, Services>>({
    // Scope auth first: it wraps the resolvers the later plugins produce.
    plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
    defaultFieldNullability: false,
    scopeAuth: {
      authScopes: (ctx) => ({
        authenticated: !!ctx.principal,
        anyRole: (roles) => !!ctx.principal && ctx.principal.roles.some((r) => roles.includes(r)),
      }),
      unauthorizedError: (_parent, ctx) => (ctx.principal ? forbidden() : unauthenticated(ctx.authError)),
    },
    prisma: {
      client: (ctx) => ctx.db as never,
      dmmf: options.dmmf,
      exposeDescriptions: true,
      filterConnectionTotalCount: true,
      defaultConnectionSize: PAGE_SIZE.default,
      maxConnectionSize: PAGE_SIZE.max,
    },
    relay: {
      clientMutationId: 'omit',
      cursorType: 'String',
      // Node/nodes would collide across subgraphs; entities are fetched by their own queries.
      nodeQueryOptions: false,
      nodesQueryOptions: false,
      pageInfoTypeOptions: { shareable: true },
    },
  });
  builder.queryType({});
  builder.mutationType({});
  builder.scalarType('DateTime', dateTimeScalar);
  return builder;
}
