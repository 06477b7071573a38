import { analytics } from '../analytics/server.ts';
import { audit } from '../audit/server.ts';
import { billing } from '../billing/server.ts';
import { iam } from '../iam/server.ts';
import type { AnySubgraphDefinition } from '../kernel/subgraph.ts';
import { orders } from '../orders/server.ts';
import { planning } from '../planning/server.ts';
import { webhooks } from '../webhooks/server.ts';

/** A domain as the registry holds it: its subgraph definition (which names it) and the port it listens on unless `<NAME>_PORT` says otherwise. */
export interface RegisteredDomain {
  definition: AnySubgraphDefinition;
  port: number;
}

/**
 * The one registry of domains, in start order (iam first: the others verify against its keys).
 * Adding a domain is its folder and one line here; `npm run registry` then writes what is generated
 * from this list (the platform's domain list and default ports in subgraphs/platform/domains.ts,
 * supergraph.yaml, docker-compose.yml's subgraph services, ops/k8s), and `npm run check:registry`
 * (in pretest) fails while any of them is stale.
 */
export const DOMAIN_REGISTRY: readonly RegisteredDomain[] = [
  { definition: iam, port: 4001 },
  { definition: orders, port: 4002 },
  { definition: planning, port: 4003 },
  { definition: billing, port: 4004 },
  { definition: audit, port: 4005 },
  { definition: analytics, port: 4006 },
  { definition: webhooks, port: 4007 },
];

/** Every subgraph, in start order. */
export const SUBGRAPHS: readonly AnySubgraphDefinition[] = DOMAIN_REGISTRY.map((d) => d.definition);
