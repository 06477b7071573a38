/**
 * Walks through the product against a running graph and says what passed:
 *   npm run demo [-- --url http://127.0.0.1:4000/graphql]
 */
import { runDemo } from './demo/steps.ts';

const at = process.argv.indexOf('--url');
const url = at > 0 ? process.argv[at + 1]! : 'http://127.0.0.1:4000/graphql';

console.log(`VoidTracker demo against ${url}\n`);
const results = await runDemo(url, (r) =>
  console.log(`${r.ok ? 'PASSED' : 'FAILED'}  ${r.name.padEnd(52)} ${r.ms.toFixed(0).padStart(5)} ms  ${r.figures}`),
).catch((error: unknown) => {
  console.log(`FAILED  could not reach the graph: ${(error as Error).message}\n        Is it running? Start it with: npm start`);
  process.exit(1);
});
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
