/**
 * Planning's notion of time. A plan is for one calendar day at the depot; shifts are wall-clock
 * times there ("HH:MM"), turned into instants by the depot's time zone (time-zone.ts).
 */
export const MINUTES_PER_DAY = 24 * 60;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** "HH:MM" (00:00..24:00) as minutes after midnight, or null when malformed. */
export function parseTimeOfDay(value: string): number | null {
  const match = TIME_OF_DAY.exec(value.trim());
  if (!match) return null;
  if (!match[1]) return MINUTES_PER_DAY;
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes after midnight as "HH:MM". */
export function formatTimeOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** A "YYYY-MM-DD" day as a route stores it (a DATE column, read as midnight UTC). */
export const dayStart = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

/** The "YYYY-MM-DD" day of a stored DATE. */
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
