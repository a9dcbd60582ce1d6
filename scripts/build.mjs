// `npm run build`: the compiler, then the build stamp bin/ouro.js reads to choose dist/ over tsx.
// The sources are snapshotted before compiling, so one edited while the compiler ran reads as changed.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { snapshotSources, STAMP, writeStamp } from '../bin/build-stamp.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// A failed build must not leave the last one's stamp vouching for a half-written dist/.
rmSync(join(root, STAMP), { force: true });
const sources = snapshotSources(root);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
} catch {
  process.exit(1);
}
writeStamp(root, sources);
