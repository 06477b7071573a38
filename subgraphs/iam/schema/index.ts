import './organization.ts';
import './user.ts';
import './auth.ts';
import './invitation.ts';
import './api-key.ts';
import { builder } from '../builder.ts';

export const buildIamSchema = () => builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' });
