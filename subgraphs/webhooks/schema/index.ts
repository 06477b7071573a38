import './webhook-scope.ts';
import './webhook-delivery-status.ts';
import './webhook-endpoint.ts';
import './webhook-endpoint-secret.ts';
import './webhook-delivery.ts';
import { builder } from '../builder.ts';

export const buildWebhooksSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
