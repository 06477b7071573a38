import { haversineKm } from './optimizer/distance.ts';

/**
 * How planning turns great-circle kilometres into driving minutes, and how long a delivery takes
 * at the door. One average speed for every vehicle keeps the first slice simple; a road network
 * (or a distance matrix) can replace it without touching the rest.
 */
export const AVERAGE_SPEED_KMH = 40;
export const SERVICE_TIME_MIN = 5;

/** Optimizer speed: distance units (km) per time unit (minute). */
export const SPEED_KM_PER_MIN = AVERAGE_SPEED_KMH / 60;

export interface Point {
  lat: number;
  lon: number;
}

export const distanceKm = (a: Point, b: Point): number => haversineKm(a.lat, a.lon, b.lat, b.lon);
export const driveMinutes = (km: number): number => km / SPEED_KM_PER_MIN;

/** Kilometres to three decimals (metres), as stored and published. */
export const roundKm = (km: number): number => Math.round(km * 1000) / 1000;
