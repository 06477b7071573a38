import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_CARD, RuleSetSchema } from './rate-rules.ts';

const issues = (rules: unknown) => {
  const result = RuleSetSchema.safeParse(rules);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};
const bands = (...b: Array<[number, number | null]>) => [{ kind: 'DISTANCE_BANDS', bands: b.map(([fromKm, toKm]) => ({ fromKm, toKm, amount: '1' })) }];

describe('validating a rate card’s rules', () => {
  it('given the default card, then it is valid', () => {
    expect(issues(DEFAULT_RATE_CARD.rules)).toEqual([]);
  });

  it('given a negative or malformed amount, then the field is named', () => {
    expect(issues([{ kind: 'BASE_FEE', amount: '-1' }])).toEqual([expect.stringMatching(/^0\.amount: must be an amount \(a non-negative decimal/)]);
    expect(issues([{ kind: 'BASE_FEE', amount: -1 }])[0]).toMatch(/^0\.amount:/);
    expect(issues([{ kind: 'PER_KM', rate: '0.1234567' }])).toEqual(['0.rate: must have at most 6 decimal places']);
    expect(issues([{ kind: 'FUEL_SURCHARGE', percent: '101' }])).toEqual(['0.percent: must be at most 100']);
  });

  it('given an unknown rule kind, then it says which kinds exist', () => {
    expect(issues([{ kind: 'TELEPORT_FEE', amount: '1' }])).toEqual([expect.stringMatching(/^0\.kind: unknown rule kind; expected one of BASE_FEE, /)]);
  });

  it('given overlapping, gapped, unordered or closed bands, then the band at fault is named', () => {
    expect(issues(bands([0, 10], [5, null]))).toEqual(['0.bands.1.fromKm: overlaps the previous one: starts at 5, the previous ends at 10']);
    expect(issues(bands([0, 10], [12, null]))).toEqual(['0.bands.1.fromKm: leaves a gap after 10']);
    expect(issues(bands([1, null]))).toEqual(['0.bands.0.fromKm: the first must start at 0']);
    expect(issues(bands([0, 10], [10, 20]))).toEqual(['0.bands.1.toKm: the last must be open-ended (null)']);
    expect(issues(bands([0, 10], [10, 5], [5, null]))).toContain('0.bands.1.toKm: must be greater than its start');
    expect(issues(bands([0, null], [10, null]))).toContain('0.bands.0.toKm: only the last may be open-ended');
    expect(issues([{ kind: 'WEIGHT_TIERS', tiers: [{ fromKg: 0, toKg: 5, amount: '0' }, { fromKg: 4, amount: '1' }] }])).toEqual([
      '0.tiers.1.fromKg: overlaps the previous one: starts at 4, the previous ends at 5',
    ]);
  });

  it('given a rule kind twice or no rules, then it is refused', () => {
    expect(issues([{ kind: 'BASE_FEE', amount: '1' }, { kind: 'BASE_FEE', amount: '2' }])).toEqual(['1.kind: BASE_FEE appears more than once']);
    expect(issues([])).toEqual([': a rate card needs at least one rule']);
  });

  it('given an unknown field in a rule, then it is refused rather than silently ignored', () => {
    expect(issues([{ kind: 'BASE_FEE', amount: '1', amout: '2' }])[0]).toMatch(/^0: Unrecognized key/);
  });
});
