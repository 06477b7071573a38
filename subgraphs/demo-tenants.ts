/**
 * The demo tenants' organizations, with fixed ids: iam seeds them (with their users) and the other
 * domains' demo data refers to them by id. Here, above the domains, so that no domain reaches into
 * iam's seed for them.
 */
export const DEMO_ORGANIZATION = { id: '01900000-0000-7000-8000-000000000001', name: 'Demo Logistics', slug: 'demo' } as const;

/** A second tenant, so that tenant isolation can be seen (and is tested) from the first start. */
export const OTHER_ORGANIZATION = { id: '01900000-0000-7000-8000-000000000002', name: 'Globex Freight', slug: 'globex' } as const;
