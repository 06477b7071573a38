import { describe, expect, it } from 'vitest';
import { parcelVolumeM3, poolEntryFrom } from './pool.ts';

const created = {
  orderId: 'o1',
  customerId: 'c1',
  reference: 'PO-1',
  pickup: { line1: 'a', city: 'Berlin', lat: 52.5, lon: 13.4 },
  dropoff: { line1: 'Am Kanal 2', city: 'Potsdam', lat: 52.4, lon: 13.07 },
  weightKg: '2.500',
  parcels: [{ lengthCm: '40.0', widthCm: '30.0', heightCm: '20.0' }],
  deliveryWindow: { start: '2031-01-02T08:00:00Z', end: '2031-01-02T12:00:00Z' },
  createdAt: '2031-01-01T10:00:00Z',
};

describe('the planning pool', () => {
  it('given OrderCreated, then the pool keeps the customer, dropoff, exact weight, volume and window', () => {
    expect(poolEntryFrom(created)).toEqual({
      orderId: 'o1',
      customerId: 'c1',
      reference: 'PO-1',
      pickupLat: 52.5,
      pickupLon: 13.4,
      dropoffLine1: 'Am Kanal 2',
      dropoffCity: 'Potsdam',
      dropoffLat: 52.4,
      dropoffLon: 13.07,
      weightKg: '2.500',
      volumeM3: '0.024000',
      windowStart: new Date('2031-01-02T08:00:00Z'),
      windowEnd: new Date('2031-01-02T12:00:00Z'),
      createdAt: new Date('2031-01-01T10:00:00Z'),
    });
  });

  it('given a parcel without all its dimensions, then the volume is unknown', () => {
    expect(parcelVolumeM3([...created.parcels, { lengthCm: '10.0', widthCm: null, heightCm: '5.0' }])).toBeNull();
    expect(parcelVolumeM3([])).toBeNull();
    expect(poolEntryFrom({ ...created, deliveryWindow: null })).toMatchObject({ windowStart: null, windowEnd: null });
  });
});
