import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** Running the JavaScript `npm run build` wrote to dist/ (an installed package), not the TypeScript sources through tsx. */
export const COMPILED = here.endsWith('.js');

/** The folder holding the code that runs: the checkout itself, or its dist/ when compiled. */
export const CODE_ROOT = join(dirname(here), '..');

/** The extension of that code's modules: the workflow bundle is built from them. */
export const CODE_EXT = COMPILED ? '.js' : '.ts';

/** Ouro's own folder (a clone or the installed package): package.json, the bundled examples/ and data/. */
export const PROJECT_ROOT = COMPILED ? join(CODE_ROOT, '..') : CODE_ROOT;
