import {
  Kind,
  type DocumentNode,
  type GraphQLError,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { LIMIT_CODES, OPERATION_LIMITS_DEFAULTS, refuseDocument, type OperationLimitsOptions } from '../plugins/operation-limits.ts';
import { LIVE_CODES, LiveError } from './errors.ts';
import { graphqlOfGateway } from './graphql-realm.ts';
import { LIVE_FIELDS, type LiveField } from './fields.ts';

const { getArgumentValues, getOperationAST, getVariableValues, parse, print, validate, visit } = graphqlOfGateway;

/** A subscription request as either protocol carries it. */
export interface LiveRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface LiveOperation {
  field: LiveField;
  /** The subscription field's arguments, coerced. */
  args: Record<string, unknown>;
  /** Where the payload sits in each pushed `data` (the field's alias or name). */
  responseKey: string;
  /** The query each push runs, with the client's selection. */
  query: DocumentNode;
  /** Its text: with the credentials, the key under which subscribers share one execution. */
  queryText: string;
  /** The client's variables that query uses. */
  variables: Record<string, unknown>;
}

const bad = (message: string) => new LiveError(LIVE_CODES.badSubscription, message);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Variables and fragments an operation uses, fragments followed transitively. */
function usedBy(operation: OperationDefinitionNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
  const variables = new Set<string>();
  const used = new Set<string>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node.selectionSet, {
      Variable: (v) => void variables.add(v.name.value),
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (!fragment || used.has(fragment.name.value)) return;
        used.add(fragment.name.value);
        walk(fragment);
      },
    });
  walk(operation);
  return { variables, fragments: [...used].map((n) => fragments.get(n)!) };
}

/**
 * Parses and validates a subscription document against the live schema and turns it into the
 * query its pushes run. Anything wrong is a LiveError BAD_SUBSCRIPTION, before any stream opens.
 */
export type DocumentLimits = Pick<OperationLimitsOptions, 'maxDocumentBytes' | 'maxTokens'>;

const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = { maxDocumentBytes: OPERATION_LIMITS_DEFAULTS.maxDocumentBytes, maxTokens: OPERATION_LIMITS_DEFAULTS.maxTokens };

export function parseLiveOperation(schema: GraphQLSchema, request: LiveRequest, limits: DocumentLimits = DEFAULT_DOCUMENT_LIMITS): LiveOperation {
  if (typeof request.query !== 'string' || !request.query.trim()) throw bad('A subscription needs a "query" string.');
  if (request.variables !== undefined && request.variables !== null && !isObject(request.variables)) throw bad('"variables" must be an object.');
  if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') {
    throw bad('"operationName" must be a string.');
  }
  // The edge's own checks first, before the parser reads anything.
  const refusal = refuseDocument(request.query, limits);
  if (refusal) {
    throw new LiveError(refusal.code === LIMIT_CODES.size ? LIVE_CODES.documentTooLarge : LIVE_CODES.tooManyTokens, refusal.message, { limit: refusal.limit });
  }
  let document: DocumentNode;
  try {
    document = parse(request.query, limits.maxTokens ? { maxTokens: limits.maxTokens } : {});
  } catch (error) {
    throw bad(`Syntax error: ${(error as GraphQLError).message}`);
  }
  const operation = getOperationAST(document, (request.operationName as string | null | undefined) ?? undefined);
  if (!operation) throw bad('No single operation to run: name one with "operationName".');
  if (operation.operation !== 'subscription') {
    throw bad(`Only subscriptions are served here; send a ${operation.operation} to /graphql.`);
  }
  const errors = validate(schema, document);
  if (errors.length) throw bad(errors.map((e) => e.message).join(' '));
  const [root, ...rest] = operation.selectionSet.selections;
  if (!root || rest.length || root.kind !== Kind.FIELD || root.directives?.length) {
    throw bad('A subscription selects exactly one field, without fragments or directives at its root.');
  }
  const field = LIVE_FIELDS[root.name.value];
  const definition = schema.getSubscriptionType()?.getFields()[root.name.value];
  if (!field || !definition) throw bad(`Unknown subscription field "${root.name.value}".`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], (request.variables as Record<string, unknown> | undefined) ?? {});
  if (coerced.errors) throw bad(coerced.errors.map((e) => e.message).join(' '));
  const args = getArgumentValues(definition, root, coerced.coerced);
  const problem = field.check?.(args);
  if (problem) throw new LiveError(LIVE_CODES.badInput, problem.message, { field: problem.field });

  const responseKey = root.alias?.value ?? root.name.value;
  const queryOperation: OperationDefinitionNode = {
    ...operation,
    operation: 'query' as OperationDefinitionNode['operation'],
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [field.toQueryField(root, responseKey)] },
  };
  const fragments = new Map(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const used = usedBy(queryOperation, fragments);
  // A variable only the subscription's arguments used (dispatchBoard's depotId) would fail the query's validation.
  const finalOperation = {
    ...queryOperation,
    variableDefinitions: (operation.variableDefinitions ?? []).filter((v) => used.variables.has(v.variable.name.value)),
  };
  const query: DocumentNode = { kind: Kind.DOCUMENT, definitions: [finalOperation, ...used.fragments] };
  const raw = (request.variables as Record<string, unknown> | undefined) ?? {};
  const variables = Object.fromEntries(Object.entries(raw).filter(([k]) => used.variables.has(k)));
  return { field, args, responseKey, query, queryText: print(query), variables };
}

/** True when a document's chosen operation is a subscription (for refusing them on plain /graphql). */
export function isSubscriptionOperation(operation: OperationDefinitionNode | null | undefined): boolean {
  return operation?.operation === 'subscription';
}
