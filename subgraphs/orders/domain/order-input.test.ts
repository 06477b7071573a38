import { describe, expect, it } from 'vitest';
import { gramsToKgDecimal, parseCreateOrderInput, totalWeightGrams } from './order-input.ts';

const now = new Date('2026-11-21T10:00:00Z');
const address = { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'de', lat: 52.53, lon: 13.38 };
const valid = { pickup: address, dropoff: { ...address, line1: 'Side St 2' }, parcels: [{ weightKg: 2.5 }] };
const parse = (input: unknown) => parseCreateOrderInput(input, now);
const fieldOf = (input: unknown): string | undefined => {
  try {
    parse(input);
    return undefined;
  } catch (error) {
    return (error as { extensions: { field: string } }).extensions.field;
  }
};

describe('create order input', () => {
  it('given a valid order, when parsed, then the country is normalised to upper case', () => {
    expect(parse(valid).pickup.country).toBe('DE');
  });

  it('given a negative weight, then the error names the parcel weight', () => {
    expect(fieldOf({ ...valid, parcels: [{ weightKg: 1 }, { weightKg: -1 }] })).toBe('input.parcels.1.weightKg');
  });

  it('given no parcels, then the error names the parcel list', () => {
    expect(fieldOf({ ...valid, parcels: [] })).toBe('input.parcels');
  });

  it('given a window that ends before it starts, then the error names its end', () => {
    const deliveryWindow = { start: new Date('2026-11-23T12:00:00Z'), end: new Date('2026-11-23T10:00:00Z') };
    expect(fieldOf({ ...valid, deliveryWindow })).toBe('input.deliveryWindow.end');
  });

  it('given a window wholly in the past, then it is refused', () => {
    const deliveryWindow = { start: new Date('2026-11-20T08:00:00Z'), end: new Date('2026-11-20T10:00:00Z') };
    expect(fieldOf({ ...valid, deliveryWindow })).toBe('input.deliveryWindow.end');
  });

  it('given a latitude off the globe or a bad country, then the field is named', () => {
    expect(fieldOf({ ...valid, dropoff: { ...address, lat: 91 } })).toBe('input.dropoff.lat');
    expect(fieldOf({ ...valid, pickup: { ...address, country: 'Germany' } })).toBe('input.pickup.country');
    expect(fieldOf({ ...valid, pickup: { ...address, city: '   ' } })).toBe('input.pickup.city');
  });

  it('sums weights exactly in grams', () => {
    expect(totalWeightGrams([{ weightKg: 0.1 }, { weightKg: 0.2 }])).toBe(300);
    expect(gramsToKgDecimal(300)).toBe('0.300');
  });
});
