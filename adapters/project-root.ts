import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Ouro's own checkout: where `.ouro/` (tools, model, caches) and the bundled example live. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
