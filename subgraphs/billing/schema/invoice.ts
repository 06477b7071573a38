import { referenceBatched } from '../../kernel/batching.ts';
import { PAGE_SIZE, type SubgraphContext } from '../../kernel/builder.ts';
import { badInput, forbidden, notFound, unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { INVOICE_LIST_ROLES, INVOICE_WRITE_ROLES, visibleInvoices } from '../domain/access.ts';
import { AddLineSchema, CreditNoteSchema, InvoiceFilterSchema, MarkPaidSchema, VoidInvoiceSchema } from '../domain/invoice-input.ts';
import type { TaxIdScheme } from '../domain/tax-id.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { BillingServices } from '../services/index.ts';
import { addInvoiceLine, issueCreditNote, issueInvoice, markInvoicePaid, voidInvoice, type CommandDeps } from '../services/invoice-commands.ts';
import { money } from '../services/invoice-rows.ts';
import { InvoiceKindType, InvoiceStatusType } from './invoice-status.ts';
import { MoneyType } from './money.ts';
import { UserRef } from './refs.ts';
import { TaxIdType } from './tax-id.ts';
import { VatCategoryType } from './vat.ts';
import './invoice-line.ts';

type Ctx = SubgraphContext<PrismaClient, BillingServices>;

export const InvoiceType = builder.prismaObject('Invoice', {
  description: 'An invoice or a credit note. Money is exact decimal strings in its currency; totals are sums of the rounded lines.',
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeString('number', { nullable: true, description: 'Set when issued, e.g. INV-2026-000042; gapless per series and fiscal year.' }),
    kind: t.field({ type: InvoiceKindType, resolve: (i) => i.kind }),
    status: t.field({ type: InvoiceStatusType, resolve: (i) => i.status }),
    currency: t.exposeString('currency'),
    subtotal: t.string({ description: 'Sum of the lines’ net amounts.', resolve: (i) => money(i.subtotal, i.currency) }),
    tax: t.string({ description: 'Sum of the lines’ VAT.', resolve: (i) => money(i.tax, i.currency) }),
    total: t.string({ description: 'subtotal + tax.', resolve: (i) => money(i.total, i.currency) }),
    totalMoney: t.field({
      type: MoneyType,
      description: 'The total with its currency and formatted in the organization’s locale.',
      resolve: (i) => ({ amount: money(i.total, i.currency), currency: i.currency, orgId: i.orgId }),
    }),
    customer: t.field({ type: UserRef, resolve: (i) => ({ id: i.customerId }) }),
    customerTaxIds: t.field({
      type: [TaxIdType],
      description: "The customer's tax ids as they were when issued (empty on a draft).",
      resolve: (i) => (i.customerTaxIds as Array<{ country: string; scheme: TaxIdScheme; value: string }> | null) ?? [],
    }),
    lines: t.relation('lines', { query: { orderBy: { position: 'asc' } } }),
    series: t.exposeString('series', { nullable: true }),
    fiscalYear: t.exposeInt('fiscalYear', { nullable: true, description: 'The year the fiscal year starts in.' }),
    sequence: t.exposeInt('sequence', { nullable: true }),
    periodStart: t.expose('periodStart', { type: 'DateTime', nullable: true, description: 'A consolidated invoice’s period.' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', nullable: true }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why a credit note was issued.' }),
    creditsInvoice: t.prismaField({
      type: 'Invoice',
      nullable: true,
      description: 'The invoice a credit note corrects.',
      resolve: (query, i, _args, ctx) => (i.creditsInvoiceId ? ctx.db.invoice.findFirst({ ...query, where: { id: i.creditsInvoiceId, orgId: i.orgId } }) : null),
    }),
    creditNotes: t.prismaField({
      type: ['Invoice'],
      description: 'The credit notes correcting this invoice.',
      resolve: (query, i, _args, ctx) => ctx.db.invoice.findMany({ ...query, where: { creditsInvoiceId: i.id, orgId: i.orgId }, orderBy: { id: 'asc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', nullable: true }),
    paidAt: t.expose('paidAt', { type: 'DateTime', nullable: true }),
    voidedAt: t.expose('voidedAt', { type: 'DateTime', nullable: true }),
    voidReason: t.exposeString('voidReason', { nullable: true }),
  }),
});

/** The one read filter: the caller's scope (domain/access.ts) and the id, or null when they may not see it. */
export function visibleInvoiceWhere(ctx: Ctx, id: string): Prisma.InvoiceWhereInput | null {
  if (!ctx.principal || !isUuid(id)) return null;
  const scope = visibleInvoices(ctx.principal);
  return scope ? { id, ...scope } : null;
}

builder.asEntity(InvoiceType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx, info) => {
    const scope = ctx.principal && isUuid(id) && visibleInvoices(ctx.principal);
    return scope ? referenceBatched(ctx, info, 'Invoice', scope, id, (args) => ctx.db.invoice.findMany(args)) : null;
  },
});

