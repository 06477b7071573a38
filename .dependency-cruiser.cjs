/**
 * Import boundaries, checked by `npm run check:boundaries` (part of `npm test`'s pretest).
 * Arrows point down: a domain → kernel → platform → nothing of ours; a domain → another domain only
 * through its event contracts; shipped folders → never tests or scripts. Violations known when the
 * check came in are listed in .dependency-cruiser-known-violations.json and reported as warnings;
 * anything new fails. Shrink that list when a violation is fixed (never grow it to let a new one in):
 *   npx depcruise --config .dependency-cruiser.cjs --output-type baseline \
 *     --output-to .dependency-cruiser-known-violations.json gateway subgraphs scripts examples
 */
/** A domain: any folder of subgraphs/ but the shared layers and the system that assembles them (no list to keep). */
const DOMAINS = '(?!platform/|kernel/|system/)([^/]+)';
/** Test code, wherever it sits today: test files, fixtures, and the helpers only tests use. */
const TEST_CODE = [
  '\\.test\\.ts$',
  '\\.fixture\\.ts$',
  '\\.suite\\.ts$',
  '/testing/',
  '/e2e/',
];
/** The shipped folders (their test code is told apart by TEST_CODE). */
const SHIPPED = '^(gateway|subgraphs)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file circle: neither side can be read, tested or moved alone. Move the shared type or function down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shipped-not-to-scripts',
      severity: 'error',
      comment: 'gateway/ and subgraphs/ ship; scripts/ is tooling. Move what both need into the shipped folder, or the caller out of it. Test code beside the shipped code (tests and their helpers, TEST_CODE) ships nothing and may use the tooling.',
      from: { path: SHIPPED, pathNot: TEST_CODE },
      to: { path: '^scripts/' },
    },
    {
      name: 'product-not-to-test-code',
      severity: 'error',
      comment: 'Product code must not depend on tests, fixtures or test helpers.',
      from: { path: SHIPPED, pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
    {
      name: 'domain-not-to-other-domain',
      severity: 'error',
      comment: "A domain reaches another only through its event contracts (subgraphs/<domain>/events/contracts.ts).",
      from: { path: `^subgraphs/${DOMAINS}/`, pathNot: TEST_CODE },
      to: {
        path: `^subgraphs/${DOMAINS}/`,
        pathNot: ['^subgraphs/$1/', `^subgraphs/${DOMAINS}/events/contracts\\.ts$`],
      },
    },
    {
      name: 'platform-not-upward',
      severity: 'error',
      comment: 'The platform (config, db, http, events, telemetry…) is shared by the gateway, the subgraphs and the scripts: it knows no kernel, no domain, no gateway.',
      from: { path: '^subgraphs/platform/', pathNot: TEST_CODE },
      to: { path: ['^subgraphs/(?!platform/)', '^gateway/'] },
    },
    {
      name: 'kernel-not-to-domain',
      severity: 'error',
      comment: 'The kernel is what a subgraph is: it builds on the platform only, and knows no domain (not even its contracts), nor the gateway.',
      from: { path: '^subgraphs/kernel/', pathNot: TEST_CODE },
      to: { path: ['^subgraphs/(?!platform/|kernel/)', '^gateway/'] },
    },
    {
      name: 'domain-not-to-system',
      severity: 'error',
      comment: 'subgraphs/system/ assembles every domain into one graph; a domain below it cannot know the whole.',
      from: { path: `^subgraphs/${DOMAINS}/`, pathNot: TEST_CODE },
      to: { path: '^subgraphs/system/' },
    },
    {
      name: 'gateway-not-to-domain-internals',
      severity: 'error',
      comment: 'The gateway knows subgraphs by their schemas and URLs, not by their code (contracts excepted).',
      from: { path: '^gateway/', pathNot: TEST_CODE },
      to: { path: [`^subgraphs/${DOMAINS}/`, '^subgraphs/system/'], pathNot: `^subgraphs/${DOMAINS}/events/contracts\\.ts$` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '/generated/', '(^|/)\\.data/', '(^|/)\\.cache/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
