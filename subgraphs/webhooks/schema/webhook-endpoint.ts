import { isUuid } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import { builder } from '../builder.ts';
import { endpointFilter, scopeFor, WEBHOOK_ROLES } from '../domain/access.ts';
import { ORDER_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from '../domain/event-types.ts';
import { setEnabled } from '../services/endpoints.ts';
import { WebhookDeliveryStatusEnum } from './webhook-delivery-status.ts';
import { WebhookScopeEnum } from './webhook-scope.ts';

export const WebhookEndpointType = builder.prismaObject('WebhookEndpoint', {
  description: 'A URL that receives the organization’s events, signed as Standard Webhooks describes (docs/webhooks.md).',
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    eventTypes: t.exposeStringList('eventTypes'),
    scope: t.field({ type: WebhookScopeEnum, resolve: (e) => e.scope }),
    ownerId: t.exposeID('ownerId', { description: 'The user (or partner key principal) that registered it.' }),
    enabled: t.exposeBoolean('enabled', { description: 'A disabled endpoint gets nothing; deliveries queued for it wait until it is enabled again.' }),
    failing: t.boolean({ description: 'A delivery used up its retries; the next successful delivery, or enabling, clears it.', resolve: (e) => e.failingSince !== null }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deliveries: t.relatedConnection(
      'deliveries',
      {
        cursor: 'id',
        description: 'Its deliveries, newest first.',
        args: { status: t.arg({ type: WebhookDeliveryStatusEnum }) },
        query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { id: 'desc' } }),
      },
      { name: 'WebhookDeliveryConnection' },
      { name: 'WebhookDeliveryEdge' },
    ),
  }),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.prismaConnection(
    {
      type: 'WebhookEndpoint',
      cursor: 'id',
      description: 'Webhook endpoints, newest first: all of the organization’s for an ADMIN, its own for a PARTNER key.',
      authScopes: { anyRole: WEBHOOK_ROLES },
      resolve: (query, _root, _args, ctx) => ctx.db.webhookEndpoint.findMany({ ...query, where: endpointFilter(ctx.principal!), orderBy: { id: 'desc' } }),
      // A tenant's endpoints: a handful, counted on the (orgId, ownerId) index.
      totalCount: (_connection, _args, ctx) => ctx.db.webhookEndpoint.count({ where: endpointFilter(ctx.principal!) }),
    },
    { name: 'WebhookEndpointConnection' },
    { name: 'WebhookEndpointEdge' },
  ),
  webhookEndpoint: t.prismaField({
    type: 'WebhookEndpoint',
    nullable: true,
    authScopes: { anyRole: WEBHOOK_ROLES },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, { id }, ctx) => (isUuid(id) ? ctx.db.webhookEndpoint.findFirst({ ...query, where: { id, ...endpointFilter(ctx.principal!) } }) : null),
  }),
  webhookEventTypes: t.stringList({
    description: 'The event types the caller’s endpoints can subscribe to (a PARTNER key: order events only).',
    authScopes: { anyRole: WEBHOOK_ROLES },
    resolve: (_root, _args, ctx) => [...(scopeFor(ctx.principal!) === 'ORGANIZATION' ? WEBHOOK_EVENT_TYPES : ORDER_EVENT_TYPES)],
  }),
}));

const toggle = (enabled: boolean) =>
  builder.mutationField(enabled ? 'enableWebhookEndpoint' : 'disableWebhookEndpoint', (t) =>
    t.prismaField({
      type: 'WebhookEndpoint',
      description: enabled ? 'Resumes deliveries (queued ones included) and clears `failing`.' : 'Stops all deliveries to the endpoint until it is enabled again.',
      authScopes: { anyRole: WEBHOOK_ROLES },
      args: { id: t.arg.id({ required: true }) },
      resolve: async (query, _root, { id }, ctx) => {
        if (!isUuid(id)) throw notFound('Webhook endpoint', ['id']);
        await setEnabled(ctx.db, ctx.principal!, id, enabled, ctx.now());
        if (enabled) ctx.services.dispatcher.notify();
        return ctx.db.webhookEndpoint.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
  );
toggle(false);
toggle(true);

