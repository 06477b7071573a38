import './json.ts';
import './distance-source.ts';
import './quote-line.ts';
import './rate-card-version.ts';
import './rate-card.ts';
import './quote.ts';
import './quote-reason.ts';
import './quote-lock.ts';
import './vat.ts';
import './tax-id.ts';
import './billing-settings.ts';
import './invoice-status.ts';
import './invoice-line.ts';
import './invoice.ts';
import './order.ts';
import './organization.ts';
import { builder } from '../builder.ts';

export const buildBillingSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
