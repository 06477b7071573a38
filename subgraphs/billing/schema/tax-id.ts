import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { INVOICE_READ_ROLES, INVOICE_WRITE_ROLES } from '../domain/access.ts';
import { SetTaxIdSchema } from '../domain/invoice-input.ts';
import type { TaxIdScheme } from '../domain/tax-id.ts';
import { isUuid } from '../../platform/ids.ts';
import { setCustomerTaxId } from '../services/tax-ids.ts';

export const TaxIdSchemeType = builder.enumType('TaxIdScheme', {
  values: {
    VAT: { description: 'An EU VAT number, with its country prefix.' },
    TIN: { description: 'Bangladesh: taxpayer identification number (10 digits, or 12 as e-TIN).' },
    BIN: { description: 'Bangladesh: business identification number of VAT registration (9 digits as e-BIN, or 13).' },
  } as const,
});

/** A tax id as printed on an invoice. */
export const TaxIdType = builder.objectRef<{ country: string; scheme: TaxIdScheme; value: string }>('TaxId').implement({
  fields: (t) => ({
    country: t.exposeString('country'),
    scheme: t.field({ type: TaxIdSchemeType, resolve: (v) => v.scheme }),
    value: t.exposeString('value', { description: 'Normalised: no spaces or dashes; EU numbers with their prefix.' }),
  }),
});

builder.prismaObject('CustomerTaxId', {
  description: "A customer's tax id, checked for its country's syntax when saved.",
  fields: (t) => ({
    customerId: t.exposeID('customerId'),
    country: t.exposeString('country'),
    scheme: t.field({ type: TaxIdSchemeType, resolve: (v) => v.scheme }),
    value: t.exposeString('value'),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const CustomerTaxIdInput = builder.inputType('CustomerTaxIdInput', {
  fields: (t) => ({
    customerId: t.id({ required: true }),
    country: t.string({ required: true, description: 'ISO 3166 alpha-2: BD or an EU member state (GR for Greece).' }),
    value: t.string({ required: true, description: 'Spaces, dots and dashes are ignored; an EU prefix is optional.' }),
  }),
});

builder.queryFields((t) => ({
  customerTaxIds: t.prismaField({
    type: ['CustomerTaxId'],
    description: "A customer's tax ids (one per scheme).",
    authScopes: { anyRole: INVOICE_READ_ROLES },
    args: { customerId: t.arg.id({ required: true }) },
    resolve: (query, _root, { customerId }, ctx) =>
      isUuid(customerId) ? ctx.db.customerTaxId.findMany({ ...query, where: { orgId: ctx.principal!.orgId, customerId }, orderBy: { scheme: 'asc' } }) : [],
  }),
}));

builder.mutationFields((t) => ({
  setCustomerTaxId: t.prismaField({
    type: 'CustomerTaxId',
    description: "Sets a customer's tax id for its scheme (the number's country and length decide which); invoices issued from now on carry it.",
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { input: t.arg({ type: CustomerTaxIdInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const saved = await setCustomerTaxId(ctx.db, ctx.principal!, parseInput(SetTaxIdSchema, input), ctx.now());
      return ctx.db.customerTaxId.findUniqueOrThrow({
        ...query,
        where: { orgId_customerId_scheme: { orgId: saved.orgId, customerId: saved.customerId, scheme: saved.scheme } },
      });
    },
  }),
}));
