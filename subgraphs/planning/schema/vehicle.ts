import { referenceBatched } from '../../kernel/batching.ts';
import { unauthenticated } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { parseInput } from '../../kernel/validation.ts';
import { builder } from '../builder.ts';
import { formatTimeOfDay } from '../domain/clock.ts';
import type { Principal } from '../../kernel/auth/principal.ts';
import { DISPATCH_ROLES, mayReadVehicle, ROUTE_READ_ROLES, type VehicleAspect } from '../domain/access.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { driverFleet } from '../services/driver-fleet.ts';
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

type Ctx = { db: PrismaClient; principal: Principal | null };

/**
 * Field rules by role and ownership (domain/access.ts), on every path a vehicle is reached by
 * (vehicles, a route, a depot, `_entities` from analytics' KPIs): a hidden field is FORBIDDEN.
 */
export const vehicleReadable = (aspect: VehicleAspect) => ({
  authScopes: async (v: { id: string }, _args: unknown, ctx: Ctx) =>
    !!ctx.principal && mayReadVehicle(ctx.principal, aspect, (await driverFleet(ctx)).vehicleIds.has(v.id)),
});

export const VehicleType = builder.prismaObject('Vehicle', {
  description: 'A vehicle of the fleet, based at a depot, with its capacity and daily shift. Fleet staff read all of it; its drivers all but the cost; finance its name and capacity.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', vehicleReadable('name')),
    plate: t.exposeString('plate', vehicleReadable('details')),
    capacityKg: t.float({ ...vehicleReadable('capacity'), resolve: (v) => v.capacityKg.toNumber() }),
    capacityM3: t.float({ nullable: true, ...vehicleReadable('capacity'), resolve: (v) => v.capacityM3?.toNumber() ?? null }),
    shiftStart: t.string({ description: 'Time of day "HH:MM", local to the home depot.', ...vehicleReadable('details'), resolve: (v) => formatTimeOfDay(v.shiftStartMin) }),
    shiftEnd: t.string({ description: 'Time of day "HH:MM", local to the home depot.', ...vehicleReadable('details'), resolve: (v) => formatTimeOfDay(v.shiftEndMin) }),
    costPerKm: t.string({ description: 'Exact decimal in `currency`. Fleet staff only.', ...vehicleReadable('cost'), resolve: (v) => v.costPerKm.toFixed(4) }),
    currency: t.exposeString('currency', vehicleReadable('cost')),
    homeDepot: t.relation('homeDepot', vehicleReadable('details')),
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
    description: "The organization's vehicles, by name; optionally those of one depot. A driver lists those of their own routes.",
    authScopes: { anyRole: ROUTE_READ_ROLES },
    args: { depotId: t.arg.id() },
    resolve: async (query, _root, { depotId }, ctx) => {
      if (!ctx.principal) throw unauthenticated(ctx.authError);
      if (depotId && !isUuid(depotId)) return [];
      const own = mayReadVehicle(ctx.principal, 'details', false) ? {} : { id: { in: [...(await driverFleet(ctx)).vehicleIds] } };
      return ctx.db.vehicle.findMany({
        ...query,
        where: { orgId: ctx.principal.orgId, ...own, ...(depotId ? { homeDepotId: depotId } : {}) },
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
