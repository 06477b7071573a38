import { builder } from '../builder.ts';
import { visibleQuotes } from '../domain/access.ts';
import { quoteView, QuoteType } from './quote.ts';
import { OrderRef } from './refs.ts';

builder.objectFields(OrderRef, (t) => ({
  quote: t.field({
    type: QuoteType,
    nullable: true,
    description: 'The price of the order, explained; null until billing has priced it, or when the caller may not see it.',
    resolve: async (order, _args, ctx) => {
      if (!ctx.principal) return null;
      const quote = await ctx.db.quote.findFirst({ where: { orderId: order.id, ...visibleQuotes(ctx.principal) } });
      return quote ? quoteView(quote) : null;
    },
  }),
}));
