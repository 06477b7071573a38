/**
 * The pricing function: order facts + a rate card version -> a total with one breakdown line per
 * rule that applied. Pure (no I/O, no clock), so it is tested exhaustively and benchmarked in process.
 *
 * Money is exact: every amount is a bigint at a known scale (domain/money.ts).
 * Rounding rule: each line is rounded ONCE, half away from zero, to the currency's minor unit
 * (cents for EUR); percentage lines (fuel, discount) are computed on the sum of the already
 * rounded lines before them and rounded the same way; the total is the sum of the rounded lines,
 * so the breakdown always adds up exactly to the total.
 *
 * Order of application (fixed, whatever the order of the rules in the card):
 *   transport charges  BASE_FEE, DISTANCE_BANDS, PER_KM, VOLUMETRIC_WEIGHT (0.00, explains the
 *                      chargeable weight), WEIGHT_TIERS, ZONE_SURCHARGE, EXPRESS_SURCHARGE
 *   FUEL_SURCHARGE     percent of the transport charges
 *   CUSTOMER_DISCOUNT  percent off everything so far (a negative line)
 *   MINIMUM_CHARGE     a top-up line when the total would be below the minimum
 */
import { formatDecimal, minorDigits, parseDecimal, pow10, rescale } from './money.ts';
import { RATE_SCALE, type RateRule, type RuleKind, type RuleSet } from './rate-rules.ts';

/** Distances are priced in whole metres, weights in grams. */
const KM_SCALE = 3;
const KG_SCALE = 3;
const PCT_SCALE = 4;

export type DistanceSource = 'DIRECT' | 'PLANNED' | 'GIVEN';

export interface ParcelFacts {
  weightKg: string;
  lengthCm: string | null;
  widthCm: string | null;
  heightCm: string | null;
}

/** What pricing needs to know of an order (all decimals as strings, exactly as orders stores them). */
export interface OrderFacts {
  customerId: string | null;
  /** The order's total weight; used when no parcels are listed. */
  weightKg: string;
  parcels: readonly ParcelFacts[];
  pickupPostalCode: string | null;
  dropoffPostalCode: string | null;
  deliveryWindow: { start: string; end: string } | null;
}

export interface PricingCard {
  currency: string;
  rules: RuleSet;
}

export interface QuoteLine {
  code: RuleKind;
  description: string;
  /** A decimal string in the card's currency, at its minor unit ("4.90"). */
  amount: string;
}

export interface PricedQuote {
  currency: string;
  total: string;
  lines: QuoteLine[];
  /** The distance priced, in km with three decimals (whole metres). */
  distanceKm: string;
  distanceSource: DistanceSource;
  /** max(actual, volumetric) per parcel, summed; the weight tiers read this. */
  chargeableWeightKg: string;
}

const km = (v: bigint) => `${formatDecimal(v, KM_SCALE).replace(/\.?0+$/, '')} km`;
const kgText = (v: bigint) => `${formatDecimal(v, KG_SCALE)} kg`;
const pct = (v: bigint) => `${formatDecimal(v, PCT_SCALE).replace(/\.?0+$/, '')}%`;

function find<K extends RuleKind>(rules: RuleSet, kind: K): Extract<RateRule, { kind: K }> | undefined {
  for (const rule of rules) if (rule.kind === kind) return rule as Extract<RateRule, { kind: K }>;
  return undefined;
}

/** The range [from, to) that holds `value` (validation guarantees exactly one). */
function rangeOf<R>(ranges: readonly R[], value: bigint, from: (r: R) => string, to: (r: R) => string | null): R {
  for (const r of ranges) {
    const end = to(r);
    if (value >= parseDecimal(from(r), 3) && (end === null || value < parseDecimal(end, 3))) return r;
  }
  throw new RangeError('rate card bands do not cover the value'); // unreachable for a validated card
}

