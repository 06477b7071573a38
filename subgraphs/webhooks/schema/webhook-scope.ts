import { builder } from '../builder.ts';

export const WebhookScopeEnum = builder.enumType('WebhookScope', {
  description: 'What an endpoint hears: ORGANIZATION, every subscribed event of the organization (an ADMIN’s); OWN_ORDERS, events about the orders its owner placed (a PARTNER key’s).',
  values: ['ORGANIZATION', 'OWN_ORDERS'] as const,
});
