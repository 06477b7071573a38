import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { CONFIG_DEFAULTS } from '../../subgraphs/platform/config.ts';
import type { GatewayContext } from '../context.ts';
import { definePlugin, edgeError, type GatewayPlugin } from './types.ts';

/** 0 turns a limit off. */
export interface OperationLimitsOptions {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  /** Size assumed for a list field with no first/last/limit argument. */
  defaultListSize: number;
  /** Characters of the document, checked before anything reads it. */
  maxDocumentBytes: number;
}

/** The configuration's defaults (GATEWAY_MAX_DEPTH and the rest), written once in its schema. */
export const OPERATION_LIMITS_DEFAULTS: OperationLimitsOptions = {
  ...CONFIG_DEFAULTS.gateway.limits,
  maxDocumentBytes: CONFIG_DEFAULTS.gateway.maxDocumentBytes,
};

/** The stable codes of refused operations; each comes with HTTP 400 and `limit` and `actual`. */
export const LIMIT_CODES = {
  depth: 'OPERATION_TOO_DEEP',
  aliases: 'OPERATION_TOO_MANY_ALIASES',
  directives: 'OPERATION_TOO_MANY_DIRECTIVES',
  tokens: 'OPERATION_TOO_MANY_TOKENS',
  cost: 'OPERATION_TOO_COMPLEX',
  size: 'OPERATION_TOO_LARGE',
} as const;

export interface OperationMeasures {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  cost: number;
}

/*
 * The schema comes from @apollo/gateway, which loads graphql's CommonJS build while this module
 * gets its ESM build: graphql's instanceof-based helpers (isListType, ...) refuse the other's
 * objects. So types are read structurally.
 */
const unwrapNonNull = (type: GraphQLOutputType): GraphQLOutputType =>
  type.constructor.name === 'GraphQLNonNull' ? (type as { ofType: GraphQLOutputType }).ofType : type;
const isList = (type: GraphQLOutputType) => unwrapNonNull(type).constructor.name === 'GraphQLList';
const namedType = (type: GraphQLOutputType): GraphQLNamedType => {
  let t: unknown = type;
  while (t && typeof t === 'object' && 'ofType' in t && (t as { ofType: unknown }).ofType) t = (t as { ofType: unknown }).ofType;
  return t as GraphQLNamedType;
};
const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined =>
  parent && 'getFields' in parent && parent.constructor.name !== 'GraphQLInputObjectType'
    ? (parent.getFields() as Record<string, GraphQLField<unknown, unknown>>)[name]
    : undefined;

const MAX_VISITS = 100_000;
const TOO_BIG = Symbol('too big');

const SIZE_ARGUMENTS = new Set(['first', 'last', 'limit']);

/**
 * Apollo Server keeps one parsed DocumentNode per distinct query (and drops them all when the schema
 * changes), so results keyed by that object are computed once per query, not once per request.
 * Measures also depend on the variables (`first: $n`); a few variants are kept per document.
 */
const measured = new WeakMap<DocumentNode, Map<string, Omit<OperationMeasures, 'tokens'>>>();
const VARIANTS_PER_DOCUMENT = 32;

/** measureOperation, once per parsed document, operation and variables. */
export function measureOperationOnce(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
  defaultListSize: number,
): Omit<OperationMeasures, 'tokens'> {
  let variants = measured.get(document);
  if (!variants) measured.set(document, (variants = new Map()));
  const key = `${operation.name?.value ?? ''}\u0000${defaultListSize}\u0000${JSON.stringify(variables)}`;
  let m = variants.get(key);
  if (!m) {
    m = measureOperation(document, operation, schema, variables, defaultListSize);
    if (variants.size >= VARIANTS_PER_DOCUMENT) variants.clear();
    variants.set(key, m);
  }
  return m;
}

/**
 * Lexical tokens of a document, stopping once past `stopAfter` (a bomb is not read to its end).
 * A lexical error ends the count: the parser then reports it, having read no further.
 */
