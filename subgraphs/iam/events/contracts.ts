import { z } from 'zod';
import { defineEvent, type EnvelopeOf } from '../../kernel/events/contract.ts';
import { ROLES } from '../../kernel/auth/roles.ts';

export const OrganizationCreated = defineEvent({
  type: 'voidtracker.iam.organization.created.v1',
  producer: 'iam',
  aggregate: 'Organization',
  description: 'A tenant was created.',
  schema: z.object({ organizationId: z.uuid(), name: z.string(), slug: z.string() }),
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

export const IAM_EVENTS = [OrganizationCreated, UserRegistered, ApiKeyCreated, ApiKeyRevoked] as const;
export type IamEvent = EnvelopeOf<(typeof IAM_EVENTS)[number]>;
