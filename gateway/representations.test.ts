import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { deduplicate, expand } from './representations.ts';

const user = (id: string) => ({ __typename: 'User', id });

describe('representations sent to a subgraph', () => {
  it('sends each distinct representation once', () => {
    const d = deduplicate([user('a'), user('b'), user('a'), user('a')]);
    expect(d).toEqual({ unique: [user('a'), user('b')], positions: [0, 1, 0, 0] });
  });

  it('leaves a request of distinct representations alone', () => {
    expect(deduplicate([user('a'), user('b')])).toBeNull();
    expect(deduplicate([])).toBeNull();
  });

  it('fans the answers back out in the original order, as separate objects', () => {
    const d = deduplicate([user('a'), user('b'), user('a')])!;
    const answer = { data: { _entities: [{ email: 'a@x' }, null] } };
    const out = expand(answer, d);
    const entities = (out.data as { _entities: unknown[] })._entities;
    expect(entities).toEqual([{ email: 'a@x' }, null, { email: 'a@x' }]);
    expect(entities[2]).not.toBe(entities[0]);
  });

  it("repeats an entity's error at every position it stands for, and keeps other errors", () => {
    const d = deduplicate([user('a'), user('b'), user('a')])!;
    const errors = [
      { ...new GraphQLError('no email', { path: ['_entities', 0, 'email'] }).toJSON(), path: ['_entities', 0, 'email'] },
      { message: 'whole request', extensions: { code: 'X' } },
    ];
    const out = expand({ data: { _entities: [null, { email: 'b@x' }] }, errors: errors as never }, d);
    expect(out.errors!.map((e) => [e.message, e.path])).toEqual([
      ['no email', ['_entities', 0, 'email']],
      ['no email', ['_entities', 2, 'email']],
      ['whole request', undefined],
    ]);
  });

  it('passes a response without entities (a failed fetch) through', () => {
    const d = deduplicate([user('a'), user('a')])!;
    expect(expand({ data: null, errors: [{ message: 'down' }] as never }, d)).toEqual({ data: null, errors: [{ message: 'down' }] });
  });
});
