/**
 * The native JSON problem format (documented in docs/optimizer.md). Parsers
 * for research formats produce this shape too, so every input goes through
 * one validation and one normalisation path.
 */

export type Metric = 'haversine' | 'euclidean' | 'matrix';

/**
 * How computed (coordinate) distances are rounded:
 * - `nearest`: TSPLIB nint(), i.e. floor(d + 0.5)
 * - `ceil`: TSPLIB CEIL_2D
 * - `truncate-1dp`: DIMACS / Solomon convention, floor(10 d) / 10
 */
export type Rounding = 'none' | 'nearest' | 'ceil' | 'truncate-1dp';

export interface LocationInput {
  id: string;
  lat?: number;
  lon?: number;
  x?: number;
  y?: number;
}

export interface LoadInput {
  weight: number;
  volume?: number;
}

export interface StopInput extends LocationInput {
  /** A bare number is a weight. */
  demand?: number | LoadInput;
  serviceTime?: number;
  /** [ready, due]: service must start within it; arriving early means waiting. */
  timeWindow?: [number, number];
}

export interface VehicleInput {
  id: string;
  /** A bare number is a weight capacity. */
  capacity: number | LoadInput;
  shiftStart?: number;
  shiftEnd?: number;
  /** Index into `depots`; defaults to 0. */
  startDepot?: number;
  /** Index into `depots`; defaults to startDepot. */
  endDepot?: number;
  /** Identical copies of this vehicle; defaults to 1. */
  count?: number;
}

export interface MatrixInput {
  /** Rows and columns: depots first (in order), then stops (in order). */
  distances: number[][];
  /** Same shape; when absent, duration = distance / speed. */
  durations?: number[][];
}

export interface ProblemInput {
  name?: string;
  /** Defaults: `matrix` when a matrix is given, else `haversine` with lat/lon, else `euclidean`. */
  metric?: Metric;
  rounding?: Rounding;
  /** Distance units per time unit when durations are derived from distances; default 1. */
  speed?: number;
  matrix?: MatrixInput;
  depots: LocationInput[];
  stops: StopInput[];
  vehicles: VehicleInput[];
  /** Upper bound on the number of routes; defaults to the sum of vehicle counts. */
  maxVehicles?: number;
  /** What to minimise after serving every stop it can; default `distance`. */
  objective?: Objective;
}

/**
 * `distance`: total distance, then vehicles. `vehicles-first`: vehicles,
 * then distance (how the published VRPTW best solutions are ranked).
 */
export type Objective = 'distance' | 'vehicles-first';
export const OBJECTIVES: readonly Objective[] = ['distance', 'vehicles-first'];

export interface ValidationError {
  code: 'BAD_USER_INPUT';
  /** Path of the offending field, e.g. `stops[3].demand`. */
  field: string;
  message: string;
}

/** Thrown by parsers and `solve` when the input is unusable. */
export class OptimizerInputError extends Error {
  readonly errors: ValidationError[];
  constructor(errors: ValidationError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'OptimizerInputError';
    this.errors = errors;
  }
}

export function inputError(field: string, message: string): OptimizerInputError {
  return new OptimizerInputError([{ code: 'BAD_USER_INPUT', field, message }]);
}
