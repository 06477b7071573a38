import { badInput, unauthenticated } from '../../platform/errors.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { isOrgWide, PRICING_ROLES } from '../domain/access.ts';
import { minorDigits } from '../domain/money.ts';
import { priceQuote, type PricedQuote, type QuoteLine } from '../domain/price-quote.ts';
import { adHocFacts, PriceQuoteInputSchema } from '../domain/quote-input.ts';
import { RuleSetSchema } from '../domain/rate-rules.ts';
import type { Quote } from '../generated/prisma/client.ts';
import { ensureDefaultRateCard, versionInForce } from '../services/rate-cards.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { DistanceSourceType } from './distance-source.ts';
import { MoneyType } from './money.ts';
import { QuoteLineType } from './quote-line.ts';

/** A quote as the API shows it: a stored one (Order.quote) or an ad hoc one (priceQuote). */
export interface QuoteView extends PricedQuote {
  rateCardVersionId: string;
  billable: boolean;
  pricedAt: Date;
  /** Whose quote it is: its locale formats the money. */
  orgId: string;
  /** The stored quote's version, lock and cost to serve (schema/quote-lock.ts); absent for ad hoc quotes. */
  stored?: Pick<Quote, 'version' | 'reason' | 'lockedUntil' | 'costDistanceKm' | 'costToServe'>;
}

export const quoteView = (q: Quote): QuoteView => ({
  currency: q.currency,
  total: q.total.toFixed(minorDigits(q.currency)),
  lines: q.lines as unknown as QuoteLine[],
  distanceKm: q.distanceKm.toFixed(3),
  distanceSource: q.distanceSource,
  chargeableWeightKg: q.chargeableWeightKg.toFixed(3),
  rateCardVersionId: q.rateCardVersionId,
  billable: q.billable,
  pricedAt: q.pricedAt,
  orgId: q.orgId,
  stored: q,
});

export const QuoteType = builder.objectRef<QuoteView>('Quote').implement({
  description: 'A price with one breakdown line per rule that applied; the lines add up exactly to the total.',
  fields: (t) => ({
    total: t.exposeString('total', { description: 'Exact decimal, e.g. "16.65".' }),
    currency: t.exposeString('currency', { description: 'ISO 4217, the rate card’s.' }),
    totalMoney: t.field({
      type: MoneyType,
      description: 'The total with its currency and formatted in the organization’s locale.',
      resolve: (q) => ({ amount: q.total, currency: q.currency, orgId: q.orgId }),
    }),
    breakdown: t.field({ type: [QuoteLineType], resolve: (q) => q.lines }),
    distanceKm: t.float({ description: 'The distance priced, in km (whole metres).', resolve: (q) => Number(q.distanceKm) }),
    distanceSource: t.field({ type: DistanceSourceType, resolve: (q) => q.distanceSource }),
    chargeableWeightKg: t.float({ description: 'max(actual, volumetric) per parcel, summed.', resolve: (q) => Number(q.chargeableWeightKg) }),
    billable: t.exposeBoolean('billable', { description: 'False once the order is cancelled: it will never be invoiced.' }),
    pricedAt: t.expose('pricedAt', { type: 'DateTime' }),
    rateCard: t.prismaField({
      type: 'RateCardVersion',
      description: 'The exact rate card version it was priced with (kept when the card gets new versions).',
      resolve: (query, q, _args, ctx) => ctx.db.rateCardVersion.findUniqueOrThrow({ ...query, where: { id: q.rateCardVersionId } }),
    }),
  }),
});

const QuoteParcelInput = builder.inputType('QuoteParcelInput', {
  fields: (t) => ({
    weightKg: t.float({ required: true }),
    lengthCm: t.float(),
    widthCm: t.float(),
    heightCm: t.float(),
  }),
});

const QuotePointInput = builder.inputType('QuotePointInput', {
  fields: (t) => ({
    lat: t.float({ required: true }),
    lon: t.float({ required: true }),
    postalCode: t.string({ description: 'For zone surcharges.' }),
  }),
});

const QuoteWindowInput = builder.inputType('QuoteWindowInput', {
  fields: (t) => ({ start: t.field({ type: 'DateTime', required: true }), end: t.field({ type: 'DateTime', required: true }) }),
});

const PriceQuoteInput = builder.inputType('PriceQuoteInput', {
  fields: (t) => ({
    parcels: t.field({ type: [QuoteParcelInput], required: true }),
    distanceKm: t.float({ description: 'The distance to price; or give pickup and dropoff to price the great-circle distance.' }),
    pickup: t.field({ type: QuotePointInput }),
    dropoff: t.field({ type: QuotePointInput }),
    deliveryWindow: t.field({ type: QuoteWindowInput }),
    customerId: t.id({ description: 'Whose discount applies (a customer always gets their own).' }),
  }),
});

builder.queryFields((t) => ({
  priceQuote: t.field({
    type: QuoteType,
    description: "An ad hoc price from the caller's organization's default rate card in force now. Saves nothing.",
    authScopes: { anyRole: PRICING_ROLES },
    args: { input: t.arg({ type: PriceQuoteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const principal = ctx.principal;
      if (!principal) throw unauthenticated(ctx.authError);
      const parsed = parseInput(PriceQuoteInputSchema, input);
      const now = ctx.now();
      const version = await ctx.db.$transaction(async (tx) => {
        await ensureDefaultRateCard(prismaSql(tx), principal.orgId, now);
        return versionInForce(tx, principal.orgId, now);
      });
      if (!version) {
        ctx.services.metrics.pricingFailed('no_rate_card');
        throw badInput('No rate card is in force for your organization now.', ['input']);
      }
      const { facts, distance } = adHocFacts(parsed, isOrgWide(principal) ? (parsed.customerId ?? null) : principal.userId);
      const quote = ctx.services.metrics.priced(() => priceQuote({ currency: version.currency, rules: RuleSetSchema.parse(version.rules) }, facts, distance));
      return { ...quote, rateCardVersionId: version.id, billable: false, pricedAt: now, orgId: principal.orgId };
    },
  }),
}));
