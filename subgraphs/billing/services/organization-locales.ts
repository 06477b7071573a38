import { loadBatched } from '../../kernel/batching.ts';
import type { SubgraphContext } from '../../kernel/builder.ts';
import { DEFAULT_LOCALE } from '../domain/money-format.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

/**
 * Records an organization's locale as of an iam event. Newer wins by event time, in one statement,
 * so a redelivered or replayed older event never overwrites a later setting.
 */
export async function recordLocale(tx: Prisma.TransactionClient, orgId: string, locale: string, asOf: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "OrganizationLocale" ("orgId", "locale", "asOf") VALUES (${orgId}::uuid, ${locale}, ${asOf})
    ON CONFLICT ("orgId") DO UPDATE SET "locale" = EXCLUDED."locale", "asOf" = EXCLUDED."asOf"
    WHERE "OrganizationLocale"."asOf" <= EXCLUDED."asOf"`;
}

/**
 * The organization's locale for formatting, read once per request however many money fields a
 * list asks for (kernel/batching.ts); the default until billing has heard from iam.
 */
export async function organizationLocale(ctx: Pick<SubgraphContext<PrismaClient, unknown>, 'db'>, orgId: string): Promise<string> {
  const row = await loadBatched(ctx, 'organization-locale', orgId, async (orgIds) =>
    new Map((await ctx.db.organizationLocale.findMany({ where: { orgId: { in: orgIds } }, select: { orgId: true, locale: true } })).map((r) => [r.orgId, r])),
  );
  return row?.locale ?? DEFAULT_LOCALE;
}
