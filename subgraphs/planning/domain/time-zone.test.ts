import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, dayFrame, frameInstant, frameMinutes, wallToFrame, zonedInstant } from './time-zone.ts';

describe('depot time zones', () => {
  it('given IANA names, then they are accepted in their canonical spelling; anything else is refused', () => {
    expect(canonicalTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('America/Argentina/Buenos_Aires')).toMatch(/Buenos_Aires$/); // ICU may prefer a link's target
    for (const bad of ['Mars/Olympus', '+01:00', 'CET+1', '', 'Europe/Berlin; DROP', '../etc']) expect(canonicalTimeZone(bad), bad).toBeNull();
  });

  it('given a wall-clock time, then it is the instant it happens there, DST included', () => {
    expect(zonedInstant('2031-01-02', 8 * 60, 'Europe/Berlin').toISOString()).toBe('2031-01-02T07:00:00.000Z');
    expect(zonedInstant('2031-07-01', 8 * 60, 'Europe/Berlin').toISOString()).toBe('2031-07-01T06:00:00.000Z');
    expect(zonedInstant('2031-01-02', 8 * 60, 'America/New_York').toISOString()).toBe('2031-01-02T13:00:00.000Z');
    expect(zonedInstant('2031-01-02', 8 * 60, 'Asia/Kolkata').toISOString()).toBe('2031-01-02T02:30:00.000Z');
    // 02:30 does not exist on the spring-forward night: it lands after the gap, at 03:30 CEST.
    expect(zonedInstant('2031-03-30', 150, 'Europe/Berlin').toISOString()).toBe('2031-03-30T01:30:00.000Z');
  });

  it('given DST days, then the day frame is 23 or 25 hours long and round-trips instants', () => {
    expect(dayFrame('2031-01-02', 'Europe/Berlin')).toMatchObject({ lengthMin: 1440 });
    expect(dayFrame('2031-03-30', 'Europe/Berlin')).toMatchObject({ lengthMin: 1380 });
    expect(dayFrame('2031-10-26', 'Europe/Berlin')).toMatchObject({ lengthMin: 1500 });
    const frame = dayFrame('2031-03-30', 'Europe/Berlin');
    expect(frame.start.toISOString()).toBe('2031-03-29T23:00:00.000Z');
    expect(wallToFrame(frame, 8 * 60)).toBe(7 * 60); // 08:00 CEST is 7 real hours after midnight CET
    expect(wallToFrame(frame, 24 * 60)).toBe(1380);
    const at = new Date('2031-03-30T10:15:00Z');
    expect(frameInstant(frame, frameMinutes(frame, at))).toEqual(at);
  });
});
