import { builder } from '../builder.ts';

export const KpiRangeInput = builder.inputType('KpiRangeInput', {
  description: 'A half-open range [from, to): it must end after it starts and span at most the configured maximum (366 days by default).',
  fields: (t) => ({
    from: t.field({ type: 'DateTime', required: true }),
    to: t.field({ type: 'DateTime', required: true, description: 'Exclusive.' }),
  }),
});
