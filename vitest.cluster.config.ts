import { suite } from './vitest.config.js';

// The cluster suite (npm run test:cluster): runs, trains and the resilience cases against a
// PostgreSQL-backed Temporal cluster instead of the dev server. Not in the default `npm test`:
// the first run builds the server from its Go module (minutes).
const config = suite(['test/e2e/resilience.test.ts', 'test/long/train.test.ts', 'test/cluster/**/*.test.ts']);
config.test!.globalSetup = ['test/cluster-setup.ts'];
export default config;
