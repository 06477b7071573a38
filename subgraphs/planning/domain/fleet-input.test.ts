import { describe, expect, it } from 'vitest';
import { parseInput } from '../../kernel/validation.ts';
import { formatTimeOfDay, parseTimeOfDay } from './clock.ts';
import { DepotInputSchema, VehicleInputSchema } from './fleet-input.ts';
import { PlanDayArgsSchema, ProofInputSchema } from './route-input.ts';

const vehicle = { name: 'Van 1', plate: 'B-VT-1', capacityKg: 800, shiftStart: '08:00', shiftEnd: '17:30', costPerKm: '0.85', homeDepotId: '01900000-0000-7000-8000-000000000001' };
const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const { code, field } = (error as { extensions: { code: string; field: string } }).extensions;
    return { code, field };
  }
  throw new Error('expected a validation error');
};

describe('fleet input', () => {
  it('given a valid vehicle, then shifts become minutes and the currency defaults to EUR', () => {
    expect(parseInput(VehicleInputSchema, vehicle)).toMatchObject({ shiftStart: 480, shiftEnd: 1050, currency: 'EUR', costPerKm: '0.85' });
  });

  it.each([
    [{ capacityKg: -1 }, 'input.capacityKg'],
    [{ capacityKg: 0 }, 'input.capacityKg'],
    [{ capacityM3: -2 }, 'input.capacityM3'],
    [{ shiftStart: '17:00', shiftEnd: '09:00' }, 'input.shiftEnd'],
    [{ shiftEnd: '08:00' }, 'input.shiftEnd'],
    [{ shiftStart: '25:00' }, 'input.shiftStart'],
    [{ costPerKm: '-0.5' }, 'input.costPerKm'],
    [{ costPerKm: '1.123456' }, 'input.costPerKm'],
    [{ currency: 'euro' }, 'input.currency'],
    [{ homeDepotId: 'nope' }, 'input.homeDepotId'],
    [{ plate: '  ' }, 'input.plate'],
  ])('given %o, then BAD_USER_INPUT names %s', (override, field) => {
    expect(fieldOf(() => parseInput(VehicleInputSchema, { ...vehicle, ...override }))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('given a depot off the globe, then its coordinate is named', () => {
    const depot = { name: 'Hub', line1: 'a', city: 'b', postalCode: 'c', country: 'de', lat: 52, lon: 200 };
    expect(fieldOf(() => parseInput(DepotInputSchema, depot))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.lon' });
    expect(parseInput(DepotInputSchema, { ...depot, lon: 13 }).country).toBe('DE');
  });

  it('reads and writes times of day, 24:00 included', () => {
    expect(parseTimeOfDay('07:05')).toBe(425);
    expect(parseTimeOfDay('24:00')).toBe(1440);
    expect(parseTimeOfDay('7:05')).toBeNull();
    expect(formatTimeOfDay(425)).toBe('07:05');
  });

  it('given planDay arguments, then the date must be a real day and the budget bounded', () => {
    const depotId = vehicle.homeDepotId;
    expect(parseInput(PlanDayArgsSchema, { depotId, date: '2031-01-02' }, [])).toEqual({ depotId, date: '2031-01-02', timeLimitSeconds: 1 });
    expect(fieldOf(() => parseInput(PlanDayArgsSchema, { depotId, date: '2031-02-30' }, []))).toEqual({ code: 'BAD_USER_INPUT', field: 'date' });
    expect(fieldOf(() => parseInput(PlanDayArgsSchema, { depotId, date: '2031-01-02', timeLimitSeconds: 600 }, []))).toEqual({ code: 'BAD_USER_INPUT', field: 'timeLimitSeconds' });
  });

  it('given proof of delivery, then a recipient is required and empty references are dropped', () => {
    expect(parseInput(ProofInputSchema, { recipientName: ' Ann ', photoRef: '' }, ['proof'])).toEqual({ recipientName: 'Ann', signatureRef: null, photoRef: null });
    expect(fieldOf(() => parseInput(ProofInputSchema, { recipientName: '' }, ['proof']))).toEqual({ code: 'BAD_USER_INPUT', field: 'proof.recipientName' });
  });
});
