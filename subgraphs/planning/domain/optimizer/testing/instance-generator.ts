import type { ProblemInput, StopInput } from '../problem-input.ts';
import { createRng, type Rng } from '../rng.ts';

/**
 * Seeded synthetic instances in the style of the classical sets (the
 * originals cannot be downloaded here): CVRP with random or clustered
 * customers on a 1000x1000 grid with TSPLIB rounding, and Solomon-like
 * R / C / RC VRPTW instances on a 100x100 grid with one-decimal truncation.
 */

export type CvrpLayout = 'random' | 'clustered';

export interface CvrpSpec {
  customers: number;
  layout: CvrpLayout;
  seed: number;
  /** Mean customers per route; sets the capacity. Default 10. */
  routeSize?: number;
  /** Depot in the centre (default) or a corner. */
  depot?: 'centre' | 'corner';
}

function clusteredPoints(rng: Rng, count: number, size: number, clusters: number, spread: number): [number, number][] {
  const centres: [number, number][] = [];
  for (let c = 0; c < clusters; c++) centres.push([rng.range(0.1 * size, 0.9 * size), rng.range(0.1 * size, 0.9 * size)]);
  const pts: [number, number][] = [];
  while (pts.length < count) {
    const c = centres[rng.int(clusters)] as [number, number];
    // Box-Muller normal around the centre, clamped to the grid.
    const r = Math.sqrt(-2 * Math.log(1 - rng.next())) * spread;
    const a = 2 * Math.PI * rng.next();
    const x = Math.round(c[0] + r * Math.cos(a));
    const y = Math.round(c[1] + r * Math.sin(a));
    if (x >= 0 && x <= size && y >= 0 && y <= size) pts.push([x, y]);
  }
  return pts;
}

export function generateCvrp(spec: CvrpSpec): ProblemInput {
  const rng = createRng(spec.seed * 7919 + spec.customers);
  const size = 1000;
  const pts =
    spec.layout === 'random'
      ? Array.from({ length: spec.customers }, (): [number, number] => [rng.int(size + 1), rng.int(size + 1)])
      : clusteredPoints(rng, spec.customers, size, Math.max(3, Math.round(spec.customers / 25)), 60);
  const demands = pts.map(() => 1 + rng.int(100));
  const total = demands.reduce((a, b) => a + b, 0);
  const routeSize = spec.routeSize ?? 10;
  const capacity = Math.max(100, Math.ceil((total / spec.customers) * routeSize));
  const depot = spec.depot === 'corner' ? { x: 0, y: 0 } : { x: size / 2, y: size / 2 };
  return {
    name: `gen-cvrp-${spec.layout}-n${spec.customers}-s${spec.seed}`,
    metric: 'euclidean',
    rounding: 'nearest',
    depots: [{ id: 'depot', ...depot }],
    stops: pts.map(([x, y], i) => ({ id: `c${i + 1}`, x, y, demand: demands[i] as number })),
    vehicles: [{ id: 'truck', capacity, count: spec.customers }],
  };
}

export type SolomonClass = 'R' | 'C' | 'RC';

export interface VrptwSpec {
  customers: number;
  kind: SolomonClass;
  seed: number;
  /** Horizon of the depot; short (type 1, ~230) or long (type 2, ~1000). */
  horizon?: number;
  /** Fraction of customers with a (tight) window; the rest get the full horizon. */
  windowDensity?: number;
}

export function generateVrptw(spec: VrptwSpec): ProblemInput {
  const rng = createRng(spec.seed * 104729 + spec.customers);
  const size = 100;
  const random = (k: number): [number, number][] => Array.from({ length: k }, (): [number, number] => [rng.int(size + 1), rng.int(size + 1)]);
  let pts: [number, number][];
  if (spec.kind === 'R') pts = random(spec.customers);
  else if (spec.kind === 'C') pts = clusteredPoints(rng, spec.customers, size, Math.max(2, Math.round(spec.customers / 10)), 4);
  else {
    const half = Math.floor(spec.customers / 2);
    pts = [...clusteredPoints(rng, half, size, Math.max(2, Math.round(half / 8)), 5), ...random(spec.customers - half)];
  }
  const depot: [number, number] = [size / 2 - 15 + rng.int(31), size / 2 - 15 + rng.int(31)];
  const service = spec.kind === 'C' ? 90 : 10;
  const horizon = spec.horizon ?? (spec.kind === 'C' ? 1236 : 230);
  const density = spec.windowDensity ?? 0.75;
  const trunc = (a: [number, number], b: [number, number]): number => Math.floor(Math.hypot(a[0] - b[0], a[1] - b[1]) * 10) / 10;
  const stops: StopInput[] = pts.map(([x, y], i) => {
    const toDepot = trunc([x, y], depot);
    const earliest = Math.ceil(toDepot);
    const latest = Math.floor(horizon - toDepot - service);
    const stop: StopInput = { id: `c${i + 1}`, x, y, demand: 1 + rng.int(40), serviceTime: service };
    if (latest < earliest) {
      stop.timeWindow = [0, horizon];
      return stop;
    }
    if (rng.next() < density) {
      const centre = earliest + rng.int(latest - earliest + 1);
      const half = spec.kind === 'C' ? 30 + rng.int(60) : 5 + rng.int(25);
      stop.timeWindow = [Math.max(0, centre - half), Math.min(latest, centre + half)];
    } else stop.timeWindow = [0, latest];
    return stop;
  });
  return {
    name: `gen-vrptw-${spec.kind}-n${spec.customers}-s${spec.seed}`,
    metric: 'euclidean',
    rounding: 'truncate-1dp',
    depots: [{ id: 'depot', x: depot[0], y: depot[1] }],
    stops,
    // Solomon's 25 vehicles, scaled up so that large instances stay servable.
    vehicles: [{ id: 'truck', capacity: 200, count: Math.max(25, Math.ceil(spec.customers / 4)), shiftStart: 0, shiftEnd: horizon }],
  };
}

