import { iam } from './iam/server.ts';
import type { SubgraphDefinition } from './kernel/subgraph.ts';
import { orders } from './orders/server.ts';
import { planning } from './planning/server.ts';

/** Every subgraph built so far, in start order (iam first: the others verify against its keys). */
export const SUBGRAPHS = [iam, orders, planning] as const satisfies ReadonlyArray<SubgraphDefinition<never, never> | SubgraphDefinition<any, any>>;
