import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { builder } from '../builder.ts';
import { WEBHOOK_ROLES } from '../domain/access.ts';
import { createEndpoint, refusePrivateHost, rotateSecret, validateRegistration, type EndpointWithSecret } from '../services/endpoints.ts';
import { WebhookEndpointType } from './webhook-endpoint.ts';

export const WebhookEndpointSecretType = builder.objectRef<EndpointWithSecret>('WebhookEndpointSecret').implement({
  description: 'An endpoint and its signing secret, which no other answer shows: keep it now.',
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpointType, resolve: (r) => r.endpoint }),
    secret: t.exposeString('secret', { description: '`whsec_` + base64 of the HMAC-SHA256 key, as Standard Webhooks libraries take it.' }),
  }),
});

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookEndpointSecretType,
    description: 'Registers an http(s) URL for the given event types (see webhookEventTypes). ADMIN, or a PARTNER key for its own orders.',
    authScopes: { anyRole: WEBHOOK_ROLES },
    args: {
      url: t.arg.string({ required: true }),
      eventTypes: t.arg.stringList({ required: true }),
      description: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const input = validateRegistration(args, ctx.principal!, ctx.services.settings.blockPrivateNetworks);
      if (ctx.services.settings.blockPrivateNetworks) await refusePrivateHost(input.url, ctx.services.resolve);
      return createEndpoint(ctx.db, ctx.principal!, input, ctx.now());
    },
  }),
  rotateWebhookSecret: t.field({
    type: WebhookEndpointSecretType,
    description: 'Replaces the signing secret at once; every attempt from now on, retries included, is signed with the new one only.',
    authScopes: { anyRole: WEBHOOK_ROLES },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => {
      if (!isUuid(id)) throw notFound('Webhook endpoint', ['id']);
      return rotateSecret(ctx.db, ctx.principal!, id, ctx.now());
    },
  }),
}));
