import { builder } from '../builder.ts';

export const QuoteReasonType = builder.enumType('QuoteReason', {
  description: 'Why a quote has its current version.',
  values: {
    CHECKOUT: { description: 'Priced when the order was placed: the price the customer accepted, locked until lockedUntil.' },
    PLANNED_DISTANCE: { description: 'Re-priced on the planned route (only where billingSettings.repriceOnPlanning is true).' },
    LOCK_EXPIRED: { description: 'The lock had ended when the order was delivered: priced by the rate card in force at delivery.' },
  } as const,
});
