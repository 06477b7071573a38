/**
 * Deterministic randomness for the scale seed: the same options give the same rows, so a resumed
 * run regenerates a day exactly as the domains that already stored it saw it.
 */


/** A 32-bit hash of integers (for stable choices that must not depend on generation order). */
export function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995) >>> 0;
  }
  return (h ^ (h >>> 15)) >>> 0;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** A UUIDv7 for `ms` whose random bits come from `random`: time-ordered like the domains' own ids. */
export function uuidv7At(ms: number, random: () => number): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  const r1 = hex8(random() * 4_294_967_296);
  const r2 = hex8(random() * 4_294_967_296);
  const r3 = hex8(random() * 4_294_967_296);
  const variant = ((parseInt(r2.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${r1.slice(0, 3)}-${variant}${r2.slice(1, 4)}-${r2.slice(4)}${r3}`;
}

/** A stable UUID (v8 layout) named by a few integers: the seed's tenants, customers, vehicles. */
export function namedUuid(...parts: number[]): string {
  const h = [mix(...parts, 1), mix(...parts, 2), mix(...parts, 3), mix(...parts, 4)].map(hex8).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
