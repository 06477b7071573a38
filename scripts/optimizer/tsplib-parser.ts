import { inputError, type ProblemInput, type StopInput } from '../../subgraphs/planning/domain/optimizer/problem-input.ts';

/**
 * TSPLIB / CVRPLIB `.vrp` parser (pure: text in, native problem out).
 *
 * Supports EUC_2D (nint rounding), CEIL_2D, ATT and EXPLICIT weights in
 * FULL_MATRIX, {UPPER,LOWER}_ROW, {UPPER,LOWER}_DIAG_ROW and their _COL
 * twins; CAPACITY, DEMAND_SECTION, DEPOT_SECTION, optional VEHICLES,
 * DISTANCE (route length limit) and SERVICE_TIME. The vehicle count comes
 * from VEHICLES, else from a `-kN` name suffix, else the fleet is unlimited.
 * Customers keep file order, so `.sol` numbering matches CVRPLIB.
 */
export function parseTsplib(text: string): ProblemInput {
  const lines = text.split(/\r?\n/);
  const header = new Map<string, string>();
  let coords: ([number, number] | undefined)[] = [];
  let demands: (number | undefined)[] = [];
  const depots: number[] = [];
  let weights: number[] | null = null;
  let dimension = 0;

  const fail = (line: number, message: string): never => {
    throw inputError(`line ${line + 1}`, message);
  };
  const needDimension = (line: number): number => {
    if (dimension > 0) return dimension;
    const d = Number(header.get('DIMENSION'));
    if (!Number.isInteger(d) || d < 2) fail(line, 'DIMENSION must be given (an integer >= 2) before the data sections');
    dimension = d;
    coords = new Array<[number, number] | undefined>(d);
    demands = new Array<number | undefined>(d);
    return d;
  };
  const numbers = (line: number): number[] => {
    const raw = (lines[line] ?? '').trim();
    if (raw === '') return [];
    return raw.split(/\s+/).map((tok) => {
      const v = Number(tok);
      if (!Number.isFinite(v)) fail(line, `expected a number, got "${tok}"`);
      return v;
    });
  };
  const nodeIndex = (id: number, line: number, n: number): number => {
    if (!Number.isInteger(id) || id < 1 || id > n) fail(line, `node id ${id} is outside 1..${n}`);
    return id - 1;
  };

  let i = 0;
  while (i < lines.length) {
    const raw = (lines[i] ?? '').trim();
    if (raw === '') {
      i++;
      continue;
    }
    if (raw === 'EOF') break;
    const section = /^([A-Z_]+_SECTION)\s*:?\s*$/.exec(raw);
    if (section) {
      const name = section[1] as string;
      const n = needDimension(i);
      i++;
      if (name === 'NODE_COORD_SECTION' || name === 'DISPLAY_DATA_SECTION') {
        for (let k = 0; k < n; k++, i++) {
          const nums = numbers(i);
          if (nums.length < 3) fail(i, `${name}: expected "id x y", got "${(lines[i] ?? '').trim()}"`);
          if (name === 'NODE_COORD_SECTION') coords[nodeIndex(nums[0] as number, i, n)] = [nums[1] as number, nums[2] as number];
        }
      } else if (name === 'DEMAND_SECTION') {
        for (let k = 0; k < n; k++, i++) {
          const nums = numbers(i);
          if (nums.length !== 2) fail(i, `DEMAND_SECTION: expected "id demand", got "${(lines[i] ?? '').trim()}"`);
          const d = nums[1] as number;
          if (d < 0) fail(i, `negative demand ${d} for node ${nums[0]}`);
          demands[nodeIndex(nums[0] as number, i, n)] = d;
        }
      } else if (name === 'DEPOT_SECTION') {
        for (;;) {
          if (i >= lines.length) fail(i - 1, 'DEPOT_SECTION must end with -1');
          const nums = numbers(i);
          i++;
          if (nums.length === 0) continue;
          if (nums[0] === -1) break;
          for (const id of nums) depots.push(nodeIndex(id, i - 1, n));
        }
      } else if (name === 'EDGE_WEIGHT_SECTION') {
        const format = header.get('EDGE_WEIGHT_FORMAT') ?? 'FULL_MATRIX';
        const need = weightCount(format, n);
        if (need < 0) fail(i - 1, `unsupported EDGE_WEIGHT_FORMAT "${format}"`);
        weights = [];
        while (weights.length < need) {
          if (i >= lines.length) fail(i - 1, `EDGE_WEIGHT_SECTION ended after ${weights.length} of ${need} weights`);
          if (/^[A-Z_]+/.test((lines[i] ?? '').trim())) fail(i, `EDGE_WEIGHT_SECTION ended after ${weights.length} of ${need} weights`);
          for (const w of numbers(i)) {
            if (w < 0) fail(i, `negative distance ${w}`);
            weights.push(w);
          }
          i++;
        }
        if (weights.length > need) fail(i - 1, `EDGE_WEIGHT_SECTION has ${weights.length} weights, expected ${need}`);
      } else {
        fail(i - 1, `unsupported section ${name}`);
      }
      continue;
    }
    const kv = /^([A-Za-z_]+)\s*:\s*(.*)$/.exec(raw);
    if (!kv) fail(i, `cannot read "${raw}"`);
    header.set((kv?.[1] as string).toUpperCase(), (kv?.[2] as string).trim());
    i++;
  }

  const n = needDimension(lines.length - 1);
  const type = header.get('TYPE');
  if (type !== undefined && type !== 'CVRP') throw inputError('TYPE', `unsupported problem type "${type}" (only CVRP)`);
  const capacity = Number(header.get('CAPACITY'));
  if (!Number.isFinite(capacity) || capacity <= 0) throw inputError('CAPACITY', 'CAPACITY must be a positive number');
  const ewt = header.get('EDGE_WEIGHT_TYPE') ?? (weights ? 'EXPLICIT' : 'EUC_2D');
  if (depots.length > 1) throw inputError('DEPOT_SECTION', 'only single-depot instances are supported');
  const depot = depots[0] ?? 0;
  const order = [depot, ...Array.from({ length: n }, (_, k) => k).filter((k) => k !== depot)];
  for (let k = 0; k < n; k++) if (demands[k] === undefined) throw inputError('DEMAND_SECTION', `missing demand for node ${k + 1}`);

  const name = header.get('NAME') ?? 'vrp';
  const vehiclesField = header.get('VEHICLES');
  const kSuffix = /-k(\d+)\b/i.exec(name);
  const vehicleCount = vehiclesField !== undefined ? Number(vehiclesField) : kSuffix ? Number(kSuffix[1]) : undefined;
  if (vehicleCount !== undefined && (!Number.isInteger(vehicleCount) || vehicleCount < 1)) {
    throw inputError('VEHICLES', `vehicle count must be a positive integer, got "${vehiclesField}"`);
  }
  const maxLength = header.get('DISTANCE') !== undefined ? Number(header.get('DISTANCE')) : undefined;
  const service = header.get('SERVICE_TIME') !== undefined ? Number(header.get('SERVICE_TIME')) : 0;
  if (maxLength !== undefined && !(maxLength > 0)) throw inputError('DISTANCE', 'DISTANCE must be a positive number');
  if (!(service >= 0)) throw inputError('SERVICE_TIME', 'SERVICE_TIME must be a non-negative number');

  const problem: ProblemInput = {
    name,
    depots: [{ id: String(depot + 1) }],
    stops: order.slice(1).map((k): StopInput => ({ id: String(k + 1), demand: demands[k] as number, ...(service > 0 ? { serviceTime: service } : {}) })),
    vehicles: [
      {
        id: 'vehicle',
        capacity,
        // Unlimited fleet: one vehicle per customer can never bind.
        count: vehicleCount ?? Math.max(1, n - 1),
        ...(maxLength !== undefined ? { shiftEnd: maxLength } : {}),
      },
    ],
  };

  if (ewt === 'EUC_2D' || ewt === 'CEIL_2D' || ewt === 'ATT') {
    const xy = order.map((k) => {
      const c = coords[k];
      if (!c) throw inputError('NODE_COORD_SECTION', `missing coordinates for node ${k + 1}`);
      return c;
    });
    if (ewt === 'ATT') {
      problem.metric = 'matrix';
      problem.matrix = { distances: xy.map((a) => xy.map((b) => attDistance(a, b))) };
    } else {
      problem.metric = 'euclidean';
      problem.rounding = ewt === 'EUC_2D' ? 'nearest' : 'ceil';
      problem.depots = [{ id: String(depot + 1), x: (xy[0] as [number, number])[0], y: (xy[0] as [number, number])[1] }];
      problem.stops = problem.stops.map((s, k) => ({ ...s, x: (xy[k + 1] as [number, number])[0], y: (xy[k + 1] as [number, number])[1] }));
    }
  } else if (ewt === 'EXPLICIT') {
    if (!weights) throw inputError('EDGE_WEIGHT_SECTION', 'EXPLICIT weights need an EDGE_WEIGHT_SECTION');
    const full = expandWeights(header.get('EDGE_WEIGHT_FORMAT') ?? 'FULL_MATRIX', weights, n);
    problem.metric = 'matrix';
    problem.matrix = { distances: order.map((a) => order.map((b) => (full[a] as number[])[b] as number)) };
  } else {
    throw inputError('EDGE_WEIGHT_TYPE', `unsupported EDGE_WEIGHT_TYPE "${ewt}" (supported: EUC_2D, CEIL_2D, ATT, EXPLICIT)`);
  }
  return problem;
}

