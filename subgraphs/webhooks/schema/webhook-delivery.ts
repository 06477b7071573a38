import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { builder } from '../builder.ts';
import { endpointFilter, WEBHOOK_ROLES } from '../domain/access.ts';
import { requeue } from '../services/queue.ts';
import { prismaSql } from '../../platform/events/sql.ts';
import { WebhookDeliveryStatusEnum } from './webhook-delivery-status.ts';

export const WebhookDeliveryType = builder.prismaObject('WebhookDelivery', {
  description: 'One event for one endpoint, with the outcome of its latest attempt.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The webhook-id header: the same on every attempt, so a receiver can deduplicate on it.' }),
    endpoint: t.relation('endpoint'),
    eventId: t.exposeString('eventId', { description: 'The CloudEvents id in the body.' }),
    eventType: t.exposeString('eventType'),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made in all, redeliveries included.' }),
    responseStatus: t.exposeInt('responseStatus', { nullable: true, description: 'HTTP status of the latest attempt; null when no answer came (timeout, refused).' }),
    latencyMs: t.exposeInt('latencyMs', { nullable: true, description: 'Time to the latest attempt’s response headers (or to its failure).' }),
    responseExcerpt: t.exposeString('responseExcerpt', { nullable: true, description: 'At most 1 KB of the latest response body, or what went wrong.' }),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true, description: 'When it is tried next; null once delivered or failed.' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  redeliverWebhook: t.prismaField({
    type: 'WebhookDelivery',
    description: 'Sends a delivery again now, with the same webhook-id, and restarts its retry schedule (whatever its status).',
    authScopes: { anyRole: WEBHOOK_ROLES },
    args: { deliveryId: t.arg.id({ required: true }) },
    resolve: async (query, _root, { deliveryId }, ctx) => {
      const filter = endpointFilter(ctx.principal!);
      const found = isUuid(deliveryId) && (await ctx.db.webhookDelivery.findFirst({ where: { id: deliveryId, orgId: filter.orgId, endpoint: filter }, select: { id: true } }));
      if (!found) throw notFound('Webhook delivery', ['deliveryId']);
      await requeue(prismaSql(ctx.db), deliveryId, ctx.now());
      ctx.services.dispatcher.notify();
      return ctx.db.webhookDelivery.findUniqueOrThrow({ ...query, where: { id: deliveryId } });
    },
  }),
}));
