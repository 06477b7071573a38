import { describe, expect, it } from 'vitest';
import { isUuid, uuidv7 } from './ids.ts';

describe('uuidv7', () => {
  it('given ids drawn across several refills of the entropy pool, then each is a distinct version 7 UUID carrying its millisecond', () => {
    const now = Date.UTC(2026, 11, 7, 12, 0, 0);
    const ids = Array.from({ length: 1_000 }, (_, i) => uuidv7(now + i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      expect(isUuid(id)).toBe(true);
      expect(id[14]).toBe('7');
      expect('89ab').toContain(id[19]);
      expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now + i);
    }
    expect([...ids].sort()).toEqual(ids);
  });
});
