import { badInput } from '../../platform/errors.ts';

/**
 * Ad hoc problems run inside the subgraph's process, so their size and budget are bounded:
 * larger fleets belong in `npm run plan`, which has a whole process to itself.
 */
export const AD_HOC_LIMITS = { maxStops: 1_000, timeLimitSeconds: { min: 0.05, max: 10, default: 1 } } as const;

export function checkAdHocProblem(problem: unknown, timeLimitSeconds: number | null | undefined): { timeLimitMs: number } {
  if (!problem || typeof problem !== 'object' || Array.isArray(problem)) throw badInput('problem must be a JSON object.', ['problem']);
  const stops = (problem as { stops?: unknown }).stops;
  if (Array.isArray(stops) && stops.length > AD_HOC_LIMITS.maxStops) {
    throw badInput(`problem.stops: at most ${AD_HOC_LIMITS.maxStops} stops per ad hoc request.`, ['problem', 'stops']);
  }
  const { min, max, default: fallback } = AD_HOC_LIMITS.timeLimitSeconds;
  const seconds = timeLimitSeconds ?? fallback;
  if (!(seconds >= min && seconds <= max)) throw badInput(`timeLimitSeconds must be between ${min} and ${max}.`, ['timeLimitSeconds']);
  return { timeLimitMs: Math.round(seconds * 1000) };
}
