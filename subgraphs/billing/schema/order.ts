import { builder } from '../builder.ts';
import { visibleInvoices, visibleQuotes } from '../domain/access.ts';
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
  invoice: t.prismaField({
    type: 'Invoice',
    nullable: true,
    description: 'The invoice carrying the delivered order (a credited one stays until the order is invoiced again); null before delivery, or when the caller may not see it.',
    resolve: async (query, order, _args, ctx) => {
      const scope = ctx.principal && visibleInvoices(ctx.principal);
      if (!scope) return null;
      const delivery = await ctx.db.deliveredOrder.findFirst({ where: { orderId: order.id, orgId: scope.orgId }, select: { invoiceId: true } });
      return delivery?.invoiceId ? ctx.db.invoice.findFirst({ ...query, where: { id: delivery.invoiceId, ...scope } }) : null;
    },
  }),
}));
