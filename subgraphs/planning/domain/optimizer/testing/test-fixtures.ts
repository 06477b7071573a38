import type { ProblemInput, StopInput } from '../problem-input.ts';
import { createRng } from '../rng.ts';

/**
 * Tiny seeded random instances for tests that compare the optimizer with
 * brute force. Capacity forces two or three routes; windows (optional) are
 * wide enough to keep every stop individually servable.
 */
export function tinyInstance(seed: number, stops: number, withWindows: boolean): ProblemInput {
  const rng = createRng(seed);
  const list: StopInput[] = [];
  let total = 0;
  for (let i = 0; i < stops; i++) {
    const demand = 1 + rng.int(9);
    total += demand;
    const stop: StopInput = { id: `s${i}`, x: rng.int(101), y: rng.int(101), demand };
    if (withWindows) {
      const ready = rng.int(150);
      stop.timeWindow = [ready, ready + 40 + rng.int(120)];
      stop.serviceTime = 5;
    }
    list.push(stop);
  }
  return {
    name: `tiny-${seed}`,
    metric: 'euclidean',
    depots: [{ id: 'depot', x: 50, y: 50 }],
    stops: list,
    vehicles: [
      {
        id: 'van',
        capacity: Math.max(9, Math.ceil(total / 2.5)),
        count: stops,
        ...(withWindows ? { shiftStart: 0, shiftEnd: 600 } : {}),
      },
    ],
  };
}
