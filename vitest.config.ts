import { configDefaults, defineConfig } from 'vitest/config';

/** The suites share one set-up: a dev server for the run (global-setup), files one at a time. */
export function suite(include: string[], exclude: string[] = []) {
  return defineConfig({
    test: {
      include,
      exclude: [...configDefaults.exclude, ...exclude],
      globalSetup: ['test/global-setup.ts'],
      // End-to-end files share one dev server and two cores: run files one at a time.
      fileParallelism: false,
      testTimeout: 180_000,
      hookTimeout: 120_000,
      // Tests that only need *a* model to answer draft with the fastest one; the long
      // suite's default-model case names the default itself.
      env: { OURO_LOCAL_MODEL: 'smollm2-135m' },
    },
  });
}

// test/long: minutes-long cases, run by `npm run test:long` (and by .ci/run after the default suite);
// test/cluster: the PostgreSQL-backed cluster's own cases, run by `npm run test:cluster`.
export default suite(['test/**/*.test.ts'], ['test/long/**', 'test/cluster/**']);
