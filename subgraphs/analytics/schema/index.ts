import './kpi-grouping.ts';
import './kpi-range.ts';
import './kpi-amount.ts';
import './kpi-on-time.ts';
import './kpi-revenue.ts';
import './kpi-average-price.ts';
import './kpi-vehicle-utilization.ts';
import './kpi-customer.ts';
import './kpi-period.ts';
import './kpis.ts';
import './organization.ts';
import './kpi-rebuild.ts';
import { builder } from '../builder.ts';

export const buildAnalyticsSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
