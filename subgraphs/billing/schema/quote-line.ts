import { builder } from '../builder.ts';
import type { QuoteLine } from '../domain/price-quote.ts';

export const QuoteLineType = builder.objectRef<QuoteLine>('QuoteLine').implement({
  description: 'One rule of the rate card and what it added (or took off) the price.',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The rule kind, e.g. BASE_FEE, PER_KM, FUEL_SURCHARGE.' }),
    description: t.exposeString('description'),
    amount: t.exposeString('amount', { description: 'Exact decimal in the quote’s currency, rounded half away from zero to the minor unit.' }),
  }),
});
