/** The record every subgraph publishes of each mutation it executes (the audit log reads them). */
import { z } from 'zod';
import { DOMAINS, type Domain } from '../../platform/config.ts';
import { defineEvent } from '../../platform/events/contract.ts';

/** Mutations without a verified caller (sign-in, token refresh) belong to no tenant: this is their chain. */
export const ANONYMOUS_ORG = 'anonymous';

export const MutationExecutedSchema = z.object({
  /** The client's operation name (the gateway's `__<subgraph>__<n>` suffix removed); null when unnamed. */
  operationName: z.string().nullable(),
  /** The root mutation field, e.g. createOrder. */
  field: z.string(),
  /** Its arguments, variables resolved, secrets replaced by "[REDACTED]". */
  arguments: z.record(z.string(), z.unknown()),
  /** Who called: null when the request carried no valid token. */
  actor: z.object({ userId: z.string(), orgId: z.string(), roles: z.array(z.string()) }).nullable(),
  /** OK, or the error codes the field failed with. */
  outcome: z.enum(['OK', 'ERROR']),
  errorCodes: z.array(z.string()),
  /** The entity the mutation acted on, where its result or arguments make it clear. */
  entity: z.object({ type: z.string(), id: z.string() }).nullable(),
  requestId: z.string(),
  executedAt: z.iso.datetime({ offset: true }),
});
export type MutationExecuted = z.infer<typeof MutationExecutedSchema>;

/** One contract per domain, on that domain's own topic: `voidtracker.<domain>.mutation.executed.v1`. */
export function mutationExecutedEvent<const D extends Domain>(domain: D) {
  return defineEvent({
    type: `voidtracker.${domain}.mutation.executed.v1`,
    producer: domain,
    aggregate: 'Request',
    description: `A mutation ran on the ${domain} subgraph: who, which operation and arguments (secrets redacted), outcome, request and trace. Subject: the request id.`,
    schema: MutationExecutedSchema,
  });
}

export const MUTATION_EVENTS = DOMAINS.map((domain) => mutationExecutedEvent(domain));

const MUTATION_TYPE = /^voidtracker\.[a-z][a-z0-9_]*\.mutation\.executed\.v1$/;
/** True for any domain's mutation record (a domain added later included). */
export const isMutationRecord = (type: string): boolean => MUTATION_TYPE.test(type);
