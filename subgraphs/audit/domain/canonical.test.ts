import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical.ts';

describe('canonical JSON', () => {
  it('given the same value with keys in another order, then the text is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('given values JSON has no word for, then they are written one fixed way', () => {
    expect(canonicalJson({ a: undefined, b: 10n, c: new Date('2031-01-02T03:04:05.006Z'), d: [undefined] })).toBe('{"b":"10","c":"2031-01-02T03:04:05.006Z","d":[null]}');
  });

  it('given strings that look alike, then they stay apart (escaping is JSON’s)', () => {
    expect(canonicalJson({ a: 'x","b":"y' })).not.toBe(canonicalJson({ a: 'x', b: 'y' }));
  });
});
