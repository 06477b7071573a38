import { builder } from '../builder.ts';

export const DistanceSourceType = builder.enumType('DistanceSource', {
  description: 'Which distance a quote was priced on.',
  values: {
    DIRECT: { description: 'The great-circle distance from pickup to dropoff (before planning).' },
    PLANNED: { description: "The order's equal share of its planned route's distance, depot legs included." },
    GIVEN: { description: 'A distance the caller gave (ad hoc quotes).' },
  } as const,
});
