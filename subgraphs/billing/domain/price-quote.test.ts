import { describe, expect, it } from 'vitest';
import { parseDecimal } from './money.ts';
import { priceQuote, type OrderFacts, type PricingCard } from './price-quote.ts';
import { DEFAULT_RATE_CARD, RuleSetSchema } from './rate-rules.ts';

const CUSTOMER = '01900000-0000-7000-8000-000000000103';
const card = (rules: unknown[], currency = 'EUR'): PricingCard => ({ currency, rules: RuleSetSchema.parse(rules) });
const facts = (overrides: Partial<OrderFacts> = {}): OrderFacts => ({
  customerId: CUSTOMER,
  weightKg: '2.500',
  parcels: [{ weightKg: '2.500', lengthCm: '40.0', widthCm: '30.0', heightCm: '20.0' }],
  pickupPostalCode: '10115',
  dropoffPostalCode: '14467',
  deliveryWindow: null,
  ...overrides,
});
const direct = (km: string) => ({ km, source: 'DIRECT' as const });
const amounts = (q: { lines: Array<{ code: string; amount: string }> }) => Object.fromEntries(q.lines.map((l) => [l.code, l.amount]));

describe('pricing an order from a rate card', () => {
  it('given the default card and a 27 km order of one boxy parcel, then each rule explains its cents and they add up', () => {
    const quote = priceQuote(card([...DEFAULT_RATE_CARD.rules]), facts(), direct('27'));
    expect(quote).toMatchObject({ currency: 'EUR', total: '16.65', distanceKm: '27.000', distanceSource: 'DIRECT', chargeableWeightKg: '4.800' });
    expect(quote.lines.map((l) => l.code)).toEqual(['BASE_FEE', 'PER_KM', 'VOLUMETRIC_WEIGHT', 'WEIGHT_TIERS', 'FUEL_SURCHARGE']);
    expect(amounts(quote)).toEqual({ BASE_FEE: '4.90', PER_KM: '9.90', VOLUMETRIC_WEIGHT: '0.00', WEIGHT_TIERS: '0.00', FUEL_SURCHARGE: '1.85' });
    expect(quote.lines.find((l) => l.code === 'PER_KM')!.description).toBe('22 km × 0.45 per km, first 5 km included');
    expect(quote.lines.find((l) => l.code === 'VOLUMETRIC_WEIGHT')!.description).toMatch(/actual 2\.500 kg, volumetric 4\.800 kg at 5000/);
  });

  it('given a line of exactly half a cent, when rounded, then it goes half away from zero, once per line', () => {
    // 0.100 km × 0.05 = 0.005 -> 0.01; fuel 12.5% of 0.01 = 0.00125 -> 0.00
    const quote = priceQuote(card([{ kind: 'PER_KM', rate: '0.05' }, { kind: 'FUEL_SURCHARGE', percent: '12.5' }]), facts(), direct('0.1'));
    expect(amounts(quote)).toEqual({ PER_KM: '0.01', FUEL_SURCHARGE: '0.00' });
    // 1.001 km × 0.45 = 0.45045 -> 0.45 (below half)
    expect(priceQuote(card([{ kind: 'PER_KM', rate: '0.45' }]), facts(), direct('1.001')).total).toBe('0.45');
    // fuel 12.5% of 0.04 = 0.005 -> 0.01
    expect(amounts(priceQuote(card([{ kind: 'BASE_FEE', amount: '0.04' }, { kind: 'FUEL_SURCHARGE', percent: '12.5' }]), facts(), direct('1')))).toEqual({ BASE_FEE: '0.04', FUEL_SURCHARGE: '0.01' });
  });

  it('given a negative half cent of discount, then it rounds away from zero too', () => {
    // 15% of 0.10 = 0.015 -> -0.02
    const quote = priceQuote(card([{ kind: 'BASE_FEE', amount: '0.10' }, { kind: 'CUSTOMER_DISCOUNT', customers: [{ customerId: CUSTOMER, percent: '15' }] }]), facts(), direct('1'));
    expect(amounts(quote)).toEqual({ BASE_FEE: '0.10', CUSTOMER_DISCOUNT: '-0.02' });
    expect(quote.total).toBe('0.08');
  });

  it('given a cheap order, when below the minimum charge, then a top-up line brings it to the minimum', () => {
    const quote = priceQuote(card([{ kind: 'BASE_FEE', amount: '1' }, { kind: 'MINIMUM_CHARGE', amount: '9.90' }]), facts(), direct('1'));
    expect(amounts(quote)).toEqual({ BASE_FEE: '1.00', MINIMUM_CHARGE: '8.90' });
    expect(quote.total).toBe('9.90');
    expect(quote.lines[1]!.description).toBe('Top-up to the minimum charge of 9.90');
  });

  it('given an order at or above the minimum, then no minimum line appears', () => {
    const quote = priceQuote(card([{ kind: 'BASE_FEE', amount: '9.90' }, { kind: 'MINIMUM_CHARGE', amount: '9.90' }]), facts(), direct('1'));
    expect(quote.lines.map((l) => l.code)).toEqual(['BASE_FEE']);
  });

  it('given distance bands, then the band [from, to) holding the distance prices it (a boundary belongs to the upper band)', () => {
    const bands = card([{ kind: 'DISTANCE_BANDS', bands: [{ fromKm: 0, toKm: 10, amount: '3' }, { fromKm: 10, toKm: 50, amount: '6' }, { fromKm: 50, amount: '12' }] }]);
    expect(priceQuote(bands, facts(), direct('9.999')).total).toBe('3.00');
    expect(priceQuote(bands, facts(), direct('10')).total).toBe('6.00');
    expect(priceQuote(bands, facts(), direct('50')).total).toBe('12.00');
    expect(priceQuote(bands, facts(), direct('5000')).lines[0]!.description).toBe('Distance band from 50 km (5000 km)');
  });

  it('given weight tiers and a volumetric divisor, then the heavier of actual and volumetric weight picks the tier', () => {
    const tiers = [{ kind: 'WEIGHT_TIERS', tiers: [{ fromKg: 0, toKg: 5, amount: '0' }, { fromKg: 5, toKg: null, amount: '3.50' }] }];
    const light = facts({ parcels: [{ weightKg: '6.000', lengthCm: null, widthCm: null, heightCm: null }] });
    expect(priceQuote(card(tiers), light, direct('1')).total).toBe('3.50');
    // 60×50×40 = 120 000 cm³ / 5000 = 24 kg volumetric > 1 kg actual
    const bulky = facts({ weightKg: '1.000', parcels: [{ weightKg: '1.000', lengthCm: '60.0', widthCm: '50.0', heightCm: '40.0' }] });
    expect(priceQuote(card(tiers), bulky, direct('1')).total).toBe('0.00'); // no divisor: actual weight
    const withDivisor = priceQuote(card([...tiers, { kind: 'VOLUMETRIC_WEIGHT', divisor: 5000 }]), bulky, direct('1'));
    expect(withDivisor.chargeableWeightKg).toBe('24.000');
    expect(withDivisor.total).toBe('3.50');
  });

  it('given parcels without dimensions, then their actual weight counts, and no parcels means the order weight', () => {
    const rules = card([{ kind: 'VOLUMETRIC_WEIGHT', divisor: '4000' }, { kind: 'BASE_FEE', amount: '1' }]);
    const mixed = facts({ parcels: [{ weightKg: '2.000', lengthCm: null, widthCm: null, heightCm: null }, { weightKg: '0.500', lengthCm: '20.0', widthCm: '20.0', heightCm: '20.0' }] });
    expect(priceQuote(rules, mixed, direct('1')).chargeableWeightKg).toBe('4.000'); // 2 + max(0.5, 8000/4000)
    expect(priceQuote(rules, facts({ weightKg: '7.250', parcels: [] }), direct('1')).chargeableWeightKg).toBe('7.250');
  });

  it('given a zone surcharge, then a dropoff postcode in the zone pays it and one outside does not', () => {
    const rules = [{ kind: 'ZONE_SURCHARGE', zones: [{ name: 'Islands', postcodePrefixes: ['18', '25'], amount: '12.00' }] }];
    expect(priceQuote(card(rules), facts({ dropoffPostalCode: '18055' }), direct('1')).lines).toEqual([
      { code: 'ZONE_SURCHARGE', description: 'Zone Islands (dropoff postcode 18055)', amount: '12.00' },
    ]);
    expect(priceQuote(card(rules), facts({ pickupPostalCode: '18055' }), direct('1')).lines).toEqual([]);
    expect(priceQuote(card([{ ...rules[0], appliesTo: 'EITHER' }]), facts({ pickupPostalCode: '18055' }), direct('1')).total).toBe('12.00');
  });

  it('given an express surcharge, then a window of at most the limit pays it and a longer one does not', () => {
    const rules = card([{ kind: 'EXPRESS_SURCHARGE', maxWindowHours: '2', amount: '7.50' }]);
    const window = (minutes: number) => facts({ deliveryWindow: { start: '2031-01-02T10:00:00Z', end: new Date(Date.parse('2031-01-02T10:00:00Z') + minutes * 60_000).toISOString() } });
    expect(priceQuote(rules, window(90), direct('1')).total).toBe('7.50');
    expect(priceQuote(rules, window(120), direct('1')).total).toBe('7.50');
    expect(priceQuote(rules, window(121), direct('1')).total).toBe('0.00');
    expect(priceQuote(rules, facts(), direct('1')).total).toBe('0.00');
  });

  it('given a fuel surcharge and a customer discount, then fuel is on the transport charges and the discount on everything before it', () => {
    const rules = card([
      { kind: 'CUSTOMER_DISCOUNT', customers: [{ customerId: CUSTOMER, percent: '15' }] },
      { kind: 'FUEL_SURCHARGE', percent: '10' },
      { kind: 'BASE_FEE', amount: '10' },
    ]);
    const quote = priceQuote(rules, facts(), direct('1'));
    expect(quote.lines.map((l) => [l.code, l.amount])).toEqual([['BASE_FEE', '10.00'], ['FUEL_SURCHARGE', '1.00'], ['CUSTOMER_DISCOUNT', '-1.65']]);
    expect(quote.total).toBe('9.35');
    expect(priceQuote(rules, facts({ customerId: crypto.randomUUID() }), direct('1')).total).toBe('11.00');
  });

  it('given a currency without minor units, then amounts round to whole units', () => {
    const quote = priceQuote(card([{ kind: 'BASE_FEE', amount: '500.5' }, { kind: 'FUEL_SURCHARGE', percent: '10' }], 'JPY'), facts(), direct('1'));
    expect(quote).toMatchObject({ currency: 'JPY', total: '551', lines: [{ amount: '501' }, { amount: '50' }] });
  });

  it('given many random orders, then the lines always add up exactly to the total and nothing is negative', () => {
    const rules = card([...DEFAULT_RATE_CARD.rules, { kind: 'CUSTOMER_DISCOUNT', customers: [{ customerId: CUSTOMER, percent: '7.5' }] }]);
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 500; i++) {
      const w = (rnd() * 40).toFixed(3);
      const quote = priceQuote(rules, facts({ parcels: [{ weightKg: w, lengthCm: (rnd() * 100).toFixed(1), widthCm: '30.0', heightCm: '20.0' }] }), direct((rnd() * 300).toFixed(3)));
      const sum = quote.lines.reduce((s, l) => s + parseDecimal(l.amount, 2), 0n);
      expect(parseDecimal(quote.total, 2)).toBe(sum);
      expect(parseDecimal(quote.total, 2)).toBeGreaterThanOrEqual(990n);
    }
  });
});
