import { createSubgraphBuilder } from '../kernel/builder.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import type { WebhooksServices } from './services/index.ts';

export const builder = createSubgraphBuilder<PrismaTypes, PrismaClient, WebhooksServices>({ dmmf: getDatamodel() });
