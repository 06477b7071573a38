import type { Instance, VehicleType } from './instance.ts';
import { singletonCost } from './route.ts';

export type UnservedReason = 'DEMAND_EXCEEDS_CAPACITY' | 'TIME_WINDOW_UNREACHABLE' | 'FLEET_TOO_SMALL';

export interface UnservedStop {
  stopId: string;
  /** Index in the input `stops` array. */
  stopIndex: number;
  reason: UnservedReason;
  message: string;
}

/**
 * Why a stop cannot be served even by a vehicle dedicated to it, or null
 * when some vehicle could serve it alone.
 */
export function intrinsicReason(inst: Instance, u: number): { reason: UnservedReason; message: string } | null {
  const fits = inst.vehicleTypes.filter(
    (vt) => (inst.demand[u] as number) <= vt.capacity + 1e-9 && (inst.volume[u] as number) <= vt.volumeCapacity + 1e-9,
  );
  if (fits.length === 0) {
    const maxW = Math.max(...inst.vehicleTypes.map((v) => v.capacity));
    return {
      reason: 'DEMAND_EXCEEDS_CAPACITY',
      message: `demand (weight ${inst.demand[u]}, volume ${inst.volume[u]}) exceeds every vehicle's capacity (largest weight capacity ${maxW})`,
    };
  }
  if (fits.every((vt: VehicleType) => !Number.isFinite(singletonCost(inst, vt, u)))) {
    return {
      reason: 'TIME_WINDOW_UNREACHABLE',
      message: 'no vehicle that can carry it can reach it within its time window and return before the shift ends',
    };
  }
  return null;
}

/**
 * `shortfall` is a proof that no plan within the fleet serves every stop
 * (see fleet-bound.ts), or null when none is known: then the message says
 * only that the search found no room in its time budget.
 */
export function describeUnserved(inst: Instance, u: number, shortfall: string | null = null): UnservedStop {
  const why = intrinsicReason(inst, u) ?? {
    reason: 'FLEET_TOO_SMALL' as const,
    message: shortfall
      ? `no plan within the fleet can serve every stop: ${shortfall}`
      : 'servable on its own, but no plan serving it within the fleet limit was found in the time budget',
  };
  return { stopId: inst.nodeIds[u] as string, stopIndex: u - inst.depotCount, ...why };
}
