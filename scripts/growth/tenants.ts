import { DEMO } from '../../subgraphs/iam/seed.ts';
import { mix, namedUuid } from './random.ts';

/** What `npm run seed:scale` was asked for; a resumed run must be asked the same. */
export interface ScaleOptions {
  orders: number;
  tenants: number;
  days: number;
  /** Midnight UTC of the first day (ISO), fixed at the first run so a resume generates the same days. */
  start: string;
  seed: number;
}

/** Orders per route: a van's day. */
export const STOPS_PER_ROUTE = 20;
/** The demo tenant (whose dispatcher the benchmark logs in as) holds this share of the orders. */
export const LARGE_TENANT_SHARE = 10;

export interface Tenant {
  index: number;
  id: string;
  name: string;
  slug: string;
  customers: string[];
  depotId: string;
  /** Billing's ORG_DEFAULT card version, looked up once the tenant's billing is set up. */
  rateCardVersionId: string;
  vehicles: string[];
  lat: number;
  lon: number;
}

/** Global order number `g` belongs to: every 10th to the demo tenant, the rest spread by hash. */
export function tenantOf(g: number, tenants: number): number {
  if (tenants === 1 || g % LARGE_TENANT_SHARE === 0) return 0;
  return 1 + (mix(g, 77) % (tenants - 1));
}

/** The global order numbers created on `day`: the N orders spread evenly over the days. */
export function dayRange(options: Pick<ScaleOptions, 'orders' | 'days'>, day: number): [from: number, to: number] {
  const at = (d: number) => Math.floor((options.orders * d) / options.days);
  return [at(day), at(day + 1)];
}

/**
 * The tenants: the demo organization first (its customer user among its customers), then
 * generated carriers. Customers per tenant grow with its orders (one per 2,000, at least 3);
 * vans per tenant are enough for its busiest day.
 */
export function planTenants(options: ScaleOptions): Tenant[] {
  const perTenant = new Array<number>(options.tenants).fill(0);
  const busiest = new Array<number>(options.tenants).fill(0);
  for (let day = 0; day < options.days; day++) {
    const today = new Array<number>(options.tenants).fill(0);
    const [from, to] = dayRange(options, day);
    for (let g = from; g < to; g++) today[tenantOf(g, options.tenants)]!++;
    today.forEach((n, t) => {
      perTenant[t]! += n;
      busiest[t] = Math.max(busiest[t]!, n);
    });
  }
  const demoCustomer = DEMO.users.find((u) => u.roles.includes('CUSTOMER' as never))!.id;
  return perTenant.map((orders, t) => {
    const extra = Math.max(3, Math.ceil(orders / 2000));
    const customers = Array.from({ length: extra }, (_, c) => namedUuid(options.seed, 2, t, c));
    // Cities spread over Europe; each tenant works around one.
    const lat = 45 + (mix(options.seed, t, 5) % 1000) / 100;
    const lon = 2 + (mix(options.seed, t, 6) % 1500) / 100;
    return {
      index: t,
      id: t === 0 ? DEMO.organization.id : namedUuid(options.seed, 1, t),
      name: t === 0 ? DEMO.organization.name : `Scale Carrier ${t}`,
      slug: t === 0 ? DEMO.organization.slug : `scale-${t}`,
      customers: t === 0 ? [demoCustomer, ...customers] : customers,
      depotId: namedUuid(options.seed, 3, t),
      rateCardVersionId: '',
      vehicles: Array.from({ length: Math.max(1, Math.ceil(busiest[t]! / STOPS_PER_ROUTE)) }, (_, v) => namedUuid(options.seed, 4, t, v)),
      lat,
      lon,
    };
  });
}

/** Email of a generated customer: stable and unique across tenants. */
export const customerEmail = (tenant: Tenant, c: number) => `customer${c}@${tenant.slug}.scale.test`;
