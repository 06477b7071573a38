import { parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { backoffMs, loginAttempts, MemoryLoginBackoff } from './login-limit.ts';

const attempts = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  return loginAttempts(document, document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode, variables);
};

describe('the login fields of a request', () => {
  it('given aliases, fragments and variables, then every login at the root is found with its account', () => {
    const found = attempts(
      `mutation($e: String!) {
        login(email: $e, password: "a") { accessToken }
        second: login(email: "B@x.test", password: "b") { accessToken }
        ...More
        ... on Mutation { third: login(email: 42, password: "c") { accessToken } }
      }
      fragment More on Mutation { fourth: login(email: "d@x.test", password: "d") { accessToken } }`,
      { e: 'a@x.test' },
    );
    expect(found).toEqual([
      { responseKey: 'login', email: 'a@x.test' },
      { responseKey: 'second', email: 'B@x.test' },
      { responseKey: 'fourth', email: 'd@x.test' },
      { responseKey: 'third', email: undefined },
    ]);
  });

  it('given a query, then none', () => {
    expect(attempts('query { login }')).toEqual([]);
  });
});

describe('backoff after failures', () => {
  const options = { freeFailures: 2, maxBackoffSeconds: 10 };

  it('is free for the first failures, then doubles up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((n) => backoffMs(n, options))).toEqual([0, 0, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('given failures in memory, then a lockout that lapses, lengthens with more failures and ends with a success', async () => {
    let now = 0;
    const store = new MemoryLoginBackoff(options, () => now);
    await store.failed('k');
    await store.failed('k');
    expect(await store.blockedMs('k')).toBe(0);
    expect(await store.failed('k')).toBe(1000);
    expect(await store.blockedMs('k')).toBe(1000);
    now += 1000;
    expect(await store.blockedMs('k')).toBe(0);
    expect(await store.failed('k')).toBe(2000);
    await store.succeeded('k');
    expect(await store.blockedMs('k')).toBe(0);
    expect(await store.failed('k')).toBe(0);
  });

  it('forgets failures an hour after the last one', async () => {
    let now = 0;
    const store = new MemoryLoginBackoff(options, () => now);
    for (let i = 0; i < 3; i++) await store.failed('k');
    now += 3_600_001;
    expect(await store.failed('k')).toBe(0);
  });
});
