import { GraphQLError } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { internalErrors } from './internal-errors.ts';
import type { Logger } from './logger.ts';

/** Runs the plugin's didEncounterErrors for one error and returns what it logged as internal. */
async function logged(original: Error): Promise<unknown[]> {
  const error = vi.fn();
  const logger = { error, warn: vi.fn(), info: vi.fn(), debug: vi.fn() } as unknown as Logger;
  const hooks = await internalErrors<{ requestId: string }>({ production: false, logger }).requestDidStart!({} as never);
  const graphQLError = new GraphQLError(original.message, { originalError: original, path: ['orders'] });
  await hooks!.didEncounterErrors!({ errors: [graphQLError], contextValue: { requestId: 'r-1' }, request: {} } as never);
  return error.mock.calls;
}

describe('internalErrors', () => {
  it('given an unexpected error, then it is logged under the request id', async () => {
    const calls = await logged(new Error('connection reset'));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject(['internal error', { requestId: 'r-1', error: 'connection reset' }]);
  });

  it("given Pothos's argument error (a negative first, a foreign cursor), then nothing is logged: the client gets BAD_USER_INPUT", async () => {
    const argumentError = Object.assign(new Error('Invalid cursor: garbage'), { name: 'PothosValidationError' });
    expect(await logged(argumentError)).toHaveLength(0);
  });
});
