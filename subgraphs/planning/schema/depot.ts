import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import type { Principal } from '../../kernel/auth/principal.ts';
import { DISPATCH_ROLES, mayReadDepot, ROUTE_READ_ROLES } from '../domain/access.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { driverFleet } from '../services/driver-fleet.ts';
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

type Ctx = { db: PrismaClient; principal: Principal | null };

/** Fleet staff, and a driver of a route from (or a vehicle based at) this depot; others get FORBIDDEN. */
const readable = {
  authScopes: async (d: { id: string }, _args: unknown, ctx: Ctx) =>
    !!ctx.principal && mayReadDepot(ctx.principal, (await driverFleet(ctx)).depotIds.has(d.id)),
};

export const DepotType = builder.prismaObject('Depot', {
  description: 'Where vehicles are based: every route starts and ends at its depot. Fleet staff read every depot; a driver those of their routes.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', readable),
    line1: t.exposeString('line1', readable),
    city: t.exposeString('city', readable),
    postalCode: t.exposeString('postalCode', readable),
    country: t.exposeString('country', readable),
    lat: t.exposeFloat('lat', readable),
    lon: t.exposeFloat('lon', readable),
    timeZone: t.exposeString('timeZone', { description: 'IANA time zone: vehicle shifts and planned days are local to it.', ...readable }),
    vehicles: t.relation('vehicles', {
      description: 'Vehicles based here, by name. Fleet staff only.',
      query: { orderBy: { name: 'asc' } },
      authScopes: (_d: unknown, _args: unknown, ctx: Ctx) => !!ctx.principal && mayReadDepot(ctx.principal, false),
    }),
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
    description: "The organization's depots, by name. A driver lists those of their own routes.",
    authScopes: { anyRole: ROUTE_READ_ROLES },
    resolve: async (query, _root, _args, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      const own = mayReadDepot(ctx.principal, false) ? {} : { id: { in: [...(await driverFleet(ctx)).depotIds] } };
      return ctx.db.depot.findMany({ ...query, where: { orgId: ctx.principal.orgId, ...own }, orderBy: { name: 'asc' } });
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
