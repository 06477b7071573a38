import { z } from 'zod';
import { AddressInputSchema, text } from '../../kernel/input-schemas.ts';


const positive = (max: number, unit: string) =>
  z.number().gt(0, 'must be greater than 0').max(max, `must be at most ${max} ${unit}`);

export const ParcelInputSchema = z.object({
  weightKg: positive(10_000, 'kg'),
  lengthCm: positive(2_000, 'cm').nullish(),
  widthCm: positive(2_000, 'cm').nullish(),
  heightCm: positive(2_000, 'cm').nullish(),
});

export const MAX_PARCELS = 100;

/** Validates a new order at the edge; `now` decides whether a delivery window is still ahead. */
export const createOrderInputSchema = (now: Date) =>
  z
    .object({
      reference: text(64).nullish(),
      pickup: AddressInputSchema,
      dropoff: AddressInputSchema,
      parcels: z
        .array(ParcelInputSchema)
        .min(1, 'must hold at least one parcel')
        .max(MAX_PARCELS, `must hold at most ${MAX_PARCELS} parcels`),
      deliveryWindow: z
        .object({ start: z.date(), end: z.date() })
        .nullish()
        .superRefine((window, ctx) => {
          if (!window) return;
          if (window.end.getTime() <= window.start.getTime()) {
            ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
          } else if (window.end.getTime() <= now.getTime()) {
            ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be in the future' });
          }
        }),
    });

export type CreateOrderInput = z.output<ReturnType<typeof createOrderInputSchema>>;

/**
 * Total weight in exact thousandths of a kilogram (grams), so that 0.1 + 0.2 parcels weigh 0.3 kg,
 * not 0.30000000000000004.
 */
export function totalWeightGrams(parcels: ReadonlyArray<{ weightKg: number }>): number {
  return parcels.reduce((sum, p) => sum + Math.round(p.weightKg * 1000), 0);
}

/** Grams as the decimal string the database's DECIMAL(12,3) stores exactly. */
export const gramsToKgDecimal = (grams: number): string => (grams / 1000).toFixed(3);
