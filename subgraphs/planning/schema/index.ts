import './route-status.ts';
import './stop-status.ts';
import './depot.ts';
import './vehicle.ts';
import './route.ts';
import './stop.ts';
import './plan-day.ts';
import './planning-order.ts';
import './order.ts';
import './optimization.ts';
import { builder } from '../builder.ts';

export const buildPlanningSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
