import { z } from 'zod';

/** Trimmed, non-empty text of bounded length. */
export const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

/** A postal address with WGS 84 coordinates, as every domain takes it. */
export const AddressInputSchema = z.object({
  line1: text(200),
  city: text(100),
  postalCode: text(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. DE'),
  lat: z.number().min(-90, 'must be between -90 and 90').max(90, 'must be between -90 and 90'),
  lon: z.number().min(-180, 'must be between -180 and 180').max(180, 'must be between -180 and 180'),
});
