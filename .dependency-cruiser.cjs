// The layers, checked in `npm test` (npm run layers): a forbidden edge fails the run.
// Schema-only modules, which import zod and each other only: the contract's own (schemas, the
// settings, the dashboards' PromQL), and the inference service's that the contract composes (its
// API, its settings and their variables, its metric names), and the notification form's.
const SCHEMA_MODULES = '^(electron/api/|inference/(api-types|model-sidecar|service-settings|env-overrides|metric-names)\\.ts$|stack/notifications/notification-settings\\.ts$)';
// Tests, test support and benchmarks drive the code from outside and may reach across rooms.
const TEST_CODE = '\\.test\\.tsx?$|/testing/|/bench/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-unresolvable', severity: 'error', comment: 'Every import resolves to a file or a package.', from: {}, to: { couldNotResolve: true } },
    { name: 'no-cycles', severity: 'error', comment: 'Modules form no import cycle.', from: {}, to: { circular: true } },
    {
      name: 'renderer-only-contract',
      severity: 'error',
      comment: 'The renderer knows its own files and the API contract, nothing of the main process, the stack or the service.',
      from: { path: '^renderer/' },
      to: { path: '^(electron|stack|inference|scripts|e2e)/', pathNot: SCHEMA_MODULES },
    },
    {
      name: 'inference-stands-alone',
      severity: 'error',
      comment: 'The inference service is built and run alone (its image): nothing of the console. Its benchmark measures it from outside, as the console runs it.',
      from: { path: '^inference/', pathNot: '^inference/bench/' },
      to: { path: '^(electron|stack|renderer)/' },
    },
    {
      name: 'contract-is-a-leaf',
      severity: 'error',
      comment: 'The contract imports only schema modules and zod.',
      from: { path: '^electron/api/' },
      to: { pathNot: `${SCHEMA_MODULES}|^node_modules/zod/` },
    },
    {
      name: 'schema-modules-only-zod',
      severity: 'error',
      comment: 'A schema module (what the contract may import) imports zod and other schema modules only.',
      from: { path: SCHEMA_MODULES },
      to: { pathNot: `${SCHEMA_MODULES}|^node_modules/zod/` },
    },
    {
      name: 'stack-below-the-console',
      severity: 'error',
      comment: 'The stack is driven by the main process, not the other way round: it may use the contract\'s schemas, nothing else of electron/.',
      from: { path: '^stack/', pathNot: TEST_CODE },
      to: { path: '^electron/', pathNot: '^electron/api/' },
    },
    {
      name: 'electron-only-in-shell',
      severity: 'error',
      comment: 'Only main.ts, preload.ts and the desktop adapters import Electron.',
      from: { pathNot: '^electron/(main|preload)\\.ts$|^electron/desktop/(electron-adapters|safe-storage-cipher)\\.ts$' },
      to: { path: '^node_modules/electron/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|out|node_modules)/|/fixtures/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
