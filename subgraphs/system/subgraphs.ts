import { analytics } from '../analytics/server.ts';
import { audit } from '../audit/server.ts';
import { billing } from '../billing/server.ts';
import { iam } from '../iam/server.ts';
import type { AnySubgraphDefinition } from '../kernel/subgraph.ts';
import { orders } from '../orders/server.ts';
import { planning } from '../planning/server.ts';
import { webhooks } from '../webhooks/server.ts';

/**
 * The one registry of domains: every subgraph's definition, in start order (iam first: the others
 * verify against its keys). Each definition names its domain, its default port and its own
 * configuration slice. Adding a domain is its folder and one line here; `npm run registry` then
 * writes what is generated from this list (the platform's domain list and default ports in
 * subgraphs/platform/domains.ts, supergraph.yaml, docker-compose.yml's subgraph services, ops/k8s),
 * and `npm run check:registry` (in pretest) fails while any of them is stale.
 */
export const SUBGRAPHS: readonly AnySubgraphDefinition[] = [iam, orders, planning, billing, audit, analytics, webhooks];