export interface PlantedSpec {
  customers: number;
  seed: number;
  layout?: CvrpLayout;
  /** Vehicle capacity; default 1000. */
  capacity?: number;
  /** Smallest and largest parcel as a share of the capacity; default 0.05 and 0.33. */
  minShare?: number;
  maxShare?: number;
}

export interface PlantedInstance {
  problem: ProblemInput;
  /** Vehicles of the planted plan: every one loaded to exactly its capacity. */
  vehicles: number;
  /** The planted plan (stop indices per route), proof that `vehicles` suffice. */
  plan: number[][];
}

/**
 * A capacity-tight CVRP instance with a known plan: routes are made first,
 * each loaded to exactly the capacity with parcels of 5-33% of a vehicle,
 * then the customers are shuffled and relabelled. With the fleet fixed at
 * the planted count, total demand equals total capacity, so a plan serving
 * every customer exists but leaves no slack at all.
 */
export function generatePlanted(spec: PlantedSpec): PlantedInstance {
  const rng = createRng(spec.seed * 15485863 + spec.customers);
  const Q = spec.capacity ?? 1000;
  const lo = Math.ceil((spec.minShare ?? 0.05) * Q);
  const hi = Math.floor((spec.maxShare ?? 0.33) * Q);
  // Stops per route between ceil(Q / hi) and floor(Q / lo) make an exact fill possible.
  const minSize = Math.ceil(Q / hi);
  const maxSize = Math.max(minSize, Math.min(Math.floor(Q / lo), minSize + 4));
  const n = spec.customers;
  const k = Math.max(1, Math.round(n / ((minSize + maxSize) / 2)));
  if (n < k * minSize || n > k * maxSize) throw new Error(`cannot plant ${n} customers on ${k} routes`);
  const sizes = new Array<number>(k).fill(minSize);
  for (let extra = n - k * minSize; extra > 0; ) {
    const r = rng.int(k);
    if ((sizes[r] as number) < maxSize) {
      sizes[r] = (sizes[r] as number) + 1;
      extra--;
    }
  }
  const demands: number[] = [];
  const routeOf: number[] = [];
  sizes.forEach((m, r) => {
    // Start every parcel at the minimum, then hand out the rest in random
    // chunks without passing the maximum: the route ends exactly full.
    const d = new Array<number>(m).fill(lo);
    let rest = Q - m * lo;
    while (rest > 0) {
      const i = rng.int(m);
      const room = hi - (d[i] as number);
      if (room <= 0) continue;
      const add = Math.min(rest, room, 1 + rng.int(Math.max(1, Math.round(Q / 20))));
      d[i] = (d[i] as number) + add;
      rest -= add;
    }
    for (const x of d) {
      demands.push(x);
      routeOf.push(r);
    }
  });
  // Shuffle so that file order says nothing about the planted routes.
  const order = demands.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  const size = 1000;
  const pts =
    spec.layout === 'clustered'
      ? clusteredPoints(rng, n, size, Math.max(3, Math.round(n / 25)), 60)
      : Array.from({ length: n }, (): [number, number] => [rng.int(size + 1), rng.int(size + 1)]);
  const plan: number[][] = Array.from({ length: k }, () => []);
  order.forEach((orig, i) => (plan[routeOf[orig] as number] as number[]).push(i));
  return {
    problem: {
      name: `planted-${spec.layout ?? 'random'}-n${n}-k${k}-s${spec.seed}`,
      metric: 'euclidean',
      rounding: 'nearest',
      depots: [{ id: 'depot', x: size / 2, y: size / 2 }],
      stops: order.map((orig, i) => {
        const [x, y] = pts[i] as [number, number];
        return { id: `c${i + 1}`, x, y, demand: demands[orig] as number };
      }),
      vehicles: [{ id: 'truck', capacity: Q, count: k }],
    },
    vehicles: k,
    plan,
  };
}
