import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs neither a Docker engine nor a browser (`npm run test:unit`);
// `integration` is every `*.int.test.ts` (the real engine) and the browser e2e in e2e/.
// `npm test` runs both. Docker and browser tests are slow on two cores, hence the generous timeouts.
const SOURCES = '{electron,stack,inference,renderer,scripts}';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['stack/testing/test-tmp-setup.ts'],
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: [`${SOURCES}/**/*.test.{ts,tsx}`], exclude: ['**/*.int.test.ts', '**/node_modules/**'] } },
      // One file at a time: engine tests create and remove networks, and Chromium aborts a page's
      // fetches (ERR_NETWORK_CHANGED) when an interface comes or goes under a browser test.
      { extends: true, test: { name: 'integration', include: [`${SOURCES}/**/*.int.test.ts`, 'e2e/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
