import { formatDecimal, fromNumber } from './money.ts';

/** Mean Earth radius (IUGG), km. */
const EARTH_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * Great-circle (haversine) distance between two points, as a decimal km string in whole metres:
 * the price a customer sees before planning. Floats are fine here: it is a measurement, and it
 * becomes an exact decimal before any money is computed.
 */
export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): string {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return formatDecimal(fromNumber(2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h))), 3), 3);
}
