import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AddressInputSchema, text } from './input-schemas.ts';
import { nulCharacters, parseInput } from './validation.ts';

const Schema = z.object({ reference: text(40).optional(), pickup: AddressInputSchema, parcels: z.array(z.object({ weightKg: z.number().positive('must be positive') })) });
const address = { line1: 'a', city: 'b', postalCode: '1', country: 'DE', lat: 52, lon: 13 };
const extensionsOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions;
  }
  throw new Error('expected a BAD_USER_INPUT');
};

describe('input validation at the edge', () => {
  it('given a bad latitude, country and weight in one input, when parsed, then every field is reported and `field` is the first', () => {
    const ext = extensionsOf(() => parseInput(Schema, { pickup: { ...address, lat: 123, country: 'Germany' }, parcels: [{ weightKg: -1 }] }));
    expect(ext.code).toBe('BAD_USER_INPUT');
    expect(ext.field).toBe('input.pickup.country');
    expect((ext.fields as Array<{ field: string }>).map((f) => f.field).sort()).toEqual(['input.parcels.0.weightKg', 'input.pickup.country', 'input.pickup.lat']);
    expect(ext.fields).toContainEqual({ field: 'input.pickup.lat', message: 'must be between -90 and 90' });
  });

  it('given a NUL in a text, when parsed, then it is BAD_USER_INPUT on that field, not a database error later', () => {
    const ext = extensionsOf(() => parseInput(Schema, { reference: 'REF\u0000', pickup: address, parcels: [] }));
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reference', fields: [{ field: 'input.reference', message: 'must not contain NUL characters' }] });
  });

  it('given valid input, then it comes back parsed', () => {
    expect(parseInput(Schema, { pickup: { ...address, country: 'de' }, parcels: [] }).pickup.country).toBe('DE');
  });

  it('finds NUL characters at any depth, in keys too', () => {
    expect(nulCharacters({ a: ['ok', 'x\u0000'], ['k\u0000']: 1, b: { c: '\u0000' } })).toEqual([['a', 1], ['k\u0000'], ['b', 'c']]);
  });
});
