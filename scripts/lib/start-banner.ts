import { DEMO, OTHER_TENANT, PLATFORM } from '../../subgraphs/iam/seed.ts';
import type { Config } from '../../subgraphs/platform/config.ts';

export interface BannerFacts {
  seconds: number;
  graphqlUrl: string;
  url: string;
  subgraphs: ReadonlyArray<{ name: string; url: string }>;
}

/** Where the data lives, in words: a server, a folder, or nowhere that outlives the process. */
function storage(config: Config): { where: string; keeps: string } {
  if (config.postgresUrl) return { where: `PostgreSQL at ${new URL(config.postgresUrl).host}`, keeps: `data stays in PostgreSQL (databases ${config.databasePrefix}_<domain>)` };
  if (config.dataDir === 'memory://') return { where: 'embedded PostgreSQL in memory', keeps: 'nothing is kept (DATA_DIR=memory://)' };
  return { where: `embedded PostgreSQL in ${config.dataDir}/`, keeps: `data stays in ${config.dataDir}/ (npm start -- --reset starts afresh)` };
}

/** What `npm start` prints once the graph is up: where to go, who to log in as, how to stop. */
export function startBanner(config: Config, facts: BannerFacts): string {
  const { where, keeps } = storage(config);
  const users = [DEMO, OTHER_TENANT, PLATFORM]
    .flatMap((t) => t.users.map((u) => `    ${u.email.padEnd(24)} ${u.roles.join(', ').padEnd(17)} ${t.organization.slug}`))
    .join('\n');
  return `
VoidTracker is up in ${facts.seconds.toFixed(1)} s (${config.env}, ${where})

  GraphQL endpoint   ${facts.graphqlUrl}
  Apollo Sandbox     ${facts.url}/   (open in a browser)
  Health             ${facts.url}/health/ready
  Traces             ${config.telemetry.otlpEndpoint ? `OTLP to ${config.telemetry.otlpEndpoint}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT)'}
  Subgraphs          ${facts.subgraphs.map((s) => `${s.name} ${s.url}`).join(', ')}
${
  config.seedDemo
    ? `
  Demo users, password "${DEMO.password}" for every one:
${users}
`
    : ''
}
Ctrl+C stops it; ${keeps}.
`;
}
