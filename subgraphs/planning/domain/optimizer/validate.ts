import { OBJECTIVES, OptimizerInputError, type ProblemInput, type ValidationError } from './problem-input.ts';

const METRICS = new Set(['haversine', 'euclidean', 'matrix']);
const ROUNDINGS = new Set(['none', 'nearest', 'ceil', 'truncate-1dp']);

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Checks an untrusted native problem. Returns every problem found (empty when
 * valid) so that a caller can report them all at once.
 */
export function validateProblem(input: unknown): ValidationError[] {
  const errors: ValidationError[] = [];
  const err = (field: string, message: string): void => {
    errors.push({ code: 'BAD_USER_INPUT', field, message });
  };
  if (!isObj(input)) {
    err('$', 'problem must be a JSON object');
    return errors;
  }
  const nonNeg = (v: unknown, field: string, required: boolean): void => {
    if (v === undefined) {
      if (required) err(field, 'is required');
      return;
    }
    if (!isNum(v)) err(field, 'must be a finite number');
    else if (v < 0) err(field, `must not be negative (got ${v})`);
  };
  const load = (v: unknown, field: string, required: boolean): void => {
    if (v === undefined) {
      if (required) err(field, 'is required');
      return;
    }
    if (isObj(v)) {
      nonNeg(v.weight, `${field}.weight`, true);
      nonNeg(v.volume, `${field}.volume`, false);
    } else nonNeg(v, field, true);
  };

  if (input.name !== undefined && typeof input.name !== 'string') err('name', 'must be a string');
  if (input.metric !== undefined && !METRICS.has(input.metric as string)) {
    err('metric', `must be one of ${[...METRICS].join(', ')}`);
  }
  if (input.rounding !== undefined && !ROUNDINGS.has(input.rounding as string)) {
    err('rounding', `must be one of ${[...ROUNDINGS].join(', ')}`);
  }
  if (input.speed !== undefined && (!isNum(input.speed) || input.speed <= 0)) {
    err('speed', 'must be a positive number');
  }

  const depots = Array.isArray(input.depots) ? input.depots : undefined;
  const stops = Array.isArray(input.stops) ? input.stops : undefined;
  const vehicles = Array.isArray(input.vehicles) ? input.vehicles : undefined;
  if (!depots || depots.length === 0) err('depots', 'must be a non-empty array');
  if (!stops) err('stops', 'must be an array');
  if (!vehicles || vehicles.length === 0) err('vehicles', 'must be a non-empty array');

  const metric =
    (input.metric as string | undefined) ??
    (input.matrix !== undefined
      ? 'matrix'
      : isObj(depots?.[0]) && (depots[0] as Obj).lat !== undefined
        ? 'haversine'
        : 'euclidean');

  const ids = new Set<string>();
  const checkLocation = (loc: unknown, field: string): loc is Obj => {
    if (!isObj(loc)) {
      err(field, 'must be an object');
      return false;
    }
    if (typeof loc.id !== 'string' || loc.id === '') err(`${field}.id`, 'must be a non-empty string');
    else if (ids.has(loc.id)) err(`${field}.id`, `duplicate id "${loc.id}"`);
    else ids.add(loc.id);
    if (metric === 'haversine') {
      if (!isNum(loc.lat) || loc.lat < -90 || loc.lat > 90) err(`${field}.lat`, 'must be a latitude in [-90, 90]');
      if (!isNum(loc.lon) || loc.lon < -180 || loc.lon > 180) err(`${field}.lon`, 'must be a longitude in [-180, 180]');
    } else if (metric === 'euclidean') {
      if (!isNum(loc.x)) err(`${field}.x`, 'must be a finite number');
      if (!isNum(loc.y)) err(`${field}.y`, 'must be a finite number');
    }
    return true;
  };

  depots?.forEach((d, i) => checkLocation(d, `depots[${i}]`));
  stops?.forEach((s, i) => {
    const f = `stops[${i}]`;
    if (!checkLocation(s, f)) return;
    load(s.demand, `${f}.demand`, false);
    nonNeg(s.serviceTime, `${f}.serviceTime`, false);
    if (s.timeWindow !== undefined) {
      const tw = s.timeWindow;
      if (!Array.isArray(tw) || tw.length !== 2 || !isNum(tw[0]) || !isNum(tw[1])) {
        err(`${f}.timeWindow`, 'must be [ready, due] with finite numbers');
      } else if (tw[1] < tw[0]) {
        err(`${f}.timeWindow`, `window ends (${tw[1]}) before it starts (${tw[0]})`);
      }
    }
  });

  const depotCount = depots?.length ?? 0;
  vehicles?.forEach((v, i) => {
    const f = `vehicles[${i}]`;
    if (!isObj(v)) {
      err(f, 'must be an object');
      return;
    }
    if (typeof v.id !== 'string' || v.id === '') err(`${f}.id`, 'must be a non-empty string');
    load(v.capacity, `${f}.capacity`, true);
    const weightCapacity = isObj(v.capacity) ? v.capacity.weight : v.capacity;
    if (weightCapacity === 0) err(`${f}.capacity`, 'must be greater than 0: a vehicle that carries nothing serves no stop');
    if (v.shiftStart !== undefined && !isNum(v.shiftStart)) err(`${f}.shiftStart`, 'must be a finite number');
    if (v.shiftEnd !== undefined && !isNum(v.shiftEnd)) err(`${f}.shiftEnd`, 'must be a finite number');
    if (isNum(v.shiftEnd) && v.shiftEnd < (isNum(v.shiftStart) ? v.shiftStart : 0)) {
      err(`${f}.shiftEnd`, 'shift ends before it starts');
    }
    for (const key of ['startDepot', 'endDepot'] as const) {
      const d = v[key];
      if (d === undefined) continue;
      if (!Number.isInteger(d) || (d as number) < 0 || (d as number) >= depotCount) {
        err(`${f}.${key}`, `unknown depot index ${String(d)} (have ${depotCount} depots)`);
      }
    }
    if (v.count !== undefined && (!Number.isInteger(v.count) || (v.count as number) < 1)) {
      err(`${f}.count`, 'must be a positive integer');
    }
  });
  if (input.maxVehicles !== undefined && (!Number.isInteger(input.maxVehicles) || (input.maxVehicles as number) < 1)) {
    err('maxVehicles', 'must be a positive integer');
  }
  if (input.objective !== undefined && !(OBJECTIVES as readonly unknown[]).includes(input.objective)) {
    err('objective', `must be one of ${OBJECTIVES.join(', ')}`);
  }

  if (metric === 'matrix') {
    const size = depotCount + (stops?.length ?? 0);
    if (!isObj(input.matrix)) err('matrix', 'is required when metric is "matrix"');
    else {
      checkMatrix(input.matrix.distances, 'matrix.distances', size, true, err);
      checkMatrix(input.matrix.durations, 'matrix.durations', size, false, err);
    }
  }
  return errors;
}