/** Volumetric kg of one parcel at KG_SCALE: L×W×H (cm³) / divisor, rounded half away from zero to the gram. */
function volumetricKg(p: ParcelFacts, divisor: bigint): bigint | null {
  if (p.lengthCm === null || p.widthCm === null || p.heightCm === null) return null;
  const cm3 = parseDecimal(p.lengthCm, 3) * parseDecimal(p.widthCm, 3) * parseDecimal(p.heightCm, 3); // scale 9
  // cm3 (scale 9) / divisor (scale 3) is scale 6; four guard digits keep the final rounding exact.
  return rescale((cm3 * pow10(4)) / divisor, 10, KG_SCALE);
}

function chargeableWeight(facts: OrderFacts, rules: RuleSet): { chargeable: bigint; actual: bigint; volumetric: bigint | null; divisor: string | null } {
  const actual = facts.parcels.length ? facts.parcels.reduce((s, p) => s + parseDecimal(p.weightKg, KG_SCALE), 0n) : parseDecimal(facts.weightKg, KG_SCALE);
  const rule = find(rules, 'VOLUMETRIC_WEIGHT');
  if (!rule || !facts.parcels.length) return { chargeable: actual, actual, volumetric: null, divisor: null };
  const divisor = parseDecimal(rule.divisor, 3);
  let chargeable = 0n;
  let volumetric = 0n;
  for (const p of facts.parcels) {
    const weight = parseDecimal(p.weightKg, KG_SCALE);
    const vol = volumetricKg(p, divisor);
    volumetric += vol ?? weight;
    chargeable += vol !== null && vol > weight ? vol : weight;
  }
  return { chargeable, actual, volumetric, divisor: rule.divisor };
}

const windowMs = (w: { start: string; end: string }) => Date.parse(w.end) - Date.parse(w.start);

function zoneMatch(rule: Extract<RateRule, { kind: 'ZONE_SURCHARGE' }>, facts: OrderFacts) {
  const candidates: Array<[string, string | null]> =
    rule.appliesTo === 'PICKUP' ? [['pickup', facts.pickupPostalCode]] : rule.appliesTo === 'DROPOFF' ? [['dropoff', facts.dropoffPostalCode]] : [['pickup', facts.pickupPostalCode], ['dropoff', facts.dropoffPostalCode]];
  for (const zone of rule.zones) {
    for (const [where, code] of candidates) {
      const normalised = code?.replace(/\s+/g, '').toUpperCase();
      if (normalised && zone.postcodePrefixes.some((p) => normalised.startsWith(p.replace(/\s+/g, '').toUpperCase()))) return { zone, where, code: code! };
    }
  }
  return null;
}

/**
 * Prices an order. `distanceKm` is a decimal string (at most three decimals: whole metres).
 * Throws RangeError only for facts that are not decimals; a validated card always prices.
 */
