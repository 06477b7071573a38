/**
 * Planning's notion of time. A plan is for one calendar day; shifts and arrivals are minutes after
 * midnight UTC of that day (the optimizer works in plain minutes). Depot time zones are not
 * modelled yet, so a "08:00" shift is 08:00 UTC.
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

/** Midnight UTC of a "YYYY-MM-DD" day. */
export const dayStart = (date: string): Date => new Date(`${date}T00:00:00.000Z`);

/** The "YYYY-MM-DD" day (UTC) of a stored date. */
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** Minutes from the day's midnight to `at` (negative before, above 1440 after the day). */
export const minutesInto = (day: Date, at: Date): number => (at.getTime() - day.getTime()) / 60_000;

/** The instant `minutes` after the day's midnight, to the whole second. */
export const atMinutes = (day: Date, minutes: number): Date => new Date(day.getTime() + Math.round(minutes * 60) * 1000);
