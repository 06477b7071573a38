import { builder } from '../builder.ts';
import { RouteStatus } from '../generated/prisma/enums.ts';

export const RouteStatusType = builder.enumType(RouteStatus, { name: 'RouteStatus' });
