import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { countTokens, measureOperation, measureOperationOnce } from './operation-limits.ts';

const schema = buildSchema(`
  type Query { orders(first: Int): OrderConnection! tags: [String!]! depots: [Depot!]! }
  type OrderConnection { edges: [Edge!]! }
  type Edge { node: Order! }
  type Order { id: ID! parcels: [Parcel!]! }
  type Parcel { weight: Float! }
  type Depot { vehicles(limit: Int): [Vehicle!]! }
  type Vehicle { id: ID! }
`);

const measure = (source: string, variables: Record<string, unknown> = {}) => {
  const doc = parse(source);
  const op = doc.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(doc, op, schema, variables, 10);
};

describe('measuring an operation', () => {
  it('multiplies by a connection’s size once, and by the default size for plain lists', () => {
    // orders 1; edges, node, id: 5 each; parcels 5, weight 5 × 10
    expect(measure('{ orders(first: 5) { edges { node { id parcels { weight } } } } }')).toMatchObject({ cost: 1 + 5 + 5 + 5 + 5 + 50, depth: 5 });
  });

  it('takes sizes from variables and from limit arguments', () => {
    expect(measure('query($n: Int) { depots { vehicles(limit: $n) { id } } }', { n: 3 }).cost).toBe(1 + 10 + 10 * 3);
  });

  it('expands fragments and inline fragments', () => {
    const m = measure('{ ...Q } fragment Q on Query { a: tags ... on Query { b: tags @skip(if: false) } }');
    expect(m).toMatchObject({ aliases: 2, directives: 1, cost: 2, depth: 1 });
  });

  it('gives up on a fragment bomb without walking all of it', () => {
    const levels = 30;
    const frags = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { tags }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join('\n');
    expect(measure(`{ ...F0 } ${frags}`).cost).toBe(Infinity);
  });

  it('counts tokens, stopping one past a limit', () => {
    expect(countTokens('{ a b }')).toBe(4);
    expect(countTokens(`{ ${'a '.repeat(1000)}}`, 10)).toBe(11);
  });
});

describe('measuring once per parsed document', () => {
  it('gives the same measures as measuring afresh, per variables', () => {
    const source = 'query($n: Int) { orders(first: $n) { edges { node { id } } } }';
    const doc = parse(source);
    const op = doc.definitions[0] as OperationDefinitionNode;
    const five = measureOperationOnce(doc, op, schema, { n: 5 }, 10);
    expect(five).toEqual(measureOperation(doc, op, schema, { n: 5 }, 10));
    // Other variables are another variant, not the cached one.
    const fifty = measureOperationOnce(doc, op, schema, { n: 50 }, 10);
    expect(fifty.cost).toBeGreaterThan(five.cost);
    expect(measureOperationOnce(doc, op, schema, { n: 5 }, 10)).toBe(five);
  });
});

describe('the check before parsing', () => {
  it('refuses by size first, then by tokens, and stops counting at a lexical error', async () => {
    const { refuseDocument } = await import('./operation-limits.ts');
    const limits = { maxDocumentBytes: 100, maxTokens: 10 };
    expect(refuseDocument(`{ ${'a '.repeat(60)}}`, limits)?.code).toBe('OPERATION_TOO_LARGE');
    expect(refuseDocument(`{ ${'a '.repeat(20)}}`, limits)?.code).toBe('OPERATION_TOO_MANY_TOKENS');
    expect(refuseDocument('{ a b c }', limits)).toBeUndefined();
    // The parser reports the syntax error; the count does not throw it.
    expect(refuseDocument('{ a ! " }', limits)).toBeUndefined();
    expect(refuseDocument(`{ ${'a '.repeat(60)}}`, { maxDocumentBytes: 0, maxTokens: 0 })).toBeUndefined();
  });
});

describe('the edge’s look at a request before Apollo', () => {
  it('refuses a POST body, any operation of a batch, or a GET parameter over the limits, and passes the rest', async () => {
    const { useOperationLimits } = await import('./operation-limits.ts');
    const refused: string[] = [];
    const plugin = useOperationLimits({ maxTokens: 10, maxDocumentBytes: 1000 }, { onRefused: (code) => refused.push(code) });
    const none = new URLSearchParams();
    const bomb = `{ ${'a '.repeat(100)} }`;
    expect(plugin.inspect!({ method: 'POST', body: { query: bomb }, search: none })).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'OPERATION_TOO_MANY_TOKENS', limit: 10 } }] } });
    expect(plugin.inspect!({ method: 'POST', body: [{ query: '{ a }' }, { query: 'x'.repeat(1001) }], search: none })?.status).toBe(400);
    expect(plugin.inspect!({ method: 'GET', body: undefined, search: new URLSearchParams({ query: bomb }) })?.status).toBe(400);
    expect(plugin.inspect!({ method: 'POST', body: { query: '{ a }' }, search: none })).toBeUndefined();
    expect(plugin.inspect!({ method: 'POST', body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'x' } } }, search: none })).toBeUndefined();
    expect(refused).toEqual(['OPERATION_TOO_MANY_TOKENS', 'OPERATION_TOO_LARGE', 'OPERATION_TOO_MANY_TOKENS']);
  });
});
