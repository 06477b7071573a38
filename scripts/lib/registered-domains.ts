import type { Domain } from '../../subgraphs/platform/domains.ts';
import { SUBGRAPHS } from '../../subgraphs/system/subgraphs.ts';

/** A domain as the generated files need it: its name and default port, from its definition. */
export interface DomainEntry {
  name: Domain;
  port: number;
}

/** The registry of domains (subgraphs/system/subgraphs.ts) as the files generated from it read it, in start order. */
export const registeredDomains = (): DomainEntry[] => SUBGRAPHS.map((d) => ({ name: d.name, port: d.port }));
