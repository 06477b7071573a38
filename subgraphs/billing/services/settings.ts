import { prismaSql, type SqlExecutor } from '../../platform/events/sql.ts';
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

/**
 * Creates the organization's settings with the defaults unless it has them (idempotent under
 * races), in one statement: pricing's plain SQL path runs it too.
 */
export async function ensureSettings(sql: SqlExecutor, orgId: string, now: Date): Promise<void> {
  const row = { orgId, ...DEFAULT_SETTINGS, updatedAt: now.toISOString() };
  // PostgreSQL casts each field (enums, jsonb, timestamptz) to its column's type; a column added
  // later and not named here keeps its own default.
  const columns = Object.keys(row).map((c) => `"${c}"`).join(', ');
  await sql.query(
    `INSERT INTO "BillingSettings" (${columns}) SELECT ${columns} FROM json_populate_record(NULL::"BillingSettings", $1::json) ON CONFLICT ("orgId") DO NOTHING`,
    [JSON.stringify(row)],
  );
}

/** The organization's settings, created with the defaults on first use. */
export async function settingsOf(tx: Tx, orgId: string, now: Date = new Date()): Promise<BillingSettings> {
  const found = await tx.billingSettings.findUnique({ where: { orgId } });
  if (found) return found;
  await ensureSettings(prismaSql(tx), orgId, now);
  return tx.billingSettings.findUniqueOrThrow({ where: { orgId } });
}

export const saveSettings = (tx: Tx, orgId: string, values: BillingSettingsValues, now: Date) =>
  tx.billingSettings.upsert({ where: { orgId }, create: { orgId, ...columns(values), updatedAt: now }, update: { ...columns(values), updatedAt: now } });
