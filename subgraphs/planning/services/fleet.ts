import type { Principal } from '../../kernel/auth/principal.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { DepotInput, VehicleInput } from '../domain/fleet-input.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

const isUniqueViolation = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

export async function createDepot(db: PrismaClient, principal: Principal, input: DepotInput, now: Date) {
  try {
    return await db.depot.create({ data: { id: uuidv7(now.getTime()), orgId: principal.orgId, createdAt: now, ...input } });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A depot named "${input.name}" already exists.`, ['input', 'name']);
    throw error;
  }
}

export async function createVehicle(db: PrismaClient, principal: Principal, input: VehicleInput, now: Date) {
  // Another tenant's depot is as unknown as a missing one.
  const depot = await db.depot.findFirst({ where: { id: input.homeDepotId, orgId: principal.orgId } });
  if (!depot) throw notFound('Depot', ['input', 'homeDepotId']);
  try {
    return await db.vehicle.create({
      data: {
        id: uuidv7(now.getTime()),
        orgId: principal.orgId,
        name: input.name,
        plate: input.plate,
        capacityKg: input.capacityKg.toFixed(3),
        capacityM3: input.capacityM3 == null ? null : input.capacityM3.toFixed(3),
        shiftStartMin: input.shiftStart,
        shiftEndMin: input.shiftEnd,
        costPerKm: input.costPerKm,
        currency: input.currency,
        homeDepotId: depot.id,
        createdAt: now,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`A vehicle with plate "${input.plate}" already exists.`, ['input', 'plate']);
    throw error;
  }
}
