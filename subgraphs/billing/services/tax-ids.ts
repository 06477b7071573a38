import type { Principal } from '../../kernel/auth/principal.ts';
import { badInput } from '../../platform/errors.ts';
import { checkTaxId } from '../domain/tax-id.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Records a customer's tax id after checking its syntax for the country; one per scheme (a
 * Bangladeshi customer may have a TIN and a BIN), replaced when set again. Invoices copy the
 * customer's ids when issued.
 */
export async function setCustomerTaxId(db: PrismaClient, principal: Principal, input: { customerId: string; country: string; value: string }, now: Date) {
  const checked = checkTaxId(input.country, input.value);
  if (!checked.ok) throw badInput(`input.${checked.field}: ${checked.message}`, ['input', checked.field]);
  const key = { orgId: principal.orgId, customerId: input.customerId, scheme: checked.scheme };
  const data = { country: checked.country, value: checked.value, updatedAt: now };
  return db.customerTaxId.upsert({ where: { orgId_customerId_scheme: key }, create: { ...key, ...data }, update: data });
}
