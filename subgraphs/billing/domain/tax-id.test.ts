import { describe, expect, it } from 'vitest';
import { checkTaxId } from './tax-id.ts';

describe('customer tax ids', () => {
  it('given Bangladeshi numbers, then the length tells TIN (10, 12) from BIN (9, 13)', () => {
    expect(checkTaxId('BD', '1234567890')).toEqual({ ok: true, country: 'BD', scheme: 'TIN', value: '1234567890' });
    expect(checkTaxId('bd', '1234 5678 9012')).toEqual({ ok: true, country: 'BD', scheme: 'TIN', value: '123456789012' });
    expect(checkTaxId('BD', '000123456')).toEqual({ ok: true, country: 'BD', scheme: 'BIN', value: '000123456' });
    expect(checkTaxId('BD', '000123456-0101')).toEqual({ ok: true, country: 'BD', scheme: 'BIN', value: '0001234560101' });
  });

  it('given malformed Bangladeshi numbers, then it says what a TIN or BIN looks like', () => {
    expect(checkTaxId('BD', '12345678')).toEqual({ ok: false, field: 'value', message: 'has 8 digits; a Bangladeshi TIN has 10 or 12 (e-TIN), a BIN 9 (e-BIN) or 13' });
    expect(checkTaxId('BD', '12345678901')).toMatchObject({ ok: false });
    expect(checkTaxId('BD', '12345678AB')).toEqual({ ok: false, field: 'value', message: 'a Bangladeshi TIN or BIN has digits only' });
  });

  it('given EU VAT numbers, then the prefix is optional on input and always stored', () => {
    expect(checkTaxId('DE', 'DE 123 456 789')).toEqual({ ok: true, country: 'DE', scheme: 'VAT', value: 'DE123456789' });
    expect(checkTaxId('DE', '123456789')).toMatchObject({ ok: true, value: 'DE123456789' });
    expect(checkTaxId('AT', 'ATU12345678')).toMatchObject({ ok: true, value: 'ATU12345678' });
    expect(checkTaxId('NL', 'NL123456789B01')).toMatchObject({ ok: true });
    expect(checkTaxId('FR', 'FRXX123456789')).toMatchObject({ ok: true });
    expect(checkTaxId('GR', '123456789')).toMatchObject({ ok: true, value: 'EL123456789' });
    expect(checkTaxId('ES', 'ESX1234567L')).toMatchObject({ ok: true });
    expect(checkTaxId('ES', '12345678Z')).toMatchObject({ ok: true, value: 'ES12345678Z' });
    expect(checkTaxId('IE', 'IE1234567WA')).toMatchObject({ ok: true });
    expect(checkTaxId('SE', 'SE123456789001')).toMatchObject({ ok: true });
  });

  it('given malformed EU VAT numbers or an unknown country, then it names the expected shape', () => {
    expect(checkTaxId('DE', 'DE12345678')).toEqual({ ok: false, field: 'value', message: 'a DE VAT number is DE followed by 9 digits' });
    expect(checkTaxId('AT', 'AT12345678')).toEqual({ ok: false, field: 'value', message: 'a AT VAT number is AT followed by U and 8 digits' });
    expect(checkTaxId('FR', 'FRIO123456789')).toMatchObject({ ok: false });
    expect(checkTaxId('SE', 'SE123456789012')).toMatchObject({ ok: false });
    expect(checkTaxId('NL', 'NL123456789X01')).toMatchObject({ ok: false });
    expect(checkTaxId('DE', '')).toEqual({ ok: false, field: 'value', message: 'is empty' });
    expect(checkTaxId('US', '123')).toMatchObject({ ok: false, field: 'country', message: expect.stringMatching(/^no tax id rules for country "US"; known: AT, BD, BE/) });
  });
});
