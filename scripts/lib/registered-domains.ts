import type { Domain } from '../../subgraphs/platform/domains.ts';
import { DOMAIN_REGISTRY } from '../../subgraphs/system/subgraphs.ts';

/** A domain as the generated files need it: its name and default port. */
export interface DomainEntry {
  name: Domain;
  port: number;
}

/** The registry of domains (subgraphs/system/subgraphs.ts) as the files generated from it read it, in start order. */
export const registeredDomains = (): DomainEntry[] => DOMAIN_REGISTRY.map((d) => ({ name: d.definition.name, port: d.port }));
