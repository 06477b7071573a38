import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../platform/logger.ts';
import { auditMutations } from './plugin.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
const schema = buildSchema('type Order { id: ID! } type Query { x: Int } type Mutation { cancelOrder(id: ID!, reason: String): Order! }');

/** The plugin in a subgraph whose database records every statement it is given. */
async function run(requestId: string, reason: string) {
  const statements: unknown[][] = [];
  const plugin = auditMutations({ domain: 'orders', database: { query: async (_sql: string, params?: unknown[]) => (statements.push(params ?? []), []) } as never, outbox: { notify() {} }, logger: quiet });
  const listener = (await plugin.requestDidStart!({} as never))!;
  const document = parse('mutation Cancel($r: String) { cancelOrder(id: "0190a0b0-0000-7000-8000-00000000000a", reason: $r) { id } }');
  const rc = {
    operation: document.definitions[0] as OperationDefinitionNode,
    document,
    request: { operationName: 'Cancel', variables: { r: reason } },
    contextValue: { principal: { userId: 'u-1', orgId: 'org-1', roles: ['DISPATCHER'] }, requestId, traceparent: undefined },
    schema,
    response: { body: { kind: 'single', singleResult: { data: { cancelOrder: { id: '0190a0b0-0000-7000-8000-00000000000a' } } } } },
  };
  const refused = await listener.didResolveOperation!(rc as never).then(() => undefined, (e: Error & { extensions?: { code?: string } }) => e);
  if (!refused) await listener.willSendResponse!(rc as never);
  return { refused, statements };
}

describe('the mutation record', () => {
  it('given a lone surrogate and a NUL in an argument, then the mutation runs and its record is written, clean', async () => {
    const { refused, statements } = await run('req-1', 'oops \ud800 \u0000');
    expect(refused).toBeUndefined();
    expect(statements).toHaveLength(1);
    const envelope = JSON.parse(statements[0]![4] as string);
    expect(envelope.data.arguments.reason).toBe('oops \uFFFD \uFFFD');
    expect(envelope.subject).toBe('req-1');
  });

  it('given a record that could not be stored (no request id to be its subject), then the mutation is refused before it runs', async () => {
    const { refused, statements } = await run('', 'fine');
    expect(refused?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(refused?.message).toMatch(/not run/);
    expect(statements).toHaveLength(0);
  });
});
