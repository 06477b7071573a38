import { describe, expect, it } from 'vitest';
import { requestIdOf } from '../subgraphs/kernel/context.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the request id the gateway forwards', () => {
  it('given a plain id, then it is kept', () => {
    expect(requestIdOf('req-123_abc.def:9')).toBe('req-123_abc.def:9');
  });

  it('given none, an empty one, an oversized one or one with other characters, then a fresh UUID', () => {
    for (const bad of [undefined, '', 'x'.repeat(129), 'a b', 'id\u0000', 'é', ['a', 'b']]) expect(requestIdOf(bad)).toMatch(UUID);
    expect(requestIdOf('x'.repeat(128))).toBe('x'.repeat(128));
  });
});