export function countTokens(source: string, stopAfter = Infinity): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) if (++count > stopAfter) break;
  } catch {
    // a syntax error: counted so far
  }
  return count;
}

export interface DocumentRefusal {
  code: (typeof LIMIT_CODES)['size' | 'tokens'];
  limit: number;
  message: string;
}

/**
 * The check a document gets before it is parsed: its size, then its tokens by the lexer alone
 * (a few microseconds per hundred tokens; parsing and validating a bomb cost far more).
 */
export function refuseDocument(source: string, limits: Pick<OperationLimitsOptions, 'maxDocumentBytes' | 'maxTokens'>): DocumentRefusal | undefined {
  if (limits.maxDocumentBytes && source.length > limits.maxDocumentBytes) {
    return { code: LIMIT_CODES.size, limit: limits.maxDocumentBytes, message: `The document is too large (limit ${limits.maxDocumentBytes} characters).` };
  }
  if (limits.maxTokens && countTokens(source, limits.maxTokens) > limits.maxTokens) {
    return { code: LIMIT_CODES.tokens, limit: limits.maxTokens, message: `The operation has too many tokens (limit ${limits.maxTokens}, found far more).` };
  }
  return undefined;
}

/** The query texts a request carries: a JSON body's (one, or each of a batch), else the GET parameter. */
function queriesOf(request: { method: string; body: unknown; search: URLSearchParams }): string[] {
  if (request.method === 'GET') {
    const query = request.search.get('query');
    return query === null ? [] : [query];
  }
  const items = Array.isArray(request.body) ? request.body : [request.body];
  return items.flatMap((item) => {
    const query = item && typeof item === 'object' ? (item as { query?: unknown }).query : undefined;
    return typeof query === 'string' ? [query] : [];
  });
}

/**
 * Measures the operation that will run, fragments expanded. The cost counts every field once,
 * multiplied by the sizes of the lists it sits in: a `first`/`last`/`limit` argument gives the size
 * (and the list inside such a connection, `edges` or `nodes`, is not counted again); any other list
 * field is assumed to hold `defaultListSize` items.
 */
export function measureOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  schema: GraphQLSchema,
  variables: Record<string, unknown>,
  defaultListSize: number,
): Omit<OperationMeasures, 'tokens'> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let directives = 0;
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  // Directives anywhere in the document, once each: a bomb need not be executed to cost parsing.
  const countDirectives = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(countDirectives);
    const n = node as { kind?: string };
    if (n.kind === Kind.DIRECTIVE) directives++;
    for (const [key, value] of Object.entries(node)) if (key !== 'loc' && typeof value === 'object') countDirectives(value);
  };
  countDirectives(document);

  const sizeOf = (value: ValueNode): number | undefined => {
    if (value.kind === Kind.INT) return Number(value.value);
    if (value.kind === Kind.VARIABLE) {
      const v = variables[value.name.value];
      return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    }
    return undefined;
  };

  let aliases = 0;
  let maxDepth = 0;
  // Fragments spread in fragments multiply: past this many visited selections the operation is
  // too complex whatever the count would say, and counting on would be the attack.
  let visits = 0;
  const walk = (
    set: SelectionSetNode,
    parent: GraphQLNamedType | undefined,
    depth: number,
    multiplier: number,
    sized: boolean,
    seen: ReadonlySet<string>,
  ): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (++visits > MAX_VISITS) throw TOO_BIG;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const fieldDepth = depth + 1;
        if (fieldDepth > maxDepth) maxDepth = fieldDepth;
        const field = fieldOf(parent, selection.name.value);
        let size: number | undefined;
        for (const arg of selection.arguments ?? []) {
          if (SIZE_ARGUMENTS.has(arg.name.value)) size = sizeOf(arg.value) ?? size;
        }
        const list = field ? isList(field.type) : false;
        const factor = size !== undefined ? Math.max(size, 0) : list ? (sized ? 1 : defaultListSize) : 1;
        cost += multiplier;
        if (selection.selectionSet) {
          cost += walk(selection.selectionSet, field ? namedType(field.type) : undefined, fieldDepth, multiplier * factor, size !== undefined, seen);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? undefined : parent;
        cost += walk(selection.selectionSet, type, depth, multiplier, sized, seen);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // Validation has already refused cycles; `seen` only guards against a document that skipped it.
        if (!fragment || seen.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value) ?? undefined;
        cost += walk(fragment.selectionSet, type, depth, multiplier, sized, new Set([...seen, name]));
      }
    }
    return cost;
  };
  const root = schema.getRootType(operation.operation) ?? undefined;
  try {
    const cost = walk(operation.selectionSet, root, 0, 1, false, new Set());
    return { depth: maxDepth, aliases, directives, cost };
  } catch (error) {
    if (error !== TOO_BIG) throw error;
    return { depth: maxDepth, aliases, directives, cost: Infinity };
  }
}

