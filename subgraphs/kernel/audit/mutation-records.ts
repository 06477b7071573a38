import { Kind, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Principal } from '../auth/principal.ts';
import type { MutationExecuted } from './mutation-contract.ts';
import { redact } from './redact.ts';

/** What a subgraph knows about one executed mutation operation when it answers. */
export interface MutationExecution {
  /** The subgraph's name: the gateway calls operations `<ClientName>__<subgraph>__<n>`. */
  subgraph: string;
  operation: OperationDefinitionNode;
  fragments?: Record<string, FragmentDefinitionNode>;
  operationName?: string | null;
  variables?: Record<string, unknown>;
  /** The named type a mutation field returns, and whether that type has an `id` (from the schema). */
  returnType(field: string): { name: string; hasId: boolean } | undefined;
  data?: Record<string, unknown> | null;
  errors?: ReadonlyArray<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
  principal: Principal | null;
  requestId: string;
  now: Date;
}

/** The client's own operation name, without the suffix the gateway adds per subgraph fetch. */
export function clientOperationName(name: string | null | undefined, subgraph: string): string | null {
  if (!name) return null;
  const suffix = new RegExp(`__${subgraph.replace(/[^_0-9A-Za-z]/g, '')}__\\d+$`);
  return name.replace(suffix, '') || null;
}

/** One record per root mutation field, so each carries its own entity and outcome. */
export function mutationRecords(execution: MutationExecution): MutationExecuted[] {
  const { operation, principal } = execution;
  const variables = { ...defaultVariables(operation), ...execution.variables };
  const operationName = clientOperationName(execution.operationName ?? operation.name?.value, execution.subgraph);
  return rootFields(operation.selectionSet, execution.fragments ?? {}).map((node) => {
    const field = node.name.value;
    const key = node.alias?.value ?? field;
    const args = Object.fromEntries((node.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, variables)]));
    // An error without a path (the whole request failed) belongs to every field.
    const codes = (execution.errors ?? [])
      .filter((e) => !e.path?.length || e.path[0] === key)
      .map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR'));
    return {
      operationName,
      field,
      arguments: redact(args) as Record<string, unknown>,
      actor: principal ? { userId: principal.userId, orgId: principal.orgId, roles: [...principal.roles] } : null,
      outcome: codes.length ? 'ERROR' : 'OK',
      errorCodes: [...new Set(codes)],
      entity: entityOf(execution.returnType(field), execution.data?.[key], args),
      requestId: execution.requestId,
      executedAt: execution.now.toISOString(),
    };
  });
}

/**
 * The entity is clear when the field returns a type with an id: the id in the result, else an
 * `id` or `<type>Id` argument (cancelOrder(id), startRoute(routeId)).
 */
function entityOf(type: { name: string; hasId: boolean } | undefined, result: unknown, args: Record<string, unknown>) {
  if (!type?.hasId) return null;
  const fromResult = result && typeof result === 'object' && 'id' in result ? (result as { id: unknown }).id : undefined;
  const argName = `${type.name.charAt(0).toLowerCase()}${type.name.slice(1)}Id`;
  const id = [fromResult, args.id, args[argName]].find((v) => typeof v === 'string' && v.length > 0) as string | undefined;
  return id ? { type: type.name, id } : null;
}

function rootFields(selectionSet: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection): FieldNode[] => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__typename' ? [] : [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFields(selection.selectionSet, fragments);
    const fragment = fragments[selection.name.value];
    return fragment ? rootFields(fragment.selectionSet, fragments) : [];
  });
}

function defaultVariables(operation: OperationDefinitionNode): Record<string, unknown> {
  return Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .filter((d) => d.defaultValue)
      .map((d) => [d.variable.name.value, valueFromASTUntyped(d.defaultValue!)]),
  );
}
