import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Domain } from '../config.ts';
import type { RequestContext } from '../context.ts';
import type { Database } from '../db/database.ts';
import { writeOutbox } from '../events/outbox.ts';
import type { Logger } from '../logger.ts';
import { ANONYMOUS_ORG, mutationExecutedEvent } from './mutation-contract.ts';
import { mutationRecords } from './mutation-records.ts';

export interface AuditMutationsOptions {
  domain: Domain;
  /** The domain's own database: the record goes through its outbox like any of its events. */
  database: Pick<Database, 'query'>;
  outbox: { notify(): void };
  logger: Logger;
}

/**
 * Publishes a `voidtracker.<domain>.mutation.executed.v1` record of every mutation this subgraph
 * executes, before the answer leaves. It is written right after the mutation's own transaction,
 * not inside it: a crash between the two loses the record (docs/audit.md says so).
 */
export function auditMutations(options: AuditMutationsOptions): ApolloServerPlugin<RequestContext<unknown>> {
  const { domain, database, outbox, logger } = options;
  const contract = mutationExecutedEvent(domain);
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, document, request, response, contextValue, schema }) {
          if (operation?.operation !== 'mutation') return;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const fragments = Object.fromEntries(
            (document?.definitions ?? []).flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])),
          );
          const records = mutationRecords({
            subgraph: domain,
            operation,
            fragments,
            operationName: request.operationName,
            variables: request.variables,
            returnType: (field) => returnTypeOf(schema, field),
            data: body?.data as Record<string, unknown> | null | undefined,
            errors: body?.errors as never,
            principal: contextValue.principal,
            requestId: contextValue.requestId,
            now: new Date(),
          });
          const orgId = contextValue.principal?.orgId ?? ANONYMOUS_ORG;
          try {
            const envelopes = records.map((r) => contract.create(r, { subject: contextValue.requestId, orgId, traceparent: contextValue.traceparent }));
            await writeOutbox(database, contract.topic, envelopes);
            outbox.notify();
          } catch (error) {
            // The mutation itself has committed; failing the answer now would only mislead the client.
            logger.error('mutation record not written', { error: (error as Error).message, fields: records.map((r) => r.field) });
          }
        },
      };
    },
  };
}

/** Read structurally: graphql's CommonJS and ESM builds each have their own type classes. */
function returnTypeOf(schema: GraphQLSchema, field: string): { name: string; hasId: boolean } | undefined {
  let type: unknown = schema.getMutationType()?.getFields()[field]?.type;
  while (type && typeof type === 'object' && 'ofType' in type && type.ofType) type = type.ofType;
  if (!type || typeof type !== 'object' || !('name' in type)) return undefined;
  const fields = 'getFields' in type && typeof type.getFields === 'function' ? (type.getFields() as Record<string, unknown>) : {};
  return { name: String(type.name), hasId: 'id' in fields };
}
