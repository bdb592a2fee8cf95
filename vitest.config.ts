import { defineConfig } from 'vitest/config';

// One runner for everything: unit tests beside the code, integration tests against the
// real Docker engine, and browser e2e in e2e/. Docker and browser tests are slow on two
// cores, hence the generous timeouts.
export default defineConfig({
  test: {
    include: ['{electron,stack,inference,renderer,scripts}/**/*.test.{ts,tsx}', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
