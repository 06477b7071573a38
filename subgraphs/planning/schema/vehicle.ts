import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../kernel/errors.ts';
import { isUuid } from '../../kernel/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { formatTimeOfDay } from '../domain/clock.ts';
import { DISPATCH_ROLES, ROUTE_READ_ROLES } from '../domain/access.ts';
import { VehicleInputSchema } from '../domain/fleet-input.ts';
import { createVehicle } from '../services/fleet.ts';

const CreateVehicleInput = builder.inputType('CreateVehicleInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    plate: t.string({ required: true, description: 'Unique within the organization.' }),
    capacityKg: t.float({ required: true, description: 'Greater than 0.' }),
    capacityM3: t.float({ description: 'Load volume; without it only weight limits the load.' }),
    shiftStart: t.string({ required: true, description: 'Time of day "HH:MM" at its home depot (in the depot time zone) the vehicle leaves.' }),
    shiftEnd: t.string({ required: true, description: 'Time of day "HH:MM" at its home depot it must be back; after shiftStart (24:00 is midnight).' }),
    costPerKm: t.string({ required: true, description: 'Exact decimal, e.g. "0.85".' }),
    currency: t.string({ description: 'ISO 4217 code of costPerKm; default EUR.' }),
    homeDepotId: t.id({ required: true }),
  }),
});

export const VehicleType = builder.prismaObject('Vehicle', {
  description: 'A vehicle of the fleet, based at a depot, with its capacity and daily shift.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    plate: t.exposeString('plate'),
    capacityKg: t.float({ resolve: (v) => v.capacityKg.toNumber() }),
    capacityM3: t.float({ nullable: true, resolve: (v) => v.capacityM3?.toNumber() ?? null }),
    shiftStart: t.string({ description: 'Time of day "HH:MM", local to the home depot.', resolve: (v) => formatTimeOfDay(v.shiftStartMin) }),
    shiftEnd: t.string({ description: 'Time of day "HH:MM", local to the home depot.', resolve: (v) => formatTimeOfDay(v.shiftEndMin) }),
    costPerKm: t.string({ description: 'Exact decimal in `currency`.', resolve: (v) => v.costPerKm.toFixed(4) }),
    currency: t.exposeString('currency'),
    homeDepot: t.relation('homeDepot'),
  }),
});

builder.asEntity(VehicleType, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx, info) =>
    ctx.principal && isUuid(id) ? referenceBatched(ctx, info, 'Vehicle', { orgId: ctx.principal.orgId }, id, (args) => ctx.db.vehicle.findMany(args)) : null,
});

builder.queryFields((t) => ({
  vehicles: t.prismaField({
    type: ['Vehicle'],
    description: "The organization's vehicles, by name; optionally those of one depot.",
    authScopes: { anyRole: ROUTE_READ_ROLES },
    args: { depotId: t.arg.id() },
    resolve: (query, _root, { depotId }, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      if (depotId && !isUuid(depotId)) return [];
      return ctx.db.vehicle.findMany({
        ...query,
        where: { orgId: ctx.principal.orgId, ...(depotId ? { homeDepotId: depotId } : {}) },
        orderBy: { name: 'asc' },
      });
    },
  }),
}));

builder.mutationFields((t) => ({
  createVehicle: t.prismaField({
    type: 'Vehicle',
    authScopes: { anyRole: DISPATCH_ROLES },
    args: { input: t.arg({ type: CreateVehicleInput, required: true }) },
    resolve: async (query, _root, { input }, ctx) => {
      const vehicle = await createVehicle(ctx.db, ctx.principal!, parseInput(VehicleInputSchema, input), ctx.now());
      return ctx.db.vehicle.findUniqueOrThrow({ ...query, where: { id: vehicle.id } });
    },
  }),
}));
