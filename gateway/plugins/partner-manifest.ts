/**
 * Apollo's persisted query manifest format, the safelist of one partner client:
 * `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{id,name,type,body}]}`,
 * where `id` is the SHA-256 (hex) of `body` exactly as stored. Pure: parsing, checking and
 * building manifests; loading and reloading them is partner-manifest-store.ts's.
 */
import { createHash } from 'node:crypto';
import { Supergraph, printSchema as printFederationSchema } from '@apollo/federation-internals';
import {
  buildSchema,
  Kind,
  parse,
  print,
  validate,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

export const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export type OperationType = 'query' | 'mutation' | 'subscription';

export interface ManifestOperation {
  id: string;
  name: string;
  type: OperationType;
  body: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: 1;
  operations: ManifestOperation[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** The id of an operation body: SHA-256 hex of the exact text, as Apollo's tooling computes it. */
export const operationId = (body: string): string => createHash('sha256').update(body, 'utf8').digest('hex');

const TYPES = new Set<string>(['query', 'mutation', 'subscription']);

/**
 * Parses and checks a manifest: its format and version, every operation's fields, that each id
 * is the hash of its body and that no id repeats. Throws ManifestError naming what is wrong, so a
 * bad manifest is never half-applied.
 */
export function parseManifest(text: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`not JSON: ${(error as Error).message}`);
  }
  if (!raw || typeof raw !== 'object') throw new ManifestError('not a JSON object');
  const m = raw as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) throw new ManifestError(`format must be "${MANIFEST_FORMAT}"`);
  if (m.version !== 1) throw new ManifestError('version must be 1');
  if (!Array.isArray(m.operations)) throw new ManifestError('operations must be an array');
  const seen = new Set<string>();
  const operations = m.operations.map((op: unknown, i): ManifestOperation => {
    const at = `operations[${i}]`;
    if (!op || typeof op !== 'object') throw new ManifestError(`${at} is not an object`);
    const { id, name, type, body } = op as Record<string, unknown>;
    if (typeof body !== 'string' || !body.trim()) throw new ManifestError(`${at}.body must be a non-empty string`);
    if (typeof id !== 'string' || !/^[0-9a-f]{64}$/.test(id)) throw new ManifestError(`${at}.id must be 64 lower-case hex characters`);
    if (id !== operationId(body)) throw new ManifestError(`${at}.id is not the SHA-256 of its body`);
    if (typeof name !== 'string' || !name) throw new ManifestError(`${at}.name must be a non-empty string`);
    if (typeof type !== 'string' || !TYPES.has(type)) throw new ManifestError(`${at}.type must be query, mutation or subscription`);
    if (seen.has(id)) throw new ManifestError(`${at}.id ${id} appears twice`);
    seen.add(id);
    return { id, name, type: type as OperationType, body };
  });
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

export const emptyManifest = (): Manifest => ({ format: MANIFEST_FORMAT, version: 1, operations: [] });

/** Stable output (sorted by name, then id) so that adding an operation is a small diff. */
export function stringifyManifest(manifest: Manifest): string {
  const operations = [...manifest.operations].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return `${JSON.stringify({ format: MANIFEST_FORMAT, version: 1, operations }, null, 2)}\n`;
}

/** The schema clients see (no join__/link machinery, nothing @inaccessible), built from the supergraph SDL. */
export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  // Printed and rebuilt so the schema belongs to this module's copy of graphql, which validate() needs.
  return buildSchema(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));
}

/** Each named operation of a document, printed with the fragments it uses (and nothing else). */
export function operationsOf(source: string): ManifestOperation[] {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (error) {
    throw new ManifestError(`does not parse: ${(error as Error).message}`);
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operations.length) throw new ManifestError('has no operation');
  return operations.map((op) => {
    if (!op.name) throw new ManifestError('has an anonymous operation: a persisted operation needs a name');
    const used = fragmentsUsedBy(op, fragments);
    const definitions: DefinitionNode[] = [op, ...[...used].sort().map((n) => fragments.get(n)!)];
    const body = print({ kind: Kind.DOCUMENT, definitions });
    return { id: operationId(body), name: op.name.value, type: op.operation as OperationType, body };
  });
}

function fragmentsUsedBy(node: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, found = new Set<string>()): Set<string> {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      if (found.has(name)) return;
      const fragment = fragments.get(name);
      if (!fragment) throw new ManifestError(`uses fragment ${name}, which the file does not define`);
      found.add(name);
      fragmentsUsedBy(fragment, fragments, found);
    },
  });
  return found;
}

/** Why each operation no longer runs against the schema; empty when all of them do. */
export function manifestProblems(manifest: Manifest, schema: GraphQLSchema): Array<{ id: string; name: string; errors: string[] }> {
  const problems: Array<{ id: string; name: string; errors: string[] }> = [];
  for (const op of manifest.operations) {
    let errors: string[];
    try {
      errors = validate(schema, parse(op.body)).map((e) => e.message);
    } catch (error) {
      errors = [(error as Error).message];
    }
    if (errors.length) problems.push({ id: op.id, name: op.name, errors });
  }
  return problems;
}

export interface AddResult {
  manifest: Manifest;
  added: ManifestOperation[];
  /** Already there with the same body: adding is idempotent. */
  unchanged: ManifestOperation[];
}

/**
 * Adds operations to a manifest. An operation already present (same id) changes nothing. A new
 * body under an existing name is added beside the old one: clients already deployed keep sending
 * the old id, so removing it is a deliberate edit, never a side effect. Refuses (throws) when any
 * operation does not validate against the schema, and then adds none.
 */
export function addOperations(manifest: Manifest, operations: ManifestOperation[], schema: GraphQLSchema): AddResult {
  const invalid = manifestProblems({ ...emptyManifest(), operations }, schema);
  if (invalid.length) {
    const lines = invalid.map((p) => `  ${p.name}: ${p.errors.join('; ')}`);
    throw new ManifestError(`operations do not validate against the schema:\n${lines.join('\n')}`);
  }
  const known = new Set(manifest.operations.map((o) => o.id));
  const added: ManifestOperation[] = [];
  const unchanged: ManifestOperation[] = [];
  for (const op of operations) {
    if (known.has(op.id)) {
      unchanged.push(op);
      continue;
    }
    known.add(op.id);
    added.push(op);
  }
  return { manifest: { ...manifest, operations: [...manifest.operations, ...added] }, added, unchanged };
}
