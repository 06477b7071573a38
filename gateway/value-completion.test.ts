import { describe, expect, it } from 'vitest';
import type { Logger } from '../subgraphs/platform/logger.ts';
import { valueCompletionErrors } from './value-completion.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** Runs the plugin's willSendResponse over one single result, as Apollo Server would. */
async function answer(singleResult: Record<string, unknown>) {
  const listener = await valueCompletionErrors(quiet).requestDidStart!({} as never);
  await listener!.willSendResponse!({ response: { body: { kind: 'single', singleResult } }, contextValue: { requestId: 'r-1' }, request: {} } as never);
  return singleResult;
}

describe('value-completion problems become errors', () => {
  it('given data: null with the problem only in extensions.valueCompletion, then it is an error with its path and a stable code', async () => {
    const result = await answer({
      data: null,
      extensions: { valueCompletion: [{ message: 'Cannot return null for non-nullable field PlanningOrder.order.', path: ['planningPool', 'edges', 0, 'node', 'order'] }] },
    });
    expect(result).toEqual({
      data: null,
      errors: [{ message: 'Cannot return null for non-nullable field PlanningOrder.order.', path: ['planningPool', 'edges', 0, 'node', 'order'], extensions: { code: 'SUBGRAPH_INVALID_VALUE' } }],
    });
  });

  it('given data: null and no error at all, then an error says so', async () => {
    const result = await answer({ data: null });
    expect(result.errors).toEqual([expect.objectContaining({ extensions: { code: 'SUBGRAPH_INVALID_VALUE' } })]);
  });

  it('given a complete answer, or one whose errors already explain it, then nothing changes', async () => {
    expect(await answer({ data: { a: 1 } })).toEqual({ data: { a: 1 } });
    const explained = { data: null, errors: [{ message: 'x', extensions: { code: 'FORBIDDEN' } }] };
    expect(await answer({ ...explained })).toEqual(explained);
  });
});
