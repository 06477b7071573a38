/** An order as the planning pool keeps it, built from OrderCreated's payload. */
export interface PoolEntry {
  orderId: string;
  /** Whom the order was placed for: only they (and planning's staff) read its eta. */
  customerId: string | null;
  reference: string | null;
  pickupLat: number;
  pickupLon: number;
  dropoffLine1: string;
  dropoffCity: string;
  dropoffLat: number;
  dropoffLon: number;
  weightKg: string;
  volumeM3: string | null;
  windowStart: Date | null;
  windowEnd: Date | null;
  createdAt: Date;
}

interface Address {
  line1: string;
  city: string;
  lat: number;
  lon: number;
}

interface CreatedOrder {
  orderId: string;
  customerId: string;
  reference: string | null;
  pickup: Address;
  dropoff: Address;
  weightKg: string;
  parcels: ReadonlyArray<{ lengthCm: string | null; widthCm: string | null; heightCm: string | null }>;
  deliveryWindow: { start: string; end: string } | null;
  createdAt: string;
}

/**
 * Total volume in m³ when every parcel has all three dimensions; otherwise unknown (null), and the
 * order then only counts against a vehicle's weight capacity.
 */
export function parcelVolumeM3(parcels: CreatedOrder['parcels']): string | null {
  if (!parcels.length) return null;
  let cm3 = 0;
  for (const p of parcels) {
    if (p.lengthCm === null || p.widthCm === null || p.heightCm === null) return null;
    cm3 += Number(p.lengthCm) * Number(p.widthCm) * Number(p.heightCm);
  }
  return (cm3 / 1_000_000).toFixed(6);
}

export function poolEntryFrom(order: CreatedOrder): PoolEntry {
  return {
    orderId: order.orderId,
    customerId: order.customerId,
    reference: order.reference,
    pickupLat: order.pickup.lat,
    pickupLon: order.pickup.lon,
    dropoffLine1: order.dropoff.line1,
    dropoffCity: order.dropoff.city,
    dropoffLat: order.dropoff.lat,
    dropoffLon: order.dropoff.lon,
    weightKg: order.weightKg,
    volumeM3: parcelVolumeM3(order.parcels),
    windowStart: order.deliveryWindow ? new Date(order.deliveryWindow.start) : null,
    windowEnd: order.deliveryWindow ? new Date(order.deliveryWindow.end) : null,
    createdAt: new Date(order.createdAt),
  };
}
