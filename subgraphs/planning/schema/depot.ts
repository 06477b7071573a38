import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { DISPATCH_ROLES, ROUTE_READ_ROLES } from '../domain/access.ts';
import { DepotInputSchema } from '../domain/fleet-input.ts';
import { createDepot } from '../services/fleet.ts';

const CreateDepotInput = builder.inputType('CreateDepotInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Unique within the organization.' }),
    line1: t.string({ required: true }),
    city: t.string({ required: true }),
    postalCode: t.string({ required: true }),
    country: t.string({ required: true, description: 'ISO 3166-1 alpha-2, e.g. DE.' }),
    lat: t.float({ required: true }),
    lon: t.float({ required: true }),
    timeZone: t.string({ description: 'IANA time zone, e.g. "Europe/Berlin"; vehicle shifts and planned days are local to it. Default "UTC".' }),
  }),
});

export const DepotType = builder.prismaObject('Depot', {
  description: 'Where vehicles are based: every route starts and ends at its depot.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    line1: t.exposeString('line1'),
    city: t.exposeString('city'),
    postalCode: t.exposeString('postalCode'),
    country: t.exposeString('country'),
    lat: t.exposeFloat('lat'),
    lon: t.exposeFloat('lon'),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone: vehicle shifts and planned days are local to it.' }),
    vehicles: t.relation('vehicles', { description: 'Vehicles based here, by name.', query: { orderBy: { name: 'asc' } } }),
  }),
});

builder.asEntity(DepotType, {
  key: builder.selection<{ id: string }>('id'),
  // Scoped like every other path: a foreign or unknown id resolves to null.
  resolveReference: ({ id }, ctx, info) =>
    ctx.principal && isUuid(id) ? referenceBatched(ctx, info, 'Depot', { orgId: ctx.principal.orgId }, id, (args) => ctx.db.depot.findMany(args)) : null,
});

builder.queryFields((t) => ({
  depots: t.prismaField({
    type: ['Depot'],
    description: "The organization's depots, by name.",
    authScopes: { anyRole: ROUTE_READ_ROLES },
    resolve: (query, _root, _args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      return ctx.db.depot.findMany({ ...query, where: { orgId: ctx.principal.orgId }, orderBy: { name: 'asc' } });
    },
  }),
}));

builder.mutationFields((t) => ({
  createDepot: t.prismaField({
    type: 'Depot',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: { input: t.arg({ type: CreateDepotInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const depot = await createDepot(ctx.db, ctx.principal!, parseInput(DepotInputSchema, input), ctx.now());
      return ctx.db.depot.findUniqueOrThrow({ ...query, where: { id: depot.id } });
    },
  }),
}));
