import { analytics } from '../analytics/server.ts';
import { audit } from '../audit/server.ts';
import { billing } from '../billing/server.ts';
import { iam } from '../iam/server.ts';
import type { AnySubgraphDefinition } from '../kernel/subgraph.ts';
import { orders } from '../orders/server.ts';
import { planning } from '../planning/server.ts';
import { webhooks } from '../webhooks/server.ts';

/** Every subgraph built so far, in start order (iam first: the others verify against its keys). */
export const SUBGRAPHS: readonly AnySubgraphDefinition[] = [iam, orders, planning, billing, audit, analytics, webhooks];
