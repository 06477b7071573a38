import { builder } from '../builder.ts';
import type { Period } from '../domain/periods.ts';
import { EMPTY_COUNTS, keyOf, onTimeOf } from '../services/figures.ts';
import type { Counts, KpiSource } from '../services/kpi-source.ts';
import { KpiAveragePriceType } from './kpi-average-price.ts';
import { KpiOnTimeType } from './kpi-on-time.ts';
import { KpiRevenueType } from './kpi-revenue.ts';
import { KpiVehicleUtilizationType } from './kpi-vehicle-utilization.ts';

/** A period and where its figures come from; each field runs (once) only the query it needs. */
export interface KpiPeriodParent {
  period: Period;
  source: KpiSource;
}

const counts = async (p: KpiPeriodParent): Promise<Counts> => (await p.source.counts()).get(keyOf(p.source, p.period)) ?? EMPTY_COUNTS;
const listed = async <T>(p: KpiPeriodParent, load: () => Promise<Map<string, T[]>>): Promise<T[]> => (await load()).get(keyOf(p.source, p.period)) ?? [];

export const KpiPeriodType = builder.objectRef<KpiPeriodParent>('KpiPeriod').implement({
  description: "One period's figures. Each counts what happened inside the requested range, at the instant that says so.",
  fields: (t) => ({
    start: t.field({ type: 'DateTime', resolve: (p) => p.period.start }),
    end: t.field({ type: 'DateTime', description: 'Exclusive.', resolve: (p) => p.period.end }),
    ordersCreated: t.int({ description: 'Orders placed in the period.', resolve: async (p) => (await counts(p)).created }),
    ordersDelivered: t.int({ description: 'Orders delivered in the period.', resolve: async (p) => (await counts(p)).delivered }),
    ordersFailed: t.int({ description: 'Orders with a failed delivery attempt in the period.', resolve: async (p) => (await counts(p)).failed }),
    ordersCancelled: t.int({ description: 'Orders cancelled in the period.', resolve: async (p) => (await counts(p)).cancelled }),
    onTime: t.field({ type: KpiOnTimeType, resolve: async (p) => onTimeOf(await counts(p)) }),
    revenue: t.field({ type: [KpiRevenueType], description: 'Per currency.', resolve: (p) => listed(p, p.source.revenue) }),
    averagePrice: t.field({ type: [KpiAveragePriceType], description: 'Per currency.', resolve: (p) => listed(p, p.source.prices) }),
    vehicles: t.field({ type: [KpiVehicleUtilizationType], description: 'Per vehicle, by vehicle id.', resolve: (p) => listed(p, p.source.vehicles) }),
  }),
});
