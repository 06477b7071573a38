import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { hasAnyRole } from '../../kernel/auth/principal.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { RATE_CARD_READ_ROLES, RATE_CARD_WRITE_ROLES } from '../domain/access.ts';
import { createRateCardSchema } from '../domain/rate-card-input.ts';
import { createRateCard } from '../services/rate-cards.ts';
import { JsonType } from './json.ts';

export const RateCardType = builder.prismaObject('RateCard', {
  description: "An organization's prices: versioned rules; the default card prices its orders.",
  fields: (t) => ({
    id: t.exposeID('id'),
    code: t.exposeString('code'),
    isDefault: t.exposeBoolean('isDefault'),
    versions: t.relation('versions', { description: 'Newest first.', query: { orderBy: { version: 'desc' } } }),
    latest: t.prismaField({
      type: 'RateCardVersion',
      description: 'The newest version (its name is the card’s name).',
      resolve: (query, card, _args, ctx) => ctx.db.rateCardVersion.findFirstOrThrow({ ...query, where: { rateCardId: card.id }, orderBy: { version: 'desc' } }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.asEntity(RateCardType, {
  key: builder.selection<{ id: string }>('id'),
  // Scoped like every other path: a foreign or unknown id, or a caller who may not read cards, resolves to null.
  resolveReference: ({ id }, ctx, info) =>
    hasAnyRole(ctx.principal, RATE_CARD_READ_ROLES) && isUuid(id)
      ? referenceBatched(ctx, info, 'RateCard', { orgId: ctx.principal!.orgId }, id, (args) => ctx.db.rateCard.findMany(args))
      : null,
});

const CreateRateCardInput = builder.inputType('CreateRateCardInput', {
  fields: (t) => ({
    code: t.string({ required: true, description: 'Unique within the organization, e.g. EXPRESS_2031.' }),
    name: t.string({ required: true }),
    currency: t.string({ required: true, description: 'ISO 4217, e.g. EUR.' }),
    effectiveFrom: t.field({ type: 'DateTime', description: 'Default: now.' }),
    effectiveTo: t.field({ type: 'DateTime', description: 'Open-ended when null; must be after effectiveFrom.' }),
    rules: t.field({ type: JsonType, required: true, description: 'A list of rules, each with a `kind`.' }),
    makeDefault: t.boolean({ description: 'Price the organization’s new orders with this card (default false).' }),
  }),
});

builder.queryFields((t) => ({
  rateCards: t.prismaField({
    type: ['RateCard'],
    description: "The organization's rate cards, by code.",
    authScopes: { anyRole: RATE_CARD_READ_ROLES },
    resolve: (query, _root, _args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      return ctx.db.rateCard.findMany({ ...query, where: { orgId: ctx.principal.orgId }, orderBy: { code: 'asc' } });
    },
  }),
}));

builder.mutationFields((t) => ({
  createRateCard: t.prismaField({
    type: 'RateCard',
    description: 'Creates a rate card with its first version; rules are validated (bands, amounts, kinds).',
    authScopes: { anyRole: RATE_CARD_WRITE_ROLES },
    args: { input: t.arg({ type: CreateRateCardInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const now = ctx.now();
      const card = await createRateCard(ctx.db, ctx.principal!, parseInput(createRateCardSchema(now), input), now);
      return ctx.db.rateCard.findUniqueOrThrow({ ...query, where: { id: card.id } });
    },
  }),
}));
