import { describe, expect, it } from 'vitest';
import { authenticate } from './authenticate.ts';
import type { LiveExecutor } from './executor.ts';

/** An executor answering `me` the way the graph would for each token. */
const graph: LiveExecutor = async (_query, _variables, authorization) => {
  if (authorization === 'Bearer customer') return { data: { me: { id: 'u1', roles: ['CUSTOMER'], organization: { id: 'org1' } } } };
  if (authorization === 'Bearer partner') return { data: { me: { id: 'u2', roles: ['PARTNER'], organization: { id: 'org1' } } } };
  if (authorization === 'Bearer broken') return { data: { me: null }, errors: [{ message: 'iam down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] };
  return { data: { me: null }, errors: [{ message: 'bad token', extensions: { code: 'UNAUTHENTICATED' } }] };
};

const refusal = async (headers: Record<string, string>) => {
  try {
    await authenticate(headers, graph);
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  }
};

describe('authenticate', () => {
  it('given a customer token, when checked, then the principal carries its credentials and tenant', async () => {
    expect(await authenticate({ authorization: 'Bearer customer' }, graph)).toEqual({ authorization: 'Bearer customer', userId: 'u1', orgId: 'org1', roles: ['CUSTOMER'] });
  });

  it('given no token, a non-bearer one or one the graph refuses, then UNAUTHENTICATED; an API key or a PARTNER token, then SUBSCRIPTIONS_NOT_FOR_PARTNERS', async () => {
    expect(await refusal({})).toBe('UNAUTHENTICATED');
    expect(await refusal({ authorization: 'Basic abc' })).toBe('UNAUTHENTICATED');
    expect(await refusal({ authorization: 'Bearer expired' })).toBe('UNAUTHENTICATED');
    expect(await refusal({ 'x-api-key': 'anything' })).toBe('SUBSCRIPTIONS_NOT_FOR_PARTNERS');
    expect(await refusal({ authorization: 'ApiKey anything' })).toBe('SUBSCRIPTIONS_NOT_FOR_PARTNERS');
    expect(await refusal({ authorization: 'Bearer partner' })).toBe('SUBSCRIPTIONS_NOT_FOR_PARTNERS');
  });

  it('given iam unavailable, when checked, then it is our failure (an Error), not the caller\'s', async () => {
    expect(await refusal({ authorization: 'Bearer broken' })).toMatch(/could not identify the subscriber: SUBGRAPH_UNAVAILABLE/);
  });
});
