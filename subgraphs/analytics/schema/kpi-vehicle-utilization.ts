import { builder } from '../builder.ts';
import type { VehicleRow } from '../services/kpi-source.ts';
import { VehicleRef } from './refs.ts';

export const KpiVehicleUtilizationType = builder.objectRef<VehicleRow>('KpiVehicleUtilization').implement({
  description: "One vehicle's routes planned for days in the period, as their newest plan stands: distance and load.",
  fields: (t) => ({
    vehicleId: t.exposeID('vehicleId'),
    vehicle: t.field({
      type: VehicleRef,
      nullable: true,
      description: 'Resolved by planning (name, capacityKg); null when the caller may not see it.',
      resolve: (v) => ({ id: v.vehicleId }),
    }),
    routes: t.exposeInt('routes'),
    stops: t.exposeInt('stops'),
    distanceKm: t.exposeString('distanceKm', { description: 'Planned distance of its routes, exact decimal km.' }),
    loadKg: t.exposeString('loadKg', { description: 'Weight of the orders on its routes, exact decimal kg.' }),
    averageLoadKg: t.exposeString('averageLoadKg', { description: 'loadKg per route, rounded to grams; compare with vehicle { capacityKg }.' }),
  }),
});