function checkMatrix(
  m: unknown,
  field: string,
  size: number,
  required: boolean,
  err: (field: string, message: string) => void,
): void {
  if (m === undefined) {
    if (required) err(field, 'is required');
    return;
  }
  if (!Array.isArray(m)) {
    err(field, 'must be an array of rows');
    return;
  }
  if (m.length !== size) {
    err(field, `must have ${size} rows (depots + stops), got ${m.length}`);
    return;
  }
  let reported = 0;
  for (let i = 0; i < m.length && reported < 10; i++) {
    const row: unknown = m[i];
    if (!Array.isArray(row) || row.length !== size) {
      err(`${field}[${i}]`, `matrix must be square: row needs ${size} entries`);
      reported++;
      continue;
    }
    for (let j = 0; j < row.length && reported < 10; j++) {
      const v: unknown = row[j];
      if (!isNum(v)) {
        err(`${field}[${i}][${j}]`, 'must be a finite number');
        reported++;
      } else if (v < 0) {
        err(`${field}[${i}][${j}]`, `must not be negative (got ${v})`);
        reported++;
      }
    }
  }
}

/** Narrowing helper: throws the collected errors, else returns the typed input. */
export function assertValidProblem(input: unknown): ProblemInput {
  const errors = validateProblem(input);
  if (errors.length > 0) {
    throw new OptimizerInputError(errors);
  }
  return input as ProblemInput;
}
