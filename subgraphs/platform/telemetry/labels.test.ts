import { describe, expect, it } from 'vitest';
import { boundedLabel, clientOperationName } from './labels.ts';

describe('metric labels', () => {
  it('keep at most `max` distinct values, then say "other"', () => {
    const label = boundedLabel(2);
    expect([label('a', 'x'), label('b', 'x'), label('c', 'x'), label('a', 'x'), label(undefined, 'x')]).toEqual(['a', 'b', 'other', 'a', 'other']);
  });

  it('recover the client’s operation name from the gateway’s fetch name', () => {
    expect(clientOperationName('TrackOrder__orders__0')).toBe('TrackOrder');
    expect(clientOperationName('Track__Order__billing__12')).toBe('Track__Order');
    expect(clientOperationName('Plain')).toBe('Plain');
    expect(clientOperationName(undefined)).toBeUndefined();
  });
});
