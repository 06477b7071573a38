import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { Domain } from '../../platform/config.ts';
import type { RequestContext } from '../context.ts';
import type { Database } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { toOutboxRow } from '../../platform/events/outbox.ts';
import { eventsOnlyUnitOfWork, type Relay } from '../../platform/events/unit-of-work.ts';
import type { Logger } from '../../platform/logger.ts';
import { ANONYMOUS_ORG, mutationExecutedEvent } from './mutation-contract.ts';
import { mutationRecords } from './mutation-records.ts';

export interface AuditMutationsOptions {
  domain: Domain;
  /** The domain's own database: the record goes through its outbox like any of its events. */
  database: Pick<Database, 'query'>;
  outbox: Relay;
  logger: Logger;
}

/**
 * Publishes a `voidtracker.<domain>.mutation.executed.v1` record of every mutation this subgraph
 * executes, before the answer leaves. Before the mutation runs, its records are built and
 * serialized as they will be stored: a mutation whose record could not be written is refused, not
 * run. The record itself is written right after the mutation's own transaction (docs/audit.md).
 */
export function auditMutations(options: AuditMutationsOptions): ApolloServerPlugin<RequestContext<unknown>> {
  const { domain, database, outbox, logger } = options;
  const contract = mutationExecutedEvent(domain);
  // The records are events only: stored in one statement, the relay woken with the request's other events.
  const record = eventsOnlyUnitOfWork(database, outbox);
  return {
    async requestDidStart() {
      const recordsOf = (rc: Pick<GraphQLRequestContext<RequestContext<unknown>>, 'operation' | 'document' | 'request' | 'contextValue' | 'schema'>, body?: { data?: unknown; errors?: unknown }) => {
        const { operation, document, request, contextValue, schema } = rc;
        const fragments = Object.fromEntries(
          (document?.definitions ?? []).flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [])),
        );
        const records = mutationRecords({
          subgraph: domain,
          operation: operation!,
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
        const envelopes = records.map((r) => contract.create(r, { subject: contextValue.requestId, orgId, traceparent: contextValue.traceparent }));
        return { records, envelopes };
      };
      return {
        async didResolveOperation(rc) {
          if (rc.operation?.operation !== 'mutation') return;
          try {
            // Exactly what will be stored after the mutation, short of its outcome: if this cannot be a row, nothing runs.
            for (const envelope of recordsOf(rc).envelopes) toOutboxRow(contract.topic, envelope);
          } catch (error) {
            logger.error('mutation refused: its record could not be written', { error: (error as Error).message });
            throw new AppError('INTERNAL_SERVER_ERROR', 'This mutation could not be recorded in the audit log, so it was not run.');
          }
        },
        async willSendResponse(rc) {
          if (rc.operation?.operation !== 'mutation') return;
          const body = rc.response.body.kind === 'single' ? rc.response.body.singleResult : undefined;
          let fields: string[] = [];
          try {
            const { records, envelopes } = recordsOf(rc, body);
            fields = records.map((r) => r.field);
            await record(contract.topic, envelopes);
          } catch (error) {
            // Only the database failing between the mutation's commit and this write gets here
            // (the checks above already passed): the change is committed, so the answer stands.
            logger.error('mutation record not written', { error: (error as Error).message, fields });
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
