import { DEMO_ORGANIZATION, OTHER_ORGANIZATION } from '../demo-tenants.ts';
import type { SubgraphDeps } from '../kernel/subgraph.ts';
import { DEFAULT_SETTINGS, type BillingSettingsValues } from './domain/billing-settings.ts';
import { vatRateSet } from './domain/vat.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { BillingServices } from './services/index.ts';
import { saveSettings } from './services/settings.ts';

/**
 * The demo tenants' billing settings, one per shipped VAT set: Demo Logistics invoices each order
 * under the German (EU) rates; Globex Freight consolidates per customer and month under the
 * Bangladeshi rates with a July-June fiscal year. Does nothing for a tenant that has settings.
 */
const DEMO_SETTINGS: Array<[orgId: string, settings: BillingSettingsValues]> = [
  [DEMO_ORGANIZATION.id, DEFAULT_SETTINGS],
  [
    OTHER_ORGANIZATION.id,
    {
      ...DEFAULT_SETTINGS,
      invoicingMode: 'CONSOLIDATED',
      consolidationPeriod: 'MONTH',
      vatSet: 'BD',
      vatRates: vatRateSet('BD')!.rates,
      fiscalYearStartMonth: 7,
      numberPattern: '{series}/{fy}-{fyEnd}/{seq:5}',
    },
  ],
];

export async function seedBilling({ db, logger }: SubgraphDeps<PrismaClient>, _services: BillingServices): Promise<void> {
  const now = new Date();
  for (const [orgId, settings] of DEMO_SETTINGS) {
    if (await db.billingSettings.findUnique({ where: { orgId } })) continue;
    await db.$transaction((tx) => saveSettings(tx, orgId, settings, now));
    logger.info('demo billing settings seeded', { orgId, vatSet: settings.vatSet, invoicingMode: settings.invoicingMode });
  }
}