export function priceQuote(card: PricingCard, facts: OrderFacts, distance: { km: string; source: DistanceSource }): PricedQuote {
  const digits = minorDigits(card.currency);
  const minor = (value: bigint, scale: number) => rescale(value, scale, digits);
  const dist = parseDecimal(distance.km, KM_SCALE);
  const lines: Array<{ code: RuleKind; description: string; minor: bigint }> = [];
  const rules = card.rules;
  const weight = chargeableWeight(facts, rules);

  const base = find(rules, 'BASE_FEE');
  if (base) lines.push({ code: 'BASE_FEE', description: 'Base fee', minor: minor(parseDecimal(base.amount, RATE_SCALE), RATE_SCALE) });

  const bands = find(rules, 'DISTANCE_BANDS');
  if (bands) {
    const band = rangeOf(bands.bands, dist, (b) => b.fromKm, (b) => b.toKm);
    const span = band.toKm === null ? `from ${band.fromKm} km` : `${band.fromKm}–${band.toKm} km`;
    lines.push({ code: 'DISTANCE_BANDS', description: `Distance band ${span} (${km(dist)})`, minor: minor(parseDecimal(band.amount, RATE_SCALE), RATE_SCALE) });
  }

  const perKm = find(rules, 'PER_KM');
  if (perKm) {
    const included = parseDecimal(perKm.includedKm, KM_SCALE);
    const charged = dist > included ? dist - included : 0n;
    const free = included > 0n ? `, first ${km(included)} included` : '';
    lines.push({
      code: 'PER_KM',
      description: `${km(charged)} × ${perKm.rate} per km${free}`,
      minor: minor(parseDecimal(perKm.rate, RATE_SCALE) * charged, RATE_SCALE + KM_SCALE),
    });
  }

  if (weight.volumetric !== null) {
    lines.push({
      code: 'VOLUMETRIC_WEIGHT',
      description: `Chargeable weight ${kgText(weight.chargeable)} (actual ${kgText(weight.actual)}, volumetric ${kgText(weight.volumetric)} at ${weight.divisor} cm³/kg)`,
      minor: 0n,
    });
  }

  const tiers = find(rules, 'WEIGHT_TIERS');
  if (tiers) {
    const tier = rangeOf(tiers.tiers, weight.chargeable, (t) => t.fromKg, (t) => t.toKg);
    const span = tier.toKg === null ? `from ${tier.fromKg} kg` : `${tier.fromKg}–${tier.toKg} kg`;
    lines.push({ code: 'WEIGHT_TIERS', description: `Weight tier ${span} (${kgText(weight.chargeable)})`, minor: minor(parseDecimal(tier.amount, RATE_SCALE), RATE_SCALE) });
  }

  const zones = find(rules, 'ZONE_SURCHARGE');
  const zone = zones && zoneMatch(zones, facts);
  if (zone) {
    lines.push({ code: 'ZONE_SURCHARGE', description: `Zone ${zone.zone.name} (${zone.where} postcode ${zone.code})`, minor: minor(parseDecimal(zone.zone.amount, RATE_SCALE), RATE_SCALE) });
  }

  const express = find(rules, 'EXPRESS_SURCHARGE');
  if (express && facts.deliveryWindow) {
    const ms = windowMs(facts.deliveryWindow);
    // Hours carry two decimals at most (validated): hundredths of an hour × 36 000 is the limit in whole ms.
    if (ms <= Number(parseDecimal(express.maxWindowHours, 2)) * 36_000) {
      const minutes = ms / 60_000;
      lines.push({
        code: 'EXPRESS_SURCHARGE',
        description: `Delivery window of ${Math.round(minutes)} min (express: ${express.maxWindowHours} h or less)`,
        minor: minor(parseDecimal(express.amount, RATE_SCALE), RATE_SCALE),
      });
    }
  }

  const sum = () => lines.reduce((s, l) => s + l.minor, 0n);

  const fuel = find(rules, 'FUEL_SURCHARGE');
  if (fuel) {
    const transport = sum();
    const percent = parseDecimal(fuel.percent, PCT_SCALE);
    // transport (scale digits) × percent (scale 4) / 100  ->  scale digits + 4 + 2
    lines.push({ code: 'FUEL_SURCHARGE', description: `Fuel surcharge ${pct(percent)} of ${formatDecimal(transport, digits)}`, minor: minor(transport * percent, digits + PCT_SCALE + 2) });
  }

  const discount = find(rules, 'CUSTOMER_DISCOUNT');
  const deal = discount && facts.customerId ? discount.customers.find((c) => c.customerId === facts.customerId) : undefined;
  if (deal) {
    const before = sum();
    const percent = parseDecimal(deal.percent, PCT_SCALE);
    lines.push({ code: 'CUSTOMER_DISCOUNT', description: `Customer discount ${pct(percent)} of ${formatDecimal(before, digits)}`, minor: -minor(before * percent, digits + PCT_SCALE + 2) });
  }

  const minimum = find(rules, 'MINIMUM_CHARGE');
  if (minimum) {
    const floor = minor(parseDecimal(minimum.amount, RATE_SCALE), RATE_SCALE);
    const total = sum();
    if (total < floor) lines.push({ code: 'MINIMUM_CHARGE', description: `Top-up to the minimum charge of ${formatDecimal(floor, digits)}`, minor: floor - total });
  }

  return {
    currency: card.currency,
    total: formatDecimal(sum(), digits),
    lines: lines.map((l) => ({ code: l.code, description: l.description, amount: formatDecimal(l.minor, digits) })),
    distanceKm: formatDecimal(dist, KM_SCALE),
    distanceSource: distance.source,
    chargeableWeightKg: formatDecimal(weight.chargeable, KG_SCALE),
  };
}
