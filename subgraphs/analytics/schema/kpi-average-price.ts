import { builder } from '../builder.ts';
import type { PriceRow } from '../services/kpi-source.ts';

export const KpiAveragePriceType = builder.objectRef<PriceRow>('KpiAveragePrice').implement({
  description:
    'What orders created in the period (and not cancelled) were quoted, in one currency: the sums and the weighted averages total/km and total/kg.',
  fields: (t) => ({
    currency: t.exposeString('currency', { description: 'ISO 4217.' }),
    orders: t.exposeInt('orders', { description: 'Quoted orders counted.' }),
    total: t.exposeString('total', { description: 'Sum of their latest quotes, exact decimal.' }),
    distanceKm: t.exposeString('distanceKm', { description: 'Sum of the distances they were priced on.' }),
    weightKg: t.exposeString('weightKg', { description: 'Sum of their weights.' }),
    perKm: t.exposeString('perKm', { nullable: true, description: 'total / distanceKm, rounded half away from zero to 4 places; null when the distance is 0.' }),
    perKg: t.exposeString('perKg', { nullable: true, description: 'total / weightKg, rounded half away from zero to 4 places; null when the weight is 0.' }),
  }),
});
