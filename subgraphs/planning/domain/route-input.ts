import { z } from 'zod';

/** The optimizer's budget per planDay call, in seconds. */
export const PLAN_TIME_LIMIT = { default: 1, min: 0.1, max: 30 } as const;

export const PlanDayArgsSchema = z.object({
  depotId: z.uuid('is not a depot id'),
  date: z.iso.date('must be a date "YYYY-MM-DD"'),
  timeLimitSeconds: z
    .number()
    .min(PLAN_TIME_LIMIT.min, `must be at least ${PLAN_TIME_LIMIT.min}`)
    .max(PLAN_TIME_LIMIT.max, `must be at most ${PLAN_TIME_LIMIT.max}`)
    .nullish()
    .transform((s) => s ?? PLAN_TIME_LIMIT.default),
});

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((s) => s || null);

/** Proof of delivery: who took the parcels, and references to a signature or photo kept elsewhere. */
export const ProofInputSchema = z.object({
  recipientName: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
  signatureRef: optionalText(500),
  photoRef: optionalText(500),
});
export type ProofInput = z.output<typeof ProofInputSchema>;

export const FailureReasonSchema = z.string().trim().min(1, 'must say why the delivery failed').max(500, 'must be at most 500 characters');

export const RouteFilterSchema = z.object({
  date: z.iso.date('must be a date "YYYY-MM-DD"').nullish(),
  depotId: z.uuid('is not a depot id').nullish(),
  vehicleId: z.uuid('is not a vehicle id').nullish(),
  driverId: z.uuid('is not a user id').nullish(),
});
