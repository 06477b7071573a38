import { z } from 'zod';
import { greatCircleKm } from './geo.ts';
import { formatDecimal, fromNumber } from './money.ts';
import type { DistanceSource, OrderFacts } from './price-quote.ts';

const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), postalCode: z.string().max(20).nullish() });
const positive = (max: number) => z.number().positive().max(max);

/** priceQuote's input: a distance, or the two points to measure it between. */
export const PriceQuoteInputSchema = z
  .object({
    parcels: z
      .array(z.object({ weightKg: positive(100_000), lengthCm: positive(10_000).nullish(), widthCm: positive(10_000).nullish(), heightCm: positive(10_000).nullish() }))
      .min(1, 'at least one parcel')
      .max(100),
    distanceKm: z.number().min(0).max(40_000).nullish(),
    pickup: point.nullish(),
    dropoff: point.nullish(),
    deliveryWindow: z.object({ start: z.date(), end: z.date() }).nullish(),
    customerId: z.uuid().nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.distanceKm == null && !(v.pickup && v.dropoff)) ctx.addIssue({ code: 'custom', path: ['distanceKm'], message: 'give distanceKm, or both pickup and dropoff' });
    if (v.deliveryWindow && v.deliveryWindow.end <= v.deliveryWindow.start) ctx.addIssue({ code: 'custom', path: ['deliveryWindow', 'end'], message: 'must be after start' });
  });
export type PriceQuoteInput = z.output<typeof PriceQuoteInputSchema>;

const dec = (n: number | null | undefined, scale: number) => (n == null ? null : formatDecimal(fromNumber(n, scale), scale));

/** The facts and distance an ad hoc quote is priced on. */
export function adHocFacts(input: PriceQuoteInput, customerId: string | null): { facts: OrderFacts; distance: { km: string; source: DistanceSource } } {
  const parcels = input.parcels.map((p) => ({ weightKg: dec(p.weightKg, 3)!, lengthCm: dec(p.lengthCm, 1), widthCm: dec(p.widthCm, 1), heightCm: dec(p.heightCm, 1) }));
  const facts: OrderFacts = {
    customerId,
    weightKg: formatDecimal(
      parcels.reduce((s, p) => s + fromNumber(Number(p.weightKg), 3), 0n),
      3,
    ),
    parcels,
    pickupPostalCode: input.pickup?.postalCode ?? null,
    dropoffPostalCode: input.dropoff?.postalCode ?? null,
    deliveryWindow: input.deliveryWindow ? { start: input.deliveryWindow.start.toISOString(), end: input.deliveryWindow.end.toISOString() } : null,
  };
  const distance =
    input.distanceKm != null ? { km: dec(input.distanceKm, 3)!, source: 'GIVEN' as const } : { km: greatCircleKm(input.pickup!, input.dropoff!), source: 'DIRECT' as const };
  return { facts, distance };
}
