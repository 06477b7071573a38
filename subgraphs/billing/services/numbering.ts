import { fiscalYearOf, formatNumber } from '../domain/numbering.ts';
import type { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export interface AllocatedNumber {
  series: string;
  fiscalYear: number;
  sequence: number;
  number: string;
}

/**
 * The next number of a series in the fiscal year of `at`, taken INSIDE the issuing transaction.
 * The upsert locks the counter row until that transaction ends: a concurrent issuer waits for it,
 * and a rollback gives the number back, so numbers are gapless and never repeat.
 */
export async function allocateNumber(
  tx: Tx,
  orgId: string,
  settings: { numberPattern: string; fiscalYearStartMonth: number },
  series: string,
  at: Date,
): Promise<AllocatedNumber> {
  const fiscalYear = fiscalYearOf(at, settings.fiscalYearStartMonth);
  const [row] = await tx.$queryRaw<Array<{ last: number }>>`
    INSERT INTO "InvoiceCounter" ("orgId", "series", "fiscalYear", "last") VALUES (${orgId}::uuid, ${series}, ${fiscalYear.startYear}, 1)
    ON CONFLICT ("orgId", "series", "fiscalYear") DO UPDATE SET "last" = "InvoiceCounter"."last" + 1
    RETURNING "last"`;
  const sequence = Number(row!.last);
  return { series, fiscalYear: fiscalYear.startYear, sequence, number: formatNumber(settings.numberPattern, { series, fiscalYear, sequence }) };
}
