import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Role } from '../../kernel/auth/roles.ts';

/**
 * Roles an ADMIN may put on a partner key. Never ADMIN: a leaked key must not be able to mint
 * more keys or manage users. Never DRIVER or CUSTOMER: those are people (drivers are assigned to
 * routes, customers log in); an integration that places and tracks its own orders is a PARTNER.
 */
export const API_KEY_ROLES = ['PARTNER', 'DISPATCHER', 'FINANCE', 'AUDITOR'] as const satisfies readonly Role[];

/**
 * SHA-256 is enough here, unlike for passwords: the secret has 256 random bits, so there is no
 * dictionary to try, and the hash is computed on every exchange, where argon2's deliberate cost
 * would be paid per partner request for no gain.
 */
export const hashApiKeySecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/**
 * The principal every key of one client of one organization acts as: derived, so it is the same
 * for a rotated key (the client keeps seeing the orders it placed) and differs between tenants.
 * A UUID (version 8, custom) so the other domains store it like any user id.
 */
export function clientPrincipalId(orgId: string, clientName: string): string {
  const bytes = createHash('sha256').update(`api-key-client\u0000${orgId}\u0000${clientName}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Client names name safelist manifests (`persisted-queries/<client>.json`) and config entries. */
export const CLIENT_NAME_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;

export const createApiKeySchema = z.object({
  clientName: z
    .string()
    .trim()
    .regex(CLIENT_NAME_PATTERN, 'must be 2-40 lower-case letters, digits or -, starting with a letter'),
  roles: z
    .array(z.string())
    .min(1, 'must name at least one role')
    .superRefine((roles, ctx) => {
      roles.forEach((role, i) => {
        if (!(API_KEY_ROLES as readonly string[]).includes(role)) {
          ctx.addIssue({ code: 'custom', path: [i], message: `${role} cannot be granted to an API key (allowed: ${API_KEY_ROLES.join(', ')})` });
        }
      });
    })
    .transform((roles) => [...new Set(roles)] as Role[]),
});

export type CreateApiKey = z.output<typeof createApiKeySchema>;
