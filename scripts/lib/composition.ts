import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import YAML from 'yaml';
import { graphqlOfGateway } from '../../gateway/subscriptions/graphql-realm.ts';
import { NODE_SUBGRAPH, nodeSubgraphSdl, nodeTypesOf } from '../../gateway/node/node-sdl.ts';
import { liveSchema } from '../../gateway/subscriptions/schema.ts';
import { SUBGRAPHS } from '../../subgraphs/system/subgraphs.ts';

export interface SupergraphConfig {
  subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
}

export const readSupergraphConfig = async (path = 'supergraph.yaml'): Promise<SupergraphConfig> =>
  YAML.parse(await readFile(path, 'utf8')) as SupergraphConfig;

/**
 * Each subgraph's SDL as its own server would publish it, and the gateway's node subgraph, whose
 * SDL follows from theirs (every type they own and key by id is a Node).
 */
export function printSubgraphs(): Map<string, string> {
  const sdls = new Map(SUBGRAPHS.map((def) => [def.name, printSubgraphSchema(def.schema())]));
  return withNodeSubgraph(sdls);
}

/** The SDLs with the node subgraph's added (or replaced), generated from the others. */
export function withNodeSubgraph(sdls: ReadonlyMap<string, string>): Map<string, string> {
  const others = new Map([...sdls].filter(([name]) => name !== NODE_SUBGRAPH));
  const sdl = printSubgraphSchema(buildSubgraphSchema(parse(nodeSubgraphSdl(nodeTypesOf(others).keys()))));
  return new Map([...others, [NODE_SUBGRAPH, sdl]]);
}

/** Composes the supergraph offline from the given SDLs; throws with every composition error. */
export function compose(config: SupergraphConfig, sdls: Map<string, string>): string {
  const services = Object.entries(config.subgraphs).map(([name, entry]) => {
    const sdl = sdls.get(name);
    if (!sdl) throw new Error(`supergraph.yaml names subgraph "${name}", which has no schema.`);
    return { name, url: entry.routing_url, typeDefs: parse(sdl) };
  });
  const missing = [...sdls.keys()].filter((name) => !config.subgraphs[name]);
  if (missing.length) throw new Error(`supergraph.yaml does not list: ${missing.join(', ')}`);
  const result = composeServices(services);
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `  ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}

/**
 * The schema clients see (schemas/api.graphql): the supergraph's API schema, as the gateway
 * derives it, plus the gateway's own Subscription type. What introspection through /graphql answers.
 */
export function clientSchema(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return `${graphqlOfGateway.printSchema(liveSchema(api))}\n`;
}
