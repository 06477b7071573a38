import { z } from 'zod';
import { AddressInputSchema, text } from '../../kernel/input-schemas.ts';
import { parseTimeOfDay } from './clock.ts';
import { canonicalTimeZone } from './time-zone.ts';


/** Decimals arrive as strings so that money and capacities stay exact. */
const decimal = (places: number, max: number) =>
  z
    .string()
    .trim()
    .regex(new RegExp(`^-?\\d+(\\.\\d{1,${places}})?$`), `must be a decimal number with at most ${places} decimals, e.g. "1.25"`)
    .refine((s) => Number(s) >= 0, 'must not be negative')
    .refine((s) => Number(s) <= max, `must be at most ${max}`);

const timeOfDay = z
  .string()
  .transform((s, ctx) => {
    const minutes = parseTimeOfDay(s);
    if (minutes === null) ctx.addIssue({ code: 'custom', message: 'must be a time of day "HH:MM" between 00:00 and 24:00' });
    return minutes ?? 0;
  });

/** An IANA zone name, stored in its canonical spelling; depots made without one are UTC. */
const timeZone = z
  .string()
  .nullish()
  .transform((name, ctx) => {
    if (name == null) return 'UTC';
    const canonical = canonicalTimeZone(name);
    if (!canonical) ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone, e.g. "Europe/Berlin"' });
    return canonical ?? 'UTC';
  });

export const DepotInputSchema = AddressInputSchema.extend({ name: text(100), timeZone });
export type DepotInput = z.output<typeof DepotInputSchema>;

export const VehicleInputSchema = z
  .object({
    name: text(100),
    plate: text(20),
    capacityKg: z.number().gt(0, 'must be greater than 0').max(100_000, 'must be at most 100000 kg'),
    capacityM3: z.number().gt(0, 'must be greater than 0').max(1_000, 'must be at most 1000 m³').nullish(),
    shiftStart: timeOfDay,
    shiftEnd: timeOfDay,
    costPerKm: decimal(4, 1_000),
    currency: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code, e.g. EUR')
      .nullish()
      .transform((c) => c ?? 'EUR'),
    homeDepotId: z.uuid('is not a depot id'),
  })
  .superRefine((v, ctx) => {
    if (v.shiftEnd <= v.shiftStart) ctx.addIssue({ code: 'custom', path: ['shiftEnd'], message: 'must be after shiftStart' });
  });
export type VehicleInput = z.output<typeof VehicleInputSchema>;
