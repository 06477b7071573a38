import { builder } from '../builder.ts';

export const KpiGroupingType = builder.enumType('KpiGrouping', {
  description: 'How a KPI series is cut into periods, in UTC.',
  values: {
    DAY: { description: 'Calendar days.' },
    WEEK: { description: 'ISO weeks, Monday to Sunday.' },
    MONTH: { description: 'Calendar months.' },
  } as const,
});
