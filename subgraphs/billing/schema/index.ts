import './json.ts';
import './distance-source.ts';
import './quote-line.ts';
import './rate-card-version.ts';
import './rate-card.ts';
import './quote.ts';
import './order.ts';
import { builder } from '../builder.ts';

export const buildBillingSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
