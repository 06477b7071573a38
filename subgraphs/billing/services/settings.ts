import { DEFAULT_SETTINGS, type BillingSettingsValues } from '../domain/billing-settings.ts';
import type { VatRates } from '../domain/vat.ts';
import type { BillingSettings, Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export const settingsValues = (row: BillingSettings): BillingSettingsValues => ({
  invoicingMode: row.invoicingMode,
  consolidationPeriod: row.consolidationPeriod,
  vatSet: row.vatSet,
  vatRates: row.vatRates as VatRates,
  defaultVatCategory: row.defaultVatCategory,
  fiscalYearStartMonth: row.fiscalYearStartMonth,
  numberPattern: row.numberPattern,
  invoiceSeries: row.invoiceSeries,
  creditNoteSeries: row.creditNoteSeries,
  quoteValidityDays: row.quoteValidityDays,
  repriceOnPlanning: row.repriceOnPlanning,
});

const columns = (values: BillingSettingsValues) => ({ ...values, vatRates: values.vatRates as Prisma.InputJsonValue });

/** The organization's settings, created with the defaults on first use (idempotent under races). */
export async function settingsOf(tx: Tx, orgId: string, now: Date = new Date()): Promise<BillingSettings> {
  return (
    (await tx.billingSettings.findUnique({ where: { orgId } })) ??
    tx.billingSettings.upsert({ where: { orgId }, create: { orgId, ...columns(DEFAULT_SETTINGS), updatedAt: now }, update: {} })
  );
}

export const saveSettings = (tx: Tx, orgId: string, values: BillingSettingsValues, now: Date) =>
  tx.billingSettings.upsert({ where: { orgId }, create: { orgId, ...columns(values), updatedAt: now }, update: { ...columns(values), updatedAt: now } });
