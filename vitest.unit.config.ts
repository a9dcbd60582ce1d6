import { configDefaults, defineConfig } from 'vitest/config';

// The unit tests alone (npm run test:unit): pure logic, no Temporal server, seconds. Also the gate
// `ouro evolve` uses when it evolves Ouro's own code (cli/self-evolve.ts).
export default defineConfig({
  test: { include: ['test/unit/**/*.test.ts'], exclude: [...configDefaults.exclude] },
});
