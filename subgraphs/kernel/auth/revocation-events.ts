/**
 * iam's events that revoke access tokens: every process (each subgraph, each gateway) feeds its
 * deny-list from them (deny-list-feed.ts). Here rather than in iam's contracts because the kernel
 * knows no domain, as with the mutation record (audit/mutation-contract.ts); iam publishes them and
 * lists them among its events (subgraphs/iam/events/contracts.ts).
 */
import { z } from 'zod';
import { defineEvent } from '../../platform/events/contract.ts';
import { ROLES } from './roles.ts';

export const UserRolesChanged = defineEvent({
  type: 'voidtracker.iam.user.roles_changed.v1',
  producer: 'iam',
  aggregate: 'User',
  description: "An admin changed a user's roles; `roles` is the whole new set (with the name, so a consumer can start knowing someone who became a DRIVER). Every process then refuses the user's older tokens with other roles (deny-list): a refresh carries the new ones.",
  schema: z.object({
    userId: z.uuid(),
    name: z.string(),
    roles: z.array(z.enum(ROLES)),
    previousRoles: z.array(z.enum(ROLES)),
    changedBy: z.uuid(),
  }),
});

export const UserDeactivated = defineEvent({
  type: 'voidtracker.iam.user.deactivated.v1',
  producer: 'iam',
  aggregate: 'User',
  description: 'An admin deactivated a user: refresh tokens revoked, logins refused; every process refuses the access tokens already issued (deny-list) within seconds.',
  schema: z.object({ userId: z.uuid(), deactivatedBy: z.uuid() }),
});

export const UserReactivated = defineEvent({
  type: 'voidtracker.iam.user.reactivated.v1',
  producer: 'iam',
  aggregate: 'User',
  description: 'An admin reactivated a deactivated user, who may log in again.',
  schema: z.object({ userId: z.uuid(), reactivatedBy: z.uuid() }),
});
