import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  addOperations,
  emptyManifest,
  ManifestError,
  manifestProblems,
  operationId,
  operationsOf,
  parseManifest,
  stringifyManifest,
  type OperationType,
} from './partner-manifest.ts';

const schema = buildSchema(`
  type Query { order(id: ID!): Order }
  type Mutation { cancelOrder(id: ID!): Order! }
  type Order { id: ID! status: String! eta: String }
`);

const manifestOf = (operations: unknown[]) => JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations });
const op = (body: string, name = 'Op', type: string = 'query') => ({ id: operationId(body), name, type: type as OperationType, body });

describe('parsing a manifest', () => {
  it('given Apollo’s format, then every operation comes back', () => {
    const body = 'query Track($id: ID!) { order(id: $id) { status } }';
    expect(parseManifest(manifestOf([op(body, 'Track')])).operations).toEqual([
      { id: operationId(body), name: 'Track', type: 'query', body },
    ]);
  });

  it('given something else, then the error says what is wrong', () => {
    const body = '{ order(id: 1) { id } }';
    const cases: Array<[string, RegExp]> = [
      ['{', /not JSON/],
      [JSON.stringify({ format: 'other', version: 1, operations: [] }), /format must be/],
      [JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }), /version must be 1/],
      [manifestOf([{ ...op(body), id: 'A'.repeat(64) }]), /operations\[0\]\.id must be 64 lower-case hex/],
      [manifestOf([{ ...op(body), id: operationId('{ other }') }]), /operations\[0\]\.id is not the SHA-256 of its body/],
      [manifestOf([{ ...op(body), type: 'fragment' }]), /type must be query, mutation or subscription/],
      [manifestOf([op(body), op(body)]), /operations\[1\]\.id .* appears twice/],
      [manifestOf([{ ...op(body), name: '' }]), /name must be a non-empty string/],
    ];
    for (const [text, message] of cases) expect(() => parseManifest(text), text).toThrow(message);
  });

  it('given a manifest written and read back, then it is the same, sorted by name', () => {
    const a = op('query B { order(id: 1) { id } }', 'B');
    const b = op('query A { order(id: 1) { id } }', 'A');
    const text = stringifyManifest({ ...emptyManifest(), operations: [a, b] });
    expect(parseManifest(text).operations.map((o) => o.name)).toEqual(['A', 'B']);
    expect(text.endsWith('}\n')).toBe(true);
  });
});

describe('operations from .graphql files', () => {
  it('given operations sharing a file with fragments, then each body holds only the fragments it uses', () => {
    const [track, cancel] = operationsOf(`
      # comments are not part of the body
      query Track($id: ID!) { order(id: $id) { ...Fields } }
      mutation Cancel($id: ID!) { cancelOrder(id: $id) { id } }
      fragment Fields on Order { id ...More }
      fragment More on Order { eta }
    `);
    expect(track).toMatchObject({ name: 'Track', type: 'query' });
    expect(track!.body).toContain('fragment Fields on Order');
    expect(track!.body).toContain('fragment More on Order');
    expect(track!.body).not.toContain('#');
    expect(track!.id).toBe(operationId(track!.body));
    expect(cancel).toMatchObject({ name: 'Cancel', type: 'mutation' });
    expect(cancel!.body).not.toContain('fragment');
  });

  it('given an anonymous operation, a missing fragment or no operation, then it is refused', () => {
    expect(() => operationsOf('{ order(id: 1) { id } }')).toThrow(/anonymous operation/);
    expect(() => operationsOf('query A { order(id: 1) { ...Missing } }')).toThrow(/fragment Missing/);
    expect(() => operationsOf('fragment F on Order { id }')).toThrow(/has no operation/);
    expect(() => operationsOf('query {')).toThrow(/does not parse/);
  });
});

describe('adding to a manifest', () => {
  const [track] = operationsOf('query Track($id: ID!) { order(id: $id) { status } }');

  it('given a new operation, then it is added; given it again, then nothing changes', () => {
    const once = addOperations(emptyManifest(), [track!], schema);
    expect(once.added).toEqual([track]);
    const twice = addOperations(once.manifest, [track!], schema);
    expect(twice.added).toEqual([]);
    expect(twice.unchanged).toEqual([track]);
    expect(twice.manifest.operations).toHaveLength(1);
  });

  it('given a changed body under a known name, then both versions are listed (deployed clients keep working)', () => {
    const [changed] = operationsOf('query Track($id: ID!) { order(id: $id) { status eta } }');
    const result = addOperations(addOperations(emptyManifest(), [track!], schema).manifest, [changed!], schema);
    expect(result.manifest.operations.map((o) => o.id)).toEqual([track!.id, changed!.id]);
  });

  it('given an operation the schema does not have, then nothing is added and the error names it', () => {
    const [bad] = operationsOf('query Bad($id: ID!) { order(id: $id) { price } }');
    expect(() => addOperations(emptyManifest(), [track!, bad!], schema)).toThrow(ManifestError);
    expect(() => addOperations(emptyManifest(), [track!, bad!], schema)).toThrow(/Bad: Cannot query field "price"/);
  });

  it('given the schema moves on, then the problems name each operation it breaks', () => {
    const manifest = addOperations(emptyManifest(), [track!], schema).manifest;
    expect(manifestProblems(manifest, schema)).toEqual([]);
    const moved = buildSchema('type Query { order(id: ID!): Order } type Order { id: ID! state: String! }');
    expect(manifestProblems(manifest, moved)).toEqual([{ id: track!.id, name: 'Track', errors: [expect.stringContaining('Cannot query field "status"')] }]);
  });
});
