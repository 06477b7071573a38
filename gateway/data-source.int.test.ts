import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForwardingDataSource } from './data-source.ts';

/** A subgraph that answers `_entities` with each representation's id, and remembers what it was sent. */
describe('ForwardingDataSource and entity representations', () => {
  let server: Server;
  let url: string;
  const received: Array<Array<{ id: string }>> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const reps = (JSON.parse(body) as { variables: { representations: Array<{ id: string }> } }).variables.representations;
        received.push(reps);
        const errors = reps.flatMap((r, i) => (r.id === 'bad' ? [{ message: 'no such user', path: ['_entities', i] }] : []));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { _entities: reps.map((r) => (r.id === 'bad' ? null : { email: `${r.id}@x` })) }, ...(errors.length ? { errors } : {}) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (ids: string[]) =>
    new ForwardingDataSource({ name: 'iam', url }).process({
      // Apollo's enum is not exported; 'health check' is its value for a request of the gateway's own.
      kind: 'health check' as never,
      context: {},
      request: { query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { email } } }', variables: { representations: ids.map((id) => ({ __typename: 'User', id })) } },
    });

  it('given a list repeating entities, then the subgraph is sent each one once and the gateway gets every position back', async () => {
    const response = await send(['a', 'b', 'a', 'a', 'bad', 'b', 'bad']);
    expect(received.at(-1)!.map((r) => r.id)).toEqual(['a', 'b', 'bad']);
    expect((response.data as { _entities: unknown[] })._entities).toEqual([{ email: 'a@x' }, { email: 'b@x' }, { email: 'a@x' }, { email: 'a@x' }, null, { email: 'b@x' }, null]);
    expect(response.errors?.map((e) => e.path)).toEqual([
      ['_entities', 4],
      ['_entities', 6],
    ]);
  });

  it('given distinct entities, then they are sent as they are', async () => {
    const response = await send(['c', 'd']);
    expect(received.at(-1)!.map((r) => r.id)).toEqual(['c', 'd']);
    expect((response.data as { _entities: unknown[] })._entities).toEqual([{ email: 'c@x' }, { email: 'd@x' }]);
  });
});
