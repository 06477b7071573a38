import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { RATE_CARD_READ_ROLES, RATE_CARD_WRITE_ROLES } from '../domain/access.ts';
import { publishVersionSchema } from '../domain/rate-card-input.ts';
import { publishRateCardVersion } from '../services/rate-cards.ts';
import { JsonType } from './json.ts';

export const RateCardVersionType = builder.prismaObject('RateCardVersion', {
  description: 'An immutable version of a rate card: the exact rules a quote was priced with.',
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.string({ select: { rateCard: { select: { code: true } } }, resolve: (v) => v.rateCard.code }),
    name: t.exposeString('name'),
    version: t.exposeInt('version'),
    currency: t.exposeString('currency'),
    effectiveFrom: t.expose('effectiveFrom', { type: 'DateTime' }),
    effectiveTo: t.expose('effectiveTo', { type: 'DateTime', nullable: true }),
    // The rules name other customers (their discounts, by user id): only those who may read rate
    // cards see them, on every path (Quote.rateCard, InvoiceLine.rateCard, rateCards); a customer
    // keeps the version's name and number and gets FORBIDDEN here.
    rules: t.field({
      type: JsonType,
      nullable: true,
      description: 'The rule set (see docs: rate card rules). FORBIDDEN for roles that may not read rate cards.',
      authScopes: { anyRole: RATE_CARD_READ_ROLES },
      resolve: (v) => v.rules,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const RateCardVersionInput = builder.inputType('PublishRateCardVersionInput', {
  fields: (t) => ({
    rateCardId: t.id({ required: true }),
    name: t.string({ required: true }),
    currency: t.string({ required: true, description: 'ISO 4217, e.g. EUR.' }),
    effectiveFrom: t.field({ type: 'DateTime', description: 'Default: now.' }),
    effectiveTo: t.field({ type: 'DateTime', description: 'Open-ended when null; must be after effectiveFrom.' }),
    rules: t.field({ type: JsonType, required: true, description: 'A list of rules, each with a `kind`.' }),
  }),
});

builder.mutationFields((t) => ({
  publishRateCardVersion: t.prismaField({
    type: 'RateCardVersion',
    description: 'Publishes the next version of a rate card. Orders created from its effectiveFrom are priced with it; existing quotes keep theirs.',
    authScopes: { anyRole: RATE_CARD_WRITE_ROLES },
    args: { input: t.arg({ type: RateCardVersionInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = ctx.now();
      const version = await publishRateCardVersion(ctx.db, ctx.principal!, parseInput(publishVersionSchema(now), input), now);
      return ctx.db.rateCardVersion.findUniqueOrThrow({ ...query, where: { id: version.id } });
    },
  }),
}));
