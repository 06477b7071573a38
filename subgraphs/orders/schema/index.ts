import './address.ts';
import './parcel.ts';
import './order-status.ts';
import './order-status-change.ts';
import './order.ts';
import './user.ts';
import './organization.ts';
import { builder } from '../builder.ts';

export const buildOrdersSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
