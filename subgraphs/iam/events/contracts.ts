import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../platform/events/contract.ts';
import { ROLES } from '../../kernel/auth/roles.ts';
// The three events every process's deny-list reads are defined by the kernel, which must not import
// a domain; they are iam's all the same (iam publishes them), and consumers import them from here.
import { UserDeactivated, UserReactivated, UserRolesChanged } from '../../kernel/auth/revocation-events.ts';

export { UserDeactivated, UserReactivated, UserRolesChanged };

export const OrganizationCreated = defineEvent({
  type: 'voidtracker.iam.organization.created.v1',
  producer: 'iam',
  aggregate: 'Organization',
  description: 'A tenant was created. Its locale, currency and time zone are absent on events from before they existed (read them as en-US, EUR, UTC).',
  schema: z.object({
    organizationId: z.uuid(),
    name: z.string(),
    slug: z.string(),
    locale: z.string().optional(),
    currency: z.string().length(3).optional(),
    timeZone: z.string().optional(),
  }),
});

export const OrganizationUpdated = defineEvent({
  type: 'voidtracker.iam.organization.updated.v1',
  producer: 'iam',
  aggregate: 'Organization',
  description: "An admin changed the organization's settings; the payload is all of them as they are now.",
  schema: z.object({
    organizationId: z.uuid(),
    name: z.string(),
    locale: z.string(),
    currency: z.string().length(3),
    timeZone: z.string(),
    updatedBy: z.uuid(),
  }),
});

export const UserRegistered = defineEvent({
  type: 'voidtracker.iam.user.registered.v1',
  producer: 'iam',
  aggregate: 'User',
  description: 'A user joined an organization with these roles.',
  schema: z.object({ userId: z.uuid(), email: z.string(), name: z.string(), roles: z.array(z.enum(ROLES)) }),
});

export const ApiKeyCreated = defineEvent({
  type: 'voidtracker.iam.api_key.created.v1',
  producer: 'iam',
  aggregate: 'ApiKey',
  description: 'An admin issued a partner API key for a client with these roles (the secret never leaves iam).',
  schema: z.object({
    apiKeyId: z.uuid(),
    clientName: z.string(),
    principalId: z.uuid(),
    roles: z.array(z.enum(ROLES)),
    createdBy: z.uuid(),
  }),
});

export const ApiKeyRevoked = defineEvent({
  type: 'voidtracker.iam.api_key.revoked.v1',
  producer: 'iam',
  aggregate: 'ApiKey',
  description: 'An admin revoked a partner API key; gateways stop accepting it within their key cache time.',
  schema: z.object({ apiKeyId: z.uuid(), clientName: z.string(), revokedBy: z.uuid() }),
});

export const IAM_EVENTS = [
  OrganizationCreated,
  OrganizationUpdated,
  UserRegistered,
  UserRolesChanged,
  UserDeactivated,
  UserReactivated,
  ApiKeyCreated,
  ApiKeyRevoked,
] as const;
export type IamEvent = EnvelopeOf<(typeof IAM_EVENTS)[number]>;
