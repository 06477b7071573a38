import { coordinateMatrix, euclidean, haversineKm } from './distance.ts';
import type { LoadInput, Objective, ProblemInput } from './problem-input.ts';
import { assertValidProblem } from './validate.ts';

/**
 * A class of identical vehicles. Routes are bound to a type; the search only
 * ever needs to know how many of each type are in use.
 */
export interface VehicleType {
  id: string;
  count: number;
  startNode: number;
  endNode: number;
  capacity: number;
  volumeCapacity: number;
  shiftStart: number;
  shiftEnd: number;
}

/**
 * Normalised problem in flat typed arrays. Nodes 0..depotCount-1 are depots,
 * depotCount..nodeCount-1 are stops in input order.
 */
export interface Instance {
  name: string;
  nodeCount: number;
  depotCount: number;
  stopCount: number;
  nodeIds: string[];
  /** Row-major nodeCount^2. */
  dist: Float64Array;
  /** Travel times, row-major; may be the same array as `dist`. */
  time: Float64Array;
  demand: Float64Array;
  volume: Float64Array;
  service: Float64Array;
  ready: Float64Array;
  due: Float64Array;
  vehicleTypes: VehicleType[];
  maxVehicles: number;
  /** False when no window or shift end is finite: time checks can be skipped. */
  hasTime: boolean;
  hasVolume: boolean;
  symmetric: boolean;
  /** Every distance is an integer: costs print without decimals. */
  integral: boolean;
  objective: Objective;
}

const loadOf = (v: number | LoadInput | undefined): { weight: number; volume: number | undefined } =>
  v === undefined ? { weight: 0, volume: undefined } : typeof v === 'number' ? { weight: v, volume: undefined } : { weight: v.weight, volume: v.volume };

/** Validates (throws OptimizerInputError) and builds the flat instance. */
export function buildInstance(raw: unknown): Instance {
  const input: ProblemInput = assertValidProblem(raw);
  const depotCount = input.depots.length;
  const stopCount = input.stops.length;
  const n = depotCount + stopCount;
  const locs = [...input.depots, ...input.stops];
  const metric = input.metric ?? (input.matrix ? 'matrix' : input.depots[0]?.lat !== undefined ? 'haversine' : 'euclidean');
  const rounding = input.rounding ?? 'none';
  const speed = input.speed ?? 1;

  let dist: Float64Array;
  if (metric === 'matrix') {
    dist = fromRows(input.matrix?.distances ?? [], n);
  } else {
    const fn =
      metric === 'haversine'
        ? (i: number, j: number) => haversineKm(locs[i]?.lat ?? 0, locs[i]?.lon ?? 0, locs[j]?.lat ?? 0, locs[j]?.lon ?? 0)
        : (i: number, j: number) => euclidean(locs[i]?.x ?? 0, locs[i]?.y ?? 0, locs[j]?.x ?? 0, locs[j]?.y ?? 0);
    dist = coordinateMatrix(n, fn, rounding);
  }
  let time: Float64Array;
  if (metric === 'matrix' && input.matrix?.durations) time = fromRows(input.matrix.durations, n);
  else if (speed === 1) time = dist;
  else time = dist.map((d) => d / speed);

  const demand = new Float64Array(n);
  const volume = new Float64Array(n);
  const service = new Float64Array(n);
  const ready = new Float64Array(n).fill(-Infinity);
  const due = new Float64Array(n).fill(Infinity);
  let hasVolume = false;
  let hasTime = false;
  input.stops.forEach((s, i) => {
    const node = depotCount + i;
    const l = loadOf(s.demand);
    demand[node] = l.weight;
    volume[node] = l.volume ?? 0;
    if ((l.volume ?? 0) > 0) hasVolume = true;
    service[node] = s.serviceTime ?? 0;
    if (s.timeWindow) {
      ready[node] = s.timeWindow[0];
      due[node] = s.timeWindow[1];
      hasTime = true;
    }
  });

  const vehicleTypes: VehicleType[] = input.vehicles.map((v) => {
    const cap = loadOf(v.capacity);
    const shiftEnd = v.shiftEnd ?? Infinity;
    if (Number.isFinite(shiftEnd)) hasTime = true;
    const startNode = v.startDepot ?? 0;
    return {
      id: v.id,
      count: v.count ?? 1,
      startNode,
      endNode: v.endDepot ?? startNode,
      capacity: cap.weight,
      // A vehicle without a volume capacity is not limited by volume.
      volumeCapacity: cap.volume ?? Infinity,
      shiftStart: v.shiftStart ?? 0,
      shiftEnd,
    };
  });
  const fleet = vehicleTypes.reduce((a, t) => a + t.count, 0);

  let symmetric = true;
  let integral = true;
  for (let i = 0; i < n && (symmetric || integral); i++) {
    for (let j = 0; j < n; j++) {
      const d = dist[i * n + j] as number;
      if (d !== dist[j * n + i]) symmetric = false;
      if (!Number.isInteger(d)) integral = false;
    }
  }

  return {
    name: input.name ?? 'problem',
    nodeCount: n,
    depotCount,
    stopCount,
    nodeIds: locs.map((l) => l.id),
    dist,
    time,
    demand,
    volume,
    service,
    ready,
    due,
    vehicleTypes,
    maxVehicles: Math.min(fleet, input.maxVehicles ?? fleet),
    hasTime,
    hasVolume,
    symmetric,
    integral,
    objective: input.objective ?? 'distance',
  };
}

function fromRows(rows: number[][], n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i] ?? [];
    for (let j = 0; j < n; j++) m[i * n + j] = row[j] ?? 0;
  }
  return m;
}
