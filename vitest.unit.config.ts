import { configDefaults, defineConfig } from 'vitest/config';

// The unit tests alone (npm run test:unit): pure logic, no Temporal server, no set-up (no
// .ouro/ data, no model, no network), seconds in all. Also the gate `ouro evolve` uses when it
// evolves Ouro's own code (cli/self-evolve.ts).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
    // A unit test takes milliseconds; the slowest (a few git commands in a temp repository)
    // well under a second. Five seconds leaves room for a loaded two-core machine; a test that
    // needs more spawns real work and belongs in the default suite (test/integration, test/e2e)
    // or, for a simulation that measures, in bench/.
    testTimeout: 5_000,
    hookTimeout: 10_000,
  },
});