const InvoiceFilterInput = builder.inputType('InvoiceFilter', {
  fields: (t) => ({
    status: t.field({ type: InvoiceStatusType }),
    kind: t.field({ type: InvoiceKindType }),
    customerId: t.id(),
    number: t.string({ description: 'Exact.' }),
    issuedFrom: t.field({ type: 'DateTime', description: 'Issued at or after (drafts have no issue date).' }),
    issuedTo: t.field({ type: 'DateTime', description: 'Issued before.' }),
  }),
});

function checkPageArgs(args: { first?: number | null; last?: number | null }) {
  for (const key of ['first', 'last'] as const) {
    const n = args[key];
    if (n != null && (n < 0 || n > PAGE_SIZE.max)) throw badInput(`${key} must be between 0 and ${PAGE_SIZE.max}.`, [key]);
  }
}

/**
 * The one way invoices are listed: inside the caller's scope, newest first (ids are UUIDv7).
 * A customer filtering on another customer, or another organization, gets an empty page.
 */
function listInvoices(ctx: Ctx, query: object, args: { first?: number | null; last?: number | null; filter?: unknown }, orgId?: string) {
  if (!ctx.principal) throw unauthenticated(ctx.authError);
  checkPageArgs(args);
  const filter = parseInput(InvoiceFilterSchema, args.filter ?? {}, ['filter']);
  const scope = visibleInvoices(ctx.principal);
  if (!scope) throw forbidden();
  if ((orgId && orgId !== scope.orgId) || (scope.customerId && filter.customerId && filter.customerId !== scope.customerId)) return [];
  const issuedAt = filter.issuedFrom || filter.issuedTo ? { ...(filter.issuedFrom ? { gte: filter.issuedFrom } : {}), ...(filter.issuedTo ? { lt: filter.issuedTo } : {}) } : undefined;
  const asked: Prisma.InvoiceWhereInput = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.number ? { number: filter.number } : {}),
    ...(issuedAt ? { issuedAt } : {}),
  };
  // Both must hold: a filter narrows the caller's scope, never widens it (a customer asking for DRAFT gets none).
  return ctx.db.invoice.findMany({ ...query, where: { AND: [scope, asked] }, orderBy: { id: 'desc' } });
}

/** Adds an `invoices` connection to another subgraph's entity (Organization). */
export function addInvoicesField(ref: Parameters<typeof builder.objectField>[0], description: string, orgOf: (parent: { id: string }) => string) {
  builder.objectField(ref, 'invoices', (t) =>
    t.prismaConnection({
      type: 'Invoice',
      cursor: 'id',
      description,
      args: { filter: t.arg({ type: InvoiceFilterInput }) },
      resolve: (query, parent, args, ctx) => (ctx.principal && visibleInvoices(ctx.principal) ? listInvoices(ctx, query, args, orgOf(parent as { id: string })) : []),
    }),
  );
}

builder.queryFields((t) => ({
  invoice: t.prismaField({
    type: 'Invoice',
    nullable: true,
    description: 'An invoice or credit note the caller may see: finance, admins and auditors all of their organization’s; a customer their own issued ones.',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => {
      const where = visibleInvoiceWhere(ctx, id);
      return where ? ctx.db.invoice.findFirst({ ...query, where }) : null;
    },
  }),
  invoices: t.prismaConnection(
    {
      type: 'Invoice',
      cursor: 'id',
      description: 'Invoices and credit notes newest first, filtered.',
      authScopes: { anyRole: INVOICE_LIST_ROLES },
      args: { filter: t.arg({ type: InvoiceFilterInput }) },
      resolve: (query, _root, args, ctx) => listInvoices(ctx, query, args),
    },
    { name: 'InvoiceConnection' },
    { name: 'InvoiceEdge' },
  ),
}));

