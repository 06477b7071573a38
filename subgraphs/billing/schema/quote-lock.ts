/**
 * Quote's price lock and versions (for everyone who sees the quote), and the cost to serve and
 * margin (finance's view of the carrier's own cost: never shown to customers). docs/billing.md,
 * "Price lock".
 */
import { builder } from '../builder.ts';
import { COST_READ_ROLES } from '../domain/access.ts';
import { minorDigits } from '../domain/money.ts';
import { marginOf } from '../domain/price-lock.ts';
import { MoneyType } from './money.ts';
import { QuoteType } from './quote.ts';
import { QuoteReasonType } from './quote-reason.ts';

builder.objectFields(QuoteType, (t) => ({
  version: t.int({ nullable: true, description: '1 at checkout, +1 per re-price; null for an ad hoc quote.', resolve: (q) => q.stored?.version ?? null }),
  reason: t.field({ type: QuoteReasonType, nullable: true, description: 'Why it has this version; null for an ad hoc quote.', resolve: (q) => q.stored?.reason ?? null }),
  lockedUntil: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'The price holds for a delivery up to this moment (billingSettings.quoteValidityDays after the order was placed); null: no lock, this price is final.',
    resolve: (q) => q.stored?.lockedUntil ?? null,
  }),
  plannedDistanceKm: t.float({
    nullable: true,
    authScopes: { anyRole: COST_READ_ROLES },
    description: "FINANCE, ADMIN: the order's share of its planned route, in km; null while it is on no route.",
    resolve: (q) => (q.stored?.costDistanceKm ? Number(q.stored.costDistanceKm) : null),
  }),
  costToServe: t.field({
    type: MoneyType,
    nullable: true,
    authScopes: { anyRole: COST_READ_ROLES },
    description: 'FINANCE, ADMIN: what the rate card charges for the planned distance (the cost of serving the order); null while it is on no route.',
    resolve: (q) => (q.stored?.costToServe ? { amount: q.stored.costToServe.toFixed(minorDigits(q.currency)), currency: q.currency, orgId: q.orgId } : null),
  }),
  margin: t.field({
    type: MoneyType,
    nullable: true,
    authScopes: { anyRole: COST_READ_ROLES },
    description: 'FINANCE, ADMIN: total minus costToServe (negative when the route costs more than the price); null while the order is on no route.',
    resolve: (q) => {
      const cost = q.stored?.costToServe;
      if (!cost) return null;
      const digits = minorDigits(q.currency);
      return { amount: marginOf(q.total, cost.toFixed(digits), q.currency), currency: q.currency, orgId: q.orgId };
    },
  }),
}));
