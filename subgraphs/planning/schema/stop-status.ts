import { builder } from '../builder.ts';
import { StopStatus } from '../generated/prisma/enums.ts';

export const StopStatusType = builder.enumType(StopStatus, { name: 'StopStatus' });
