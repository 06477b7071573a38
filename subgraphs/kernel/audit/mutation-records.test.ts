import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clientOperationName, mutationRecords, type MutationExecution } from './mutation-records.ts';

const principal = { userId: 'u1', orgId: 'org1', roles: ['DISPATCHER' as const] };
const now = new Date('2031-01-02T08:00:00.000Z');
const TYPES: Record<string, { name: string; hasId: boolean }> = {
  createOrder: { name: 'Order', hasId: true },
  cancelOrder: { name: 'Order', hasId: true },
  startRoute: { name: 'Route', hasId: true },
  login: { name: 'AuthPayload', hasId: false },
};

function execution(query: string, extra: Partial<MutationExecution> = {}): MutationExecution {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  const fragments = Object.fromEntries(document.definitions.flatMap((d) => (d.kind === 'FragmentDefinition' ? [[d.name.value, d]] : [])));
  return { subgraph: 'orders', operation, fragments, returnType: (f) => TYPES[f], principal, requestId: 'req-1', now, ...extra };
}

describe('the records of a mutation', () => {
  it('given a named operation with variables, then one record per root field with its arguments, actor, entity and outcome', () => {
    const records = mutationRecords(
      execution('mutation Place__orders__0($input: CreateOrderInput!) { createOrder(input: $input) { id } }', {
        operationName: 'Place__orders__0',
        variables: { input: { reference: 'PO-1', parcels: [{ weightKg: 2 }] } },
        data: { createOrder: { id: 'o1' } },
      }),
    );
    expect(records).toEqual([
      {
        operationName: 'Place',
        field: 'createOrder',
        arguments: { input: { reference: 'PO-1', parcels: [{ weightKg: 2 }] } },
        actor: { userId: 'u1', orgId: 'org1', roles: ['DISPATCHER'] },
        outcome: 'OK',
        errorCodes: [],
        entity: { type: 'Order', id: 'o1' },
        requestId: 'req-1',
        executedAt: '2031-01-02T08:00:00.000Z',
      },
    ]);
  });

  it('given inline arguments, aliases, a fragment and an error on one field, then each field has its own outcome', () => {
    const records = mutationRecords(
      execution('mutation { a: cancelOrder(id: "o1", reason: "late") { id } ...F } fragment F on Mutation { startRoute(routeId: "r1") { id } }', {
        data: { a: null, startRoute: { id: 'r1' } },
        errors: [{ path: ['a'], extensions: { code: 'CONFLICT' } }],
      }),
    );
    expect(records.map((r) => [r.field, r.outcome, r.errorCodes, r.entity, r.arguments])).toEqual([
      ['cancelOrder', 'ERROR', ['CONFLICT'], { type: 'Order', id: 'o1' }, { id: 'o1', reason: 'late' }],
      ['startRoute', 'OK', [], { type: 'Route', id: 'r1' }, { routeId: 'r1' }],
    ]);
  });

  it('given a sign-in, then the password is redacted, the caller is unknown and there is no entity', () => {
    const [record] = mutationRecords(
      execution('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', {
        principal: null,
        variables: { e: 'a@b.test', p: 'hunter2' },
        errors: [{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } } as never],
      }),
    );
    expect(record).toMatchObject({ operationName: null, actor: null, entity: null, outcome: 'ERROR', errorCodes: ['UNAUTHENTICATED'], arguments: { email: 'a@b.test', password: '[REDACTED]' } });
  });

  it('given a variable left out, then its default value is what was used', () => {
    const [record] = mutationRecords(execution('mutation($r: String = "default") { cancelOrder(id: "o1", reason: $r) { id } }'));
    expect(record!.arguments).toEqual({ id: 'o1', reason: 'default' });
  });

  it('strips only the gateway’s own suffix from the operation name', () => {
    expect(clientOperationName('My__op__orders__3', 'orders')).toBe('My__op');
    expect(clientOperationName('Place', 'orders')).toBe('Place');
    expect(clientOperationName('Place__billing__0', 'orders')).toBe('Place__billing__0');
    expect(clientOperationName(undefined, 'orders')).toBeNull();
  });
});
