import { z } from 'zod';
import { AddressInputSchema, text } from '../../kernel/input-schemas.ts';
import { parseInput } from '../../kernel/validation.ts';


const positive = (max: number, unit: string) =>
  z.number().gt(0, 'must be greater than 0').max(max, `must be at most ${max} ${unit}`);

export const ParcelInputSchema = z.object({
  weightKg: positive(10_000, 'kg'),
  lengthCm: positive(2_000, 'cm').nullish(),
  widthCm: positive(2_000, 'cm').nullish(),
  heightCm: positive(2_000, 'cm').nullish(),
});

export const MAX_PARCELS = 100;

/**
 * The clock of the parse in progress (parseCreateOrderInput sets it around one synchronous
 * parse): the schema is built once because zod compiles each schema on its first parse, which
 * cost more than the parse itself when a new schema was built per order.
 */
let parsingAt: Date | undefined;

const CreateOrderInputSchema = z.object({
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
      } else if (window.end.getTime() <= parsingAt!.getTime()) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be in the future' });
      }
    }),
});

/** Validates a new order at the edge (BAD_USER_INPUT naming every problem); `now` decides whether a delivery window is still ahead. */
export function parseCreateOrderInput(input: unknown, now: Date): CreateOrderInput {
  parsingAt = now;
  try {
    return parseInput(CreateOrderInputSchema, input);
  } finally {
    parsingAt = undefined;
  }
}

export type CreateOrderInput = z.output<typeof CreateOrderInputSchema>;

/**
 * Total weight in exact thousandths of a kilogram (grams), so that 0.1 + 0.2 parcels weigh 0.3 kg,
 * not 0.30000000000000004.
 */
export function totalWeightGrams(parcels: ReadonlyArray<{ weightKg: number }>): number {
  return parcels.reduce((sum, p) => sum + Math.round(p.weightKg * 1000), 0);
}

/** Grams as the decimal string the database's DECIMAL(12,3) stores exactly. */
export const gramsToKgDecimal = (grams: number): string => (grams / 1000).toFixed(3);
