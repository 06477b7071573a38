import type { Rounding } from './problem-input.ts';

/** Mean Earth radius in km (IUGG). */
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km between two lat/lon points (degrees). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export function euclidean(x1: number, y1: number, x2: number, y2: number): number {
  return Math.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2);
}

export function applyRounding(d: number, rounding: Rounding): number {
  switch (rounding) {
    case 'none':
      return d;
    case 'nearest':
      // TSPLIB nint(): (int)(x + 0.5)
      return Math.floor(d + 0.5);
    case 'ceil':
      return Math.ceil(d);
    case 'truncate-1dp':
      // Tiny nudge so that e.g. sqrt(x) = 2.3 exactly is not truncated to 2.2
      // by floating error; well below the 0.1 resolution.
      return Math.floor(d * 10 + 1e-9) / 10;
  }
}

/** Row-major n*n matrix from point coordinates. */
export function coordinateMatrix(
  n: number,
  distanceFn: (i: number, j: number) => number,
  rounding: Rounding,
): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = applyRounding(distanceFn(i, j), rounding);
      m[i * n + j] = d;
      m[j * n + i] = d;
    }
  }
  return m;
}