/**
 * Refuses a document that is too large or has too many tokens as the HTTP edge reads it, before
 * Apollo parses (or even hashes) it, and an operation whose shape exceeds a limit after validation
 * and before any subgraph is called; each with HTTP 400 and one of LIMIT_CODES. A persisted query
 * sent by hash alone was measured when it was registered; a partner's safelisted body is ours.
 */
export function useOperationLimits(options: Partial<OperationLimitsOptions> = {}, hooks: { onRefused?(code: string): void } = {}): GatewayPlugin {
  const o = { ...OPERATION_LIMITS_DEFAULTS, ...options };
  const refuse = (what: keyof typeof LIMIT_CODES, limit: number, actual: number, message: string) => {
    const found = Number.isFinite(actual) ? `found ${actual}` : 'found far more';
    throw new GraphQLError(`${message} (limit ${limit}, ${found}).`, {
      extensions: edgeError(LIMIT_CODES[what], 400, { limit, ...(Number.isFinite(actual) ? { actual } : {}) }),
    });
  };
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, schema, request }) {
          if (!operation) return;
          const m = measureOperationOnce(document, operation, schema, request.variables ?? {}, o.defaultListSize);
          if (o.maxDepth && m.depth > o.maxDepth) refuse('depth', o.maxDepth, m.depth, 'The operation is nested too deeply');
          if (o.maxAliases && m.aliases > o.maxAliases) refuse('aliases', o.maxAliases, m.aliases, 'The operation has too many aliases');
          if (o.maxDirectives && m.directives > o.maxDirectives) {
            refuse('directives', o.maxDirectives, m.directives, 'The operation has too many directives');
          }
          if (o.maxCost && m.cost > o.maxCost) refuse('cost', o.maxCost, m.cost, 'The operation is estimated to cost too much');
        },
      };
    },
  };
  return {
    name: 'operation-limits',
    apollo,
    inspect(request) {
      for (const query of queriesOf(request)) {
        const refusal = refuseDocument(query, o);
        if (!refusal) continue;
        hooks.onRefused?.(refusal.code);
        return { status: 400, body: { errors: [{ message: refusal.message, extensions: { code: refusal.code, limit: refusal.limit } }] } };
      }
      return undefined;
    },
  };
}

/** Always on; each limit is off at 0 (GATEWAY_MAX_DEPTH and the rest). */
export const operationLimitsPlugin = definePlugin({
  name: 'operation-limits',
  description: 'HTTP (inspect: size and tokens before parsing), then GraphQL: depth, aliases, directives and cost. Always on; each limit off at 0.',
  codes: Object.values(LIMIT_CODES),
  stream: false,
  create: ({ config, metrics }) =>
    useOperationLimits({ ...config.gateway.limits, maxDocumentBytes: config.gateway.maxDocumentBytes }, { onRefused: (code) => metrics?.error(code) }),
});
