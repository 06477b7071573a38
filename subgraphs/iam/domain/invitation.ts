/** Invitations to join an organization: tokens, their verdicts, and the inputs that make them. */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TENANT_ROLES, type TenantRole } from '../../kernel/auth/roles.ts';
import { normalizeEmail } from '../../kernel/auth/email.ts';
import { MIN_PASSWORD_LENGTH } from './password.ts';

/** `vti_` + 256 random bits: recognisable in logs and by secret scanners, like API keys' `vtk_`. */
const TOKEN_PATTERN = /^vti_[A-Za-z0-9_-]{43}$/;

/** A new token; it is shown once, to whoever invited, and only its hash is kept. */
export const newInvitationToken = (): string => 'vti_' + randomBytes(32).toString('base64url');

/** SHA-256 suffices: the token has 256 random bits, so there is nothing to guess from a dictionary. */
export const hashInvitationToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export const isWellFormedInvitationToken = (value: string): boolean => TOKEN_PATTERN.test(value);

export const invitationExpiry = (now: Date, ttlSeconds: number): Date => new Date(now.getTime() + ttlSeconds * 1000);

export interface StoredInvitation {
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

export type InvitationVerdict = 'valid' | 'accepted' | 'revoked' | 'expired';

/** Whether the invitation can still be accepted: once, before it expires, unless replaced. */
export function judgeInvitation(invitation: StoredInvitation, now: Date): InvitationVerdict {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revokedAt) return 'revoked';
  if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

/** Roles an organization's ADMIN may give: any role inside the tenant, never PLATFORM_OPERATOR. */
export const tenantRolesSchema = z
  .array(z.string())
  .min(1, 'must name at least one role')
  .superRefine((roles, ctx) => {
    roles.forEach((role, i) => {
      if (!(TENANT_ROLES as readonly string[]).includes(role)) {
        ctx.addIssue({ code: 'custom', path: [i], message: `${role} cannot be granted in an organization (allowed: ${TENANT_ROLES.join(', ')})` });
      }
    });
  })
  .transform((roles) => [...new Set(roles)] as TenantRole[]);

export const emailSchema = z
  .string()
  .transform(normalizeEmail)
  .pipe(z.email('must be an email address').max(254, 'must be at most 254 characters'));

export const personNameSchema = z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters');

export const inviteUserSchema = z.object({ email: emailSchema, name: personNameSchema, roles: tenantRolesSchema });
export type InviteUser = z.output<typeof inviteUserSchema>;

export const acceptInvitationSchema = z.object({
  token: z.string(),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
    .max(256, 'must be at most 256 characters'),
  name: personNameSchema.nullish(),
});
export type AcceptInvitation = z.output<typeof acceptInvitationSchema>;
