import { describe, expect, it } from 'vitest';
import { greatCircleKm } from './geo.ts';
import { parseDecimal } from './money.ts';
import { plannedShares } from './planned-distance.ts';

describe('distances billing prices on', () => {
  it('given Berlin and Potsdam, then the great-circle distance is about 27 km, in whole metres', () => {
    const km = greatCircleKm({ lat: 52.5306, lon: 13.3847 }, { lat: 52.3989, lon: 13.0657 });
    expect(km).toMatch(/^\d+\.\d{3}$/);
    expect(Number(km)).toBeGreaterThan(25);
    expect(Number(km)).toBeLessThan(28);
    expect(greatCircleKm({ lat: 1, lon: 1 }, { lat: 1, lon: 1 })).toBe('0.000');
  });

  it('given a planned route, then each order gets an equal share and the shares add up to the route exactly', () => {
    const shares = plannedShares(100.001, ['a', 'b', 'c']);
    expect([...shares.values()]).toEqual(['33.334', '33.334', '33.333']);
    expect([...shares.values()].reduce((s, v) => s + parseDecimal(v, 3), 0n)).toBe(100001n);
    expect(plannedShares(12.5, ['a'])).toEqual(new Map([['a', '12.500']]));
    expect(plannedShares(12.5, []).size).toBe(0);
  });
});
