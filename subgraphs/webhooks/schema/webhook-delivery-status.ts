import { builder } from '../builder.ts';

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'PENDING: queued or between retries; DELIVERED: a 2xx answer came; FAILED: every retry of the schedule failed.',
  values: ['PENDING', 'DELIVERED', 'FAILED'] as const,
});
