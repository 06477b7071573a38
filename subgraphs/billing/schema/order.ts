import { byIdBatched, loadBatched } from '../../kernel/batching.ts';
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
      const scope = visibleQuotes(ctx.principal);
      // One query for the quotes of a whole list of orders.
      const quote = await loadBatched(ctx, `quote:${JSON.stringify(scope)}`, order.id, async (orderIds) =>
        new Map((await ctx.db.quote.findMany({ where: { orderId: { in: orderIds }, ...scope } })).map((q) => [q.orderId, q])),
      );
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
      const delivery = await loadBatched(ctx, `delivered-order:${scope.orgId}`, order.id, async (orderIds) =>
        new Map(
          (await ctx.db.deliveredOrder.findMany({ where: { orderId: { in: orderIds }, orgId: scope.orgId }, select: { orderId: true, invoiceId: true } })).map((d) => [d.orderId, d]),
        ),
      );
      return delivery?.invoiceId ? byIdBatched(ctx, 'Invoice', query, scope, delivery.invoiceId, (args) => ctx.db.invoice.findMany(args)) : null;
    },
  }),
}));
