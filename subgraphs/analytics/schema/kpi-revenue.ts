import { builder } from '../builder.ts';
import type { RevenueRow } from '../services/kpi-source.ts';

export const KpiRevenueType = builder.objectRef<RevenueRow>('KpiRevenue').implement({
  description: 'Revenue in one currency. Voided invoices never count; credit notes count negative.',
  fields: (t) => ({
    currency: t.exposeString('currency', { description: 'ISO 4217.' }),
    invoiced: t.exposeString('invoiced', { description: 'Totals (with tax) of the invoices issued in the period, exact decimal.' }),
    invoicedNet: t.exposeString('invoicedNet', { description: 'The same without tax.' }),
    invoices: t.exposeInt('invoices', { description: 'Invoices and credit notes issued in the period.' }),
    paid: t.exposeString('paid', { description: 'Totals of the invoices paid in the period, exact decimal.' }),
    paidInvoices: t.exposeInt('paidInvoices'),
  }),
});
