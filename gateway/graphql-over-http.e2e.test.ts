import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from './server.ts';
import { startEdgeGateway } from './testing/edge.ts';

/**
 * The GraphQL-over-HTTP spec's server audits of the graphql-http package. The audits use
 * `{ __typename }`, which the gateway answers itself, so no subgraph is needed.
 */
describe('GraphQL over HTTP', () => {
  let gw: RunningGateway;
  beforeAll(async () => {
    gw = await startEdgeGateway({});
  });
  afterAll(() => gw?.close());

  const musts = serverAudits({ url: () => gw.graphqlUrl, fetchFn: fetch }).filter((a) => a.name.startsWith('MUST'));

  it('has MUST audits to run', () => {
    expect(musts.length).toBeGreaterThanOrEqual(10);
  });

  for (const audit of musts) {
    it(audit.name, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});
