import { builder } from '../builder.ts';
import type { QuoteLine } from '../domain/price-quote.ts';
import { money } from '../services/invoice-rows.ts';
import { QuoteLineType } from './quote-line.ts';
import { OrderRef } from './refs.ts';
import { VatCategoryType } from './vat.ts';

interface Pricing {
  rateCardVersionId: string;
  breakdown: QuoteLine[];
}

export const InvoiceLineType = builder.prismaObject('InvoiceLine', {
  description: 'amount = quantity × unitPrice and taxAmount = amount × vatRate %, each rounded once, half away from zero.',
  select: { id: true, invoice: { select: { currency: true } } },
  fields: (t) => ({
    id: t.exposeID('id'),
    position: t.exposeInt('position'),
    description: t.exposeString('description'),
    quantity: t.string({ select: { quantity: true }, description: 'Exact decimal; negative on a credit note.', resolve: (l) => l.quantity.toFixed(3) }),
    unitPrice: t.string({ select: { unitPrice: true }, resolve: (l) => money(l.unitPrice, l.invoice.currency) }),
    vatCategory: t.field({ type: VatCategoryType, select: { vatCategory: true }, resolve: (l) => l.vatCategory }),
    vatRate: t.string({ select: { vatRate: true }, description: 'Percent, e.g. "19.00".', resolve: (l) => l.vatRate.toFixed(2) }),
    amount: t.string({ select: { amount: true }, description: 'Net.', resolve: (l) => money(l.amount, l.invoice.currency) }),
    taxAmount: t.string({ select: { taxAmount: true }, resolve: (l) => money(l.taxAmount, l.invoice.currency) }),
    order: t.field({ type: OrderRef, nullable: true, select: { orderId: true }, resolve: (l) => (l.orderId ? { id: l.orderId } : null) }),
    breakdown: t.field({
      type: [QuoteLineType],
      nullable: true,
      select: { pricing: true },
      description: "A delivery line's quote breakdown, as it was priced.",
      resolve: (l) => (l.pricing as Pricing | null)?.breakdown ?? null,
    }),
    rateCard: t.prismaField({
      type: 'RateCardVersion',
      nullable: true,
      select: { pricing: true },
      description: 'The rate card version a delivery line was priced with.',
      resolve: (query, l, _args, ctx) => {
        const id = (l.pricing as Pricing | null)?.rateCardVersionId;
        return id ? ctx.db.rateCardVersion.findUnique({ ...query, where: { id } }) : null;
      },
    }),
    creditsLineId: t.exposeID('creditsLineId', { nullable: true, description: 'On a credit note: the line it credits.' }),
  }),
});
