import { describe, expect, it } from 'vitest';
import { buildInstance } from './instance.ts';
import { generateVrptw } from './testing/instance-generator.ts';
import type { ProblemInput } from './problem-input.ts';
import { createRng, shuffle } from './rng.ts';
import { bestInRoute } from './insertion.ts';
import { makeRoute } from './route.ts';
import { concat, concatAll, nodeSegment, routeSegments, routeTimeWarp, SegmentJoin } from './time-warp.ts';

// On a line: depot at 0, stops at 10, 20, 30; travel time = distance, no service.
const line = (windows: [number, number][]): ProblemInput => ({
  metric: 'euclidean',
  depots: [{ id: 'D', x: 0, y: 0 }],
  stops: windows.map((w, i) => ({ id: `s${i + 1}`, x: 10 * (i + 1), y: 0, demand: 1, timeWindow: w })),
  vehicles: [{ id: 'v', capacity: 10, shiftStart: 0, shiftEnd: 1000, count: 3 }],
});

/** Time warp by simulation: arrive, wait if early, warp back to the due time if late. */
function simulatedWarp(inst: ReturnType<typeof buildInstance>, nodes: number[]): number {
  const n = inst.nodeCount;
  const vt = inst.vehicleTypes[0]!;
  let t = vt.shiftStart;
  let prev = vt.startNode;
  let warp = 0;
  for (const u of nodes) {
    t = Math.max(t + inst.time[prev * n + u]!, inst.ready[u]!);
    if (t > inst.due[u]!) {
      warp += t - inst.due[u]!;
      t = inst.due[u]!;
    }
    t += inst.service[u]!;
    prev = u;
  }
  t += inst.time[prev * n + vt.endNode]!;
  if (t > vt.shiftEnd) warp += t - vt.shiftEnd;
  return warp;
}

describe('time warp', () => {
  it('given a stop reached after its window closes, when the route is summarised, then the warp is the lateness', () => {
    // s1 opens at 40: serving it first reaches s2 (due 25) at 50, 25 units late.
    const inst = buildInstance(line([[40, 100], [0, 25], [0, 100]]));
    expect(routeTimeWarp(inst, makeRoute(inst, 0, [1, 2, 3]))).toBeCloseTo(25, 9);
    // Visiting s2 first is on time for everyone.
    expect(routeTimeWarp(inst, makeRoute(inst, 0, [2, 1, 3]))).toBe(0);
  });

  it('given an early arrival, when the route is summarised, then waiting is no warp and the duration includes it', () => {
    const inst = buildInstance(line([[50, 60], [0, 100], [0, 100]]));
    const whole = concatAll(inst, [routeSegments(inst, makeRoute(inst, 0, [1])).forward[1]!, routeSegments(inst, makeRoute(inst, 0, [1])).backward[1]!]);
    expect(whole.timeWarp).toBe(0);
    // Leave at 0, wait 40 at s1 (from 10 to 50), back at 60; or leave at 40 and not wait: 20 in all.
    expect(whole.duration).toBe(20);
  });

  it('given random routes of a Solomon-like instance, when concatenated, then the warp matches a simulation and zero warp means feasible', () => {
    const inst = buildInstance(generateVrptw({ customers: 40, kind: 'R', seed: 3 }));
    const rng = createRng(5);
    const stops = Array.from({ length: inst.stopCount }, (_, i) => i + inst.depotCount);
    let feasibleSeen = 0;
    for (let trial = 0; trial < 200; trial++) {
      const nodes = shuffle(stops.slice(), rng).slice(0, 1 + rng.int(8));
      const r = makeRoute(inst, 0, nodes);
      const warp = routeTimeWarp(inst, r);
      expect(warp).toBeCloseTo(simulatedWarp(inst, nodes), 6);
      expect(warp <= 1e-7).toBe(r.timeOk);
      if (r.timeOk) feasibleSeen++;
      // Any cut of the route: prefix then suffix gives the whole.
      const seg = routeSegments(inst, r);
      for (let p = 0; p <= nodes.length; p++) expect(concat(inst, seg.forward[p]!, seg.backward[p]!).timeWarp).toBeCloseTo(warp, 6);
      // O(1) relocation pricing: take the first stop out and put it last, against the rebuilt route.
      if (nodes.length >= 2) {
        const moved = [...nodes.slice(1), nodes[0]!];
        const priced = concatAll(inst, [seg.forward[0]!, ...nodes.slice(1).map((u) => nodeSegment(inst, u)), nodeSegment(inst, nodes[0]!), seg.backward[nodes.length]!]);
        expect(priced.timeWarp).toBeCloseTo(routeTimeWarp(inst, makeRoute(inst, 0, moved)), 6);
        expect(priced.distance).toBeCloseTo(makeRoute(inst, 0, moved).distance, 6);
      }
    }
    expect(feasibleSeen).toBeGreaterThan(0);
  });

  it('given a stop that fits nowhere on time, when insertion prices time warp, then it goes where the lateness and detour cost least instead of nowhere', () => {
    // s2 sits 20 from the depot but is due at 15: five units late at best.
    const inst = buildInstance(line([[0, 100], [0, 15], [0, 100]]));
    const r = makeRoute(inst, 0, [1, 3]);
    expect(bestInRoute(inst, r, 2, null, 0).delta).toBe(Infinity);
    // Between s1 and s3 (on the way, no detour), 5 late at 10 per unit: 50.
    expect(bestInRoute(inst, r, 2, null, 0, Infinity, 10)).toEqual({ delta: 50, pos: 1 });
    // Lateness cheap enough, the same; the price is what the route warp grows by.
    const moved = makeRoute(inst, 0, [1, 2, 3]);
    expect(routeTimeWarp(inst, moved) * 10 + moved.distance - r.distance).toBeCloseTo(50, 9);
  });

  it('given random joins of prefixes, stops and suffixes, when built in place, then every field equals concat to the bit', () => {
    const inst = buildInstance(generateVrptw({ customers: 40, kind: 'RC', seed: 7 }));
    const rng = createRng(11);
    const stops = Array.from({ length: inst.stopCount }, (_, i) => i + inst.depotCount);
    const join = new SegmentJoin(inst);
    for (let trial = 0; trial < 200; trial++) {
      const nodes = shuffle(stops.slice(), rng).slice(0, 2 + rng.int(8));
      const seg = routeSegments(inst, makeRoute(inst, 0, nodes.slice(1)));
      const p = rng.int(nodes.length);
      const u = nodes[0]!;
      const other = stops[rng.int(stops.length)]!;
      // prefix, u, other, suffix; and other put before u in place (afterNode).
      const expected = concatAll(inst, [seg.forward[p]!, nodeSegment(inst, u), nodeSegment(inst, other), seg.backward[p]!]);
      expect({ ...join.set(seg.forward[p]!).thenNode(u).thenNode(other).then(seg.backward[p]!) }).toEqual({ ...expected, inst });
      const pair = concat(inst, nodeSegment(inst, other), nodeSegment(inst, u));
      expect({ ...join.setNode(u).afterNode(other) }).toEqual({ ...pair, inst });
      expect(seg.timeWarp).toBe(concat(inst, seg.forward[nodes.length - 1]!, seg.backward[nodes.length - 1]!).timeWarp);
    }
  });
});
