import { builder } from '../builder.ts';
import type { Stop } from '../generated/prisma/client.ts';

/** A completed stop, seen from its order: what the driver recorded, without staff-only stop details. */
export type CompletedStop = Stop & { completedAt: Date; recipientName: string };

export const ProofOfDeliveryType = builder.objectRef<CompletedStop>('ProofOfDelivery').implement({
  description: 'How a delivered order was handed over, as the driver recorded it when completing the stop.',
  fields: (t) => ({
    deliveredAt: t.field({ type: 'DateTime', resolve: (s) => s.completedAt }),
    recipientName: t.string({ description: 'Who took the parcels.', resolve: (s) => s.recipientName }),
    // The references point into storage the caller cannot reach: only whether they exist is told.
    signatureCaptured: t.boolean({ description: 'A signature was captured (kept elsewhere).', resolve: (s) => s.signatureRef !== null }),
    photoCaptured: t.boolean({ description: 'A photo of the delivery was taken (kept elsewhere).', resolve: (s) => s.photoRef !== null }),
  }),
});

/** The proof of a stop, once it is completed (completeStop always records both fields with the status). */
export function proofOf(stop: Stop | null): CompletedStop | null {
  if (stop?.status !== 'COMPLETED' || !stop.completedAt || stop.recipientName === null) return null;
  return stop as CompletedStop;
}