const deps = (ctx: Ctx): CommandDeps => ({ commit: ctx.services.commit, metrics: ctx.services.metrics });
const invoiceId = (id: string) => {
  if (!isUuid(id)) throw notFound('Invoice', ['invoiceId']);
  return id;
};

const AddInvoiceLineInput = builder.inputType('AddInvoiceLineInput', {
  fields: (t) => ({
    invoiceId: t.id({ required: true }),
    description: t.string({ required: true }),
    quantity: t.string({ required: true, description: 'Exact decimal > 0, at most 3 places.' }),
    unitPrice: t.string({ required: true, description: "Exact decimal in the invoice's currency." }),
    vatCategory: t.field({ type: VatCategoryType, required: true, description: 'Must have a rate in your VAT rate set.' }),
  }),
});

builder.mutationFields((t) => ({
  issueInvoice: t.prismaField({
    type: 'Invoice',
    description: 'DRAFT -> ISSUED: gives it the next number of its series and fiscal year and freezes it.',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { invoiceId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const issued = await issueInvoice(deps(ctx), ctx.principal!, invoiceId(args.invoiceId), ctx.now(), ctx.traceparent);
      return ctx.db.invoice.findUniqueOrThrow({ ...query, where: { id: issued.id } });
    },
  }),
  markInvoicePaid: t.prismaField({
    type: 'Invoice',
    description: 'ISSUED -> PAID (in full).',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { invoiceId: t.arg.id({ required: true }), paidAt: t.arg({ type: 'DateTime', description: 'Default: now.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = parseInput(MarkPaidSchema(ctx.now()), { invoiceId: invoiceId(args.invoiceId), paidAt: args.paidAt }, []);
      const paid = await markInvoicePaid(deps(ctx), ctx.principal!, input, ctx.traceparent);
      return ctx.db.invoice.findUniqueOrThrow({ ...query, where: { id: paid.id } });
    },
  }),
  voidInvoice: t.prismaField({
    type: 'Invoice',
    description: 'DRAFT or ISSUED -> VOID. An issued invoice keeps its number. Its orders go on new drafts unless redraft is false (then they are written off).',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { invoiceId: t.arg.id({ required: true }), reason: t.arg.string({ required: true }), redraft: t.arg.boolean({ description: 'Default true.' }) },
    resolve: async (query, _root, args, ctx) => {
      const input = parseInput(VoidInvoiceSchema, { ...args, invoiceId: invoiceId(args.invoiceId) }, []);
      const voided = await voidInvoice(deps(ctx), ctx.principal!, input, ctx.now(), ctx.traceparent);
      return ctx.db.invoice.findUniqueOrThrow({ ...query, where: { id: voided.id } });
    },
  }),
  issueCreditNote: t.prismaField({
    type: 'Invoice',
    description: 'Credits whole lines of an ISSUED or PAID invoice (all by default) with a credit note of its own series, issued at once.',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: {
      invoiceId: t.arg.id({ required: true }),
      reason: t.arg.string({ required: true }),
      lineIds: t.arg.idList({ description: 'The lines to credit; all when absent.' }),
      redraft: t.arg.boolean({ description: 'Put the credited orders on new drafts, to invoice them again corrected. Default false.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const input = parseInput(CreditNoteSchema, { ...args, invoiceId: invoiceId(args.invoiceId) }, []);
      const note = await issueCreditNote(deps(ctx), ctx.principal!, input, ctx.now(), ctx.traceparent);
      return ctx.db.invoice.findUniqueOrThrow({ ...query, where: { id: note.id } });
    },
  }),
  addInvoiceLine: t.prismaField({
    type: 'Invoice',
    description: 'Adds a line (waiting time, insurance, …) with its own VAT category to a DRAFT.',
    authScopes: { anyRole: INVOICE_WRITE_ROLES },
    args: { input: t.arg({ type: AddInvoiceLineInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      if (!isUuid(input.invoiceId)) throw notFound('Invoice', ['input', 'invoiceId']);
      const updated = await addInvoiceLine(deps(ctx), ctx.principal!, parseInput(AddLineSchema, input), ctx.now());
      return ctx.db.invoice.findUniqueOrThrow({ ...query, where: { id: updated.id } });
    },
  }),
}));
