/** What billing publishes. */
import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../kernel/events/contract.ts';
import { RULE_KINDS } from '../domain/rate-rules.ts';

const money = z.string().regex(/^-?\d+(\.\d+)?$/);

export const QuoteCalculated = defineEvent({
  type: 'voidtracker.billing.quote.calculated.v1',
  producer: 'billing',
  aggregate: 'Order',
  description: 'An order was priced (when created, on the direct distance) or re-priced (once planned, on its share of the route).',
  schema: z.object({
    orderId: z.uuid(),
    customerId: z.uuid(),
    rateCardVersionId: z.uuid(),
    currency: z.string().length(3),
    total: money,
    distanceKm: z.string(),
    distanceSource: z.enum(['DIRECT', 'PLANNED', 'GIVEN']),
    lines: z.array(z.object({ code: z.enum(RULE_KINDS), description: z.string(), amount: money })),
  }),
});

export const BILLING_EVENTS = [QuoteCalculated] as const;
export type BillingEvent = EnvelopeOf<(typeof BILLING_EVENTS)[number]>;
