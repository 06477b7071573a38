/**
 * Depot-local days. A depot keeps an IANA time zone; its vehicles' shifts are wall-clock times
 * there, and "plan 2031-03-30" means that calendar day at the depot. The optimizer works in plain
 * minutes, so a day becomes a frame: minute 0 is local midnight (an instant), and minutes count
 * real elapsed time, so a day across a DST change is 1380 or 1500 minutes long and every planned
 * arrival converts back to the right instant.
 */

/** Offset-style zones ("+01:00") are valid in newer Intl versions but are not IANA names. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The canonical spelling of an IANA time zone ("europe/berlin" -> "Europe/Berlin"), or null when unknown. */
export function canonicalTimeZone(name: string): string | null {
  const trimmed = name.trim();
  if (!IANA_NAME.test(trimmed)) return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone;
  } catch {
    return null; // RangeError: not a time zone this runtime knows
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes the zone's wall clock is ahead of UTC at `instant` (whole seconds). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return (wall - Math.floor(instant / 1000) * 1000) / 60_000;
}

/**
 * The instant a wall-clock time (minutes after local midnight of `date`) happens in the zone. A
 * time skipped by a spring-forward change lands after the gap (02:30 -> 03:30); a repeated one
 * takes its later occurrence.
 */
export function zonedInstant(date: string, wallMinutes: number, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00.000Z`) + wallMinutes * 60_000;
  let guess = wall - offsetMinutes(wall, timeZone) * 60_000;
  guess = wall - offsetMinutes(guess, timeZone) * 60_000;
  return new Date(guess);
}

/** The next calendar day, "YYYY-MM-DD". */
export const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

export interface DayFrame {
  date: string;
  timeZone: string;
  /** Local midnight of the day. */
  start: Date;
  /** Real minutes from local midnight to the next one (1440, or 1380/1500 across DST changes). */
  lengthMin: number;
}

export function dayFrame(date: string, timeZone: string): DayFrame {
  const start = zonedInstant(date, 0, timeZone);
  const end = zonedInstant(nextDate(date), 0, timeZone);
  return { date, timeZone, start, lengthMin: (end.getTime() - start.getTime()) / 60_000 };
}

/** Frame minutes of an instant (negative before the day, beyond lengthMin after it). */
export const frameMinutes = (frame: DayFrame, at: Date): number => (at.getTime() - frame.start.getTime()) / 60_000;

/** The instant `minutes` into the frame, to the whole second. */
export const frameInstant = (frame: DayFrame, minutes: number): Date => new Date(frame.start.getTime() + Math.round(minutes * 60) * 1000);

/** Frame minutes of a wall-clock time of the day ("08:00" = 480 -> 420 on a spring-forward day); 24:00 is the day's end. */
export const wallToFrame = (frame: DayFrame, wallMinutes: number): number =>
  wallMinutes >= 24 * 60 ? frame.lengthMin : frameMinutes(frame, zonedInstant(frame.date, wallMinutes, frame.timeZone));