/** TSPLIB pseudo-Euclidean (ATT) distance. */
function attDistance(a: [number, number], b: [number, number]): number {
  const r = Math.sqrt(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / 10);
  const t = Math.floor(r + 0.5);
  return t < r ? t + 1 : t;
}

/** Column formats of a symmetric matrix list the same numbers as a row format. */
const COLUMN_TWIN: Record<string, string> = {
  UPPER_COL: 'LOWER_ROW',
  LOWER_COL: 'UPPER_ROW',
  UPPER_DIAG_COL: 'LOWER_DIAG_ROW',
  LOWER_DIAG_COL: 'UPPER_DIAG_ROW',
};

function weightCount(format: string, n: number): number {
  switch (COLUMN_TWIN[format] ?? format) {
    case 'FULL_MATRIX':
      return n * n;
    case 'UPPER_ROW':
    case 'LOWER_ROW':
      return (n * (n - 1)) / 2;
    case 'UPPER_DIAG_ROW':
    case 'LOWER_DIAG_ROW':
      return (n * (n + 1)) / 2;
    default:
      return -1;
  }
}

/** Expands a TSPLIB weight list into a full n x n matrix (file node order). */
export function expandWeights(format: string, w: readonly number[], n: number): number[][] {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let k = 0;
  const set = (i: number, j: number): void => {
    const v = w[k++] as number;
    (m[i] as number[])[j] = v;
    (m[j] as number[])[i] = v;
  };
  switch (COLUMN_TWIN[format] ?? format) {
    case 'FULL_MATRIX':
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (m[i] as number[])[j] = w[k++] as number;
      break;
    case 'UPPER_ROW':
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) set(i, j);
      break;
    case 'LOWER_ROW':
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) set(i, j);
      break;
    case 'UPPER_DIAG_ROW':
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j);
      break;
    case 'LOWER_DIAG_ROW':
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) set(i, j);
      break;
    default:
      throw inputError('EDGE_WEIGHT_FORMAT', `unsupported EDGE_WEIGHT_FORMAT "${format}"`);
  }
  return m;
}
