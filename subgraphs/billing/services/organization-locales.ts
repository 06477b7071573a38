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

const perRequest = new WeakMap<object, Map<string, Promise<string>>>();

/**
 * The organization's locale for formatting, read once per request and organization however many
 * money fields a list asks for; the default until billing has heard from iam.
 */
export function organizationLocale(ctx: Pick<SubgraphContext<PrismaClient, unknown>, 'db'>, orgId: string): Promise<string> {
  let cache = perRequest.get(ctx);
  if (!cache) perRequest.set(ctx, (cache = new Map()));
  let locale = cache.get(orgId);
  if (!locale) {
    locale = ctx.db.organizationLocale.findUnique({ where: { orgId }, select: { locale: true } }).then((row) => row?.locale ?? DEFAULT_LOCALE);
    cache.set(orgId, locale);
  }
  return locale;
}
