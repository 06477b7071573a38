import './json.ts';
import './audit-entry.ts';
import './chain-verification.ts';
import './retention.ts';
import './order.ts';
import './user.ts';
import { builder } from '../builder.ts';

export const buildAuditSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
