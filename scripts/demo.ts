/**
 * Walks through the product against a running graph and says what passed:
 *   npm run demo [-- --url http://127.0.0.1:4000/graphql]   (default: HOST and GATEWAY_PORT, as npm start uses them)
 */
import { loadConfig } from '../subgraphs/platform/config.ts';
import { runDemo } from './demo/steps.ts';
import { describeError } from './lib/verify.ts';
import { commandLine } from './lib/command-line.ts';

const { options } = commandLine({
  name: 'demo',
  summary: 'Walks through the product against a running graph and says what passed.',
  options: { url: { type: 'string', value: 'url', description: 'the gateway (default: HOST and GATEWAY_PORT, as npm start uses them)' } },
});
const url = options.url ?? defaultUrl();

/** Where `npm start` with the same environment listens; a wildcard address is reached on loopback. */
function defaultUrl(): string {
  const config = loadConfig();
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.gateway.port}/graphql`;
}

console.log(`VoidTracker demo against ${url}\n`);
const results = await runDemo(url, (r) =>
  console.log(`${r.ok ? 'PASSED' : 'FAILED'}  ${r.name.padEnd(52)} ${r.ms.toFixed(0).padStart(5)} ms  ${r.figures}`),
).catch((error: unknown) => {
  console.log(`FAILED  could not reach the graph: ${describeError(error)}\n        Is it running? Start it with: npm start`);
  process.exit(1);
});
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
