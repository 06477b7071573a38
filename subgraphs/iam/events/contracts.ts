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

export const IAM_EVENTS = [OrganizationCreated, UserRegistered] as const;
export type IamEvent = EnvelopeOf<(typeof IAM_EVENTS)[number]>;
