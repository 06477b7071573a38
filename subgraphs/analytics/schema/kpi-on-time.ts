import { builder } from '../builder.ts';

export const KpiOnTimeType = builder.objectRef<{ delivered: number; onTime: number; rate: number | null }>('KpiOnTime').implement({
  description: 'Deliveries inside the window the customer asked for (orders without a window are left out).',
  fields: (t) => ({
    delivered: t.exposeInt('delivered', { description: 'Orders delivered in the period that had a delivery window.' }),
    onTime: t.exposeInt('onTime', { description: 'Of those, delivered between the window’s start and end (both included).' }),
    rate: t.float({ nullable: true, description: 'onTime / delivered; null when nothing with a window was delivered.', resolve: (o) => o.rate }),
  }),
});
