import type { z } from 'zod';
import { ENV_SCHEMA, type Config, type Domain } from '../platform/config.ts';
import { settingsOf } from '../kernel/subgraph.ts';
import { SUBGRAPHS } from './subgraphs.ts';
import { PLUGINS } from '../../gateway/pipeline.ts';

/** One group of variables: the platform's (gateway and every process), a gateway plugin's own slice, or one domain's. */
export interface ConfigSchema {
  readBy: 'platform' | 'gateway' | Domain;
  env: z.ZodObject<z.ZodRawShape>;
}

/** Every variable of the system, by who reads it: the platform's schema, the gateway plugins' slices in pipeline order, then each domain's slice in start order. */
export const CONFIG_SCHEMAS: readonly ConfigSchema[] = [
  { readBy: 'platform', env: ENV_SCHEMA },
  ...PLUGINS.flatMap((p): ConfigSchema[] => (p.config ? [{ readBy: 'gateway', env: p.config.env }] : [])),
  ...SUBGRAPHS.flatMap((def): ConfigSchema[] => (def.config ? [{ readBy: def.name, env: def.config.env }] : [])),
];

/** Every environment variable any process of the system reads. */
export const ALL_CONFIG_KEYS: readonly string[] = CONFIG_SCHEMAS.flatMap((s) => Object.keys(s.env.shape));

/** Parses every domain's slice from the config's environment; the first bad value throws ConfigError naming it. */
export function checkDomainSettings(config: Config): void {
  for (const def of SUBGRAPHS) settingsOf(def, config);
}
