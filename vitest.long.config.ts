import { suite } from './vitest.config.js';

// The long suite (npm run test:long): cases that take minutes, kept out of the default `npm test`.
export default suite(['test/long/**/*.test.ts']);
