// The base's build cache, shared with its candidates (core/sandbox/build-caches.ts),
// through the real activities and sandbox on a small Go module: the base's run
// fills the cache and publishes it; a candidate's run compiles none of the
// standard library again; a hostile candidate that overwrites, deletes and
// plants cache entries, and reaches for the published cache by its host path,
// changes nothing that the next candidate reads. Long: the base compiles the
// standard library's test dependencies from nothing (a minute on two cores).
//
// Then the same for a Rust crate's target dir (CARGO_TARGET_DIR), with
// registry dependencies compiled once; kept between runs for a crate whose
// build runs none of its own code (a Cargo.lock of registry crates, no
// build.rs), never for one with a build script. Needs root, bubblewrap and each
// toolchain (Cargo with memchr and itoa in its offline registry).
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { workspaceRoot } from '../../adapters/git/worktrees.js';
import { repoCachesRoot } from '../../adapters/sandbox/build-cache-paths.js';
import { repoCacheName } from '../../core/sandbox/repo-build-cache.js';
import { runTests } from '../../activities/sandbox/test.js';
import { applyCandidate, cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { testGate } from '../../core/gate/gate.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { wholeFileReply } from '../helpers/hostile.js';

const canSandbox = process.getuid?.() === 0 && (await sandboxMode().catch(() => 'degraded')) === 'bwrap';
const works = async (file: string, args: string[]) => (await execa(file, args, { reject: false })).exitCode === 0;
const has = { go: canSandbox && (await works('go', ['version'])), cargo: canSandbox && (await works('cargo', ['--version'])) };
if (!has.go || !has.cargo)
  console.warn(`build-cache.test.ts: ${has.go ? '' : 'Go '}${has.cargo ? '' : 'Cargo '}skipped (needs root, a working bubblewrap and the toolchain)`);

const tag = randomBytes(4).toString('hex');
const REPORT = '@@cache-hostile ';

// The command says how often the standard library's encoding/json was compiled in this run.
const COMMAND = `go test -x ./... 2>/tmp/go-test-x.log; rc=$?; echo "compiled encoding/json: $(grep -c -- '-p encoding/json ' /tmp/go-test-x.log)"; exit $rc`;

const source = (body: string, sum: string) => `package calc

import (
	"encoding/json"
${body ? '\t"fmt"\n\t"os"\n\t"path/filepath"\n' : ''})

// SumTo returns 1 + 2 + ... + n.
func SumTo(n int) int {
	${sum}
}

// Describe is the sum as JSON.
func Describe(n int) string {
	b, _ := json.Marshal(map[string]int{"n": n, "sum": SumTo(n)})
	return string(b)
}
${body}`;

const WRONG = source('', 'total := 0\n\tfor i := 1; i < n; i++ {\n\t\ttotal += i\n\t}\n\treturn total');
const RIGHT = source('', 'return n * (n + 1) / 2');

/** At test time: overwrite every cache file with zeros of the same size, plant entries, delete a folder, reach the published cache by its host path. */
function hostile(published: string): string {
  const body = `
func init() {
	cache := os.Getenv("GOCACHE")
	seen, overwritten, errs := 0, 0, map[string]string{}
	note := func(what string, err error) {
		if err != nil {
			errs[what] = err.Error()
		} else {
			errs[what] = "ok"
		}
	}
	_ = filepath.Walk(cache, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		seen++
		if os.WriteFile(p, make([]byte, info.Size()), 0o666) == nil {
			overwritten++
		}
		return nil
	})
	note("plant", os.WriteFile(filepath.Join(cache, "00", "00ba5e-a"), []byte("v1 poisoned\\n"), 0o666))
	note("delete", os.RemoveAll(filepath.Join(cache, "ff")))
	published := ${JSON.stringify(published)}
	note("published-write", os.WriteFile(filepath.Join(published, "go-build", "README"), []byte("poisoned"), 0o666))
	note("published-delete", os.RemoveAll(filepath.Join(published, "go-build", "00")))
	_, statErr := os.Stat(published)
	note("published-stat", statErr)
	fmt.Printf("\\n${REPORT}seen=%d overwritten=%d %v\\n", seen, overwritten, errs)
}
`;
  return source(body, 'return n * (n + 1) / 2');
}

/** Every file of a folder: path, mode, size, mtime and content, hashed. */
async function fingerprint(dir: string): Promise<{ files: number; hash: string }> {
  const h = createHash('sha256');
  let files = 0;
  const walk = async (d: string): Promise<void> => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const st = await lstat(p);
      h.update(`${relative(dir, p)} ${st.mode} ${st.size} ${st.mtimeMs}\n`);
      if (st.isDirectory()) await walk(p);
      else if (st.isSymbolicLink()) h.update(await readlink(p));
      else {
        files++;
        h.update(await readFile(p));
      }
    }
  };
  await walk(dir);
  return { files, hash: h.digest('hex') };
}

/** Each file of a folder by its path: its content hashed. */
async function fileHashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) await walk(p);
      else if (entry.isFile())
        out.set(
          relative(dir, p),
          createHash('sha256')
            .update(await readFile(p))
            .digest('hex'),
        );
    }
  };
  await walk(dir);
  return out;
}

const compiledJson = (r: TestRunResult) => Number(/compiled encoding\/json: (\d+)/.exec(r.output)?.[1] ?? NaN);

/** A repository with one source file the candidates replace, its base run (role base), and its candidates, as `ouro run` applies and tests them. */
function target(name: string, files: Record<string, string>, edited: string, command: string) {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300_000 });
  const runId = `build-cache-${name}-${tag}`;
  const state = { repo: '', baseSha: '', baseDir: '', published: '', firstBaseMs: 0, base: undefined as unknown as TestRunResult };
  const otherRuns: string[] = [];
  return {
    state,
    async candidate(id: string, content: string) {
      const applied = await applyCandidate({
        repo: state.repo,
        runId,
        baseSha: state.baseSha,
        candidateId: id,
        reply: wholeFileReply({ [edited]: content }),
        format: 'whole-file',
        allowed: ['**'],
        protectedPaths: DEFAULT_PROTECTED,
        linkPaths: [],
        probes: state.base.probes,
      });
      if (!applied.ok) throw new Error(`apply ${id}: ${applied.message}`);
      const result = (await env.run(runTests, {
        dir: applied.dir,
        command,
        timeoutSeconds: 300,
        label: id,
        protectedPaths: DEFAULT_PROTECTED,
        role: 'candidate' as const,
        baseDir: state.baseDir,
        probes: state.base.probes,
      })) as TestRunResult;
      return { result, verdict: testGate(result, state.base.counts) };
    },
    /** Another run on the same repository, its base the given content of the edited file committed (or the same base): its base's run alone. */
    async anotherBase(id: string, content?: string) {
      const git = (...a: string[]) => execa('git', a, { cwd: state.repo });
      if (content !== undefined) {
        await writeFile(join(state.repo, edited), content);
        await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', id);
      }
      const otherRunId = `${runId}-${id}`;
      otherRuns.push(otherRunId);
      const prep = await prepareRun({ repo: state.repo, baseRef: 'HEAD', runId: otherRunId, files: [edited], linkPaths: [] });
      const started = performance.now();
      const result = (await env.run(runTests, {
        dir: prep.baseDir,
        command,
        timeoutSeconds: 300,
        label: `base ${id}`,
        protectedPaths: DEFAULT_PROTECTED,
        role: 'base' as const,
      })) as TestRunResult;
      return { result, ms: performance.now() - started };
    },
    /** The repository's cache kept between runs (core/sandbox/repo-build-cache.ts). */
    async repoCache(tool: 'go' | 'cargo' = 'go') {
      const common = (await execa('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: state.repo })).stdout.trim();
      return join(repoCachesRoot(), repoCacheName(createHash('sha256').update(common).digest('hex'), tool));
    },
    async setUp() {
      const started = performance.now();
      state.repo = await mkdtemp(join(tmpdir(), `ouro-${name}-cache-`));
      for (const [p, c] of Object.entries(files)) {
        await mkdir(dirname(join(state.repo, p)), { recursive: true });
        await writeFile(join(state.repo, p), c);
      }
      const git = (...a: string[]) => execa('git', a, { cwd: state.repo });
      await git('init', '-q', '-b', 'main');
      await git('add', '-A');
      await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
      const prep = await prepareRun({ repo: state.repo, baseRef: 'HEAD', runId, files: [edited], linkPaths: [] });
      state.baseSha = prep.baseSha;
      state.baseDir = prep.baseDir;
      state.base = (await env.run(runTests, {
        dir: prep.baseDir,
        command,
        timeoutSeconds: 300,
        label: 'base',
        protectedPaths: DEFAULT_PROTECTED,
        role: 'base' as const,
      })) as TestRunResult;
      state.firstBaseMs = performance.now() - started;
      const home = join(dirname(prep.baseDir), 'build-caches');
      const shared = (await readdir(home)).filter((n) => n.startsWith('dir-'));
      state.published = join(home, shared[0] ?? 'none');
    },
    async tearDown() {
      if (!state.repo) return;
      for (const id of [runId, ...otherRuns]) await cleanupRun({ repo: state.repo, runId: id });
      for (const tool of ['go', 'cargo'] as const) await rm(await this.repoCache(tool), { recursive: true, force: true });
      await rm(state.repo, { recursive: true, force: true });
    },
  };
}

/** The hostile run's findings line. */
const findings = (r: TestRunResult) => r.output.split('\n').find((l) => l.includes(REPORT)) ?? '';

const GO_TEST =
  'package calc\n\nimport "testing"\n\nfunc TestSumTo(t *testing.T) {\n\tif got := SumTo(4); got != 10 {\n\t\tt.Fatalf("SumTo(4) = %d", got)\n\t}\n}\n\nfunc TestDescribe(t *testing.T) {\n\tif got := Describe(3); got != `{"n":3,"sum":6}` {\n\t\tt.Fatalf("Describe(3) = %s", got)\n\t}\n}\n';
const go = target('go', { 'go.mod': 'module example.com/calc\n\ngo 1.21\n', 'calc.go': WRONG, 'calc_test.go': GO_TEST }, 'calc.go', COMMAND);

describe.skipIf(!has.go)("a Go module's build cache, filled by the base and read by its candidates", () => {
  const state = go.state;
  const candidate = (id: string, content: string) => go.candidate(id, content);
  // Another run's caches on this host: one no run has used for two days, one used an hour ago.
  const otherRun = join(workspaceRoot(), `build-cache-other-${tag}`);
  const stale = join(otherRun, 'build-caches', 'tree-stale');
  const fresh = join(otherRun, 'build-caches', 'tree-fresh');
  beforeAll(async () => {
    for (const [dir, hoursAgo] of [
      [stale, 48],
      [fresh, 1],
    ] as const) {
      await mkdir(join(dir, 'go-build'), { recursive: true });
      await writeFile(join(dir, 'go-build', 'README'), 'x');
      await writeFile(`${dir}.used`, '');
      const then = new Date(Date.now() - hoursAgo * 3600_000);
      await utimes(`${dir}.used`, then, then);
    }
    await go.setUp();
  }, 600_000);
  afterAll(async () => {
    await rm(otherRun, { recursive: true, force: true });
    await go.tearDown();
  });

  it("the first run of a worker drops the caches no run has used for a day, another run's folder included, and keeps the rest", () => {
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(`${stale}.used`)).toBe(false);
    expect(existsSync(join(fresh, 'go-build', 'README'))).toBe(true);
  });

  it("the base's cache, warmed by compiling alone into the repository's cache, is published read-only, owned by root, when its run ends", async () => {
    expect(state.base.counts, state.base.output.slice(-1500)).toMatchObject({ failed: 2, runner: 'go' });
    // The warm-up compiled the standard library before the base's tests: they compile none of it.
    expect(compiledJson(state.base)).toBe(0);
    expect((await fingerprint(await go.repoCache())).files).toBeGreaterThan(100);
    const st = await lstat(join(state.published, 'go-build'));
    expect(st.uid).toBe(0);
    expect((await fingerprint(state.published)).files).toBeGreaterThan(100);
    // Nothing of the base's private folder is left once it is published.
    expect(await readdir(join(dirname(state.published), 'runs'))).toEqual([]);
  });

  it('a candidate compiles none of the standard library again, and passes', async () => {
    const { result, verdict } = await candidate('fix', RIGHT);
    expect(verdict, result.output.slice(-1500)).toMatchObject({ accepted: true });
    expect(compiledJson(result)).toBe(0);
  });

  it("a hostile candidate's writes to the cache stay in its own view: the published cache and the next candidate are untouched", async () => {
    const before = await fingerprint(state.published);
    const { result } = await candidate('hostile', hostile(state.published));
    const report = findings(result);
    expect(await fingerprint(state.published), report).toEqual(before);

    const next = await candidate('after', RIGHT);
    expect(next.verdict, next.result.output.slice(-1500)).toMatchObject({ accepted: true });
    expect(compiledJson(next.result)).toBe(0);
    expect(await fingerprint(state.published)).toEqual(before);

    // It did see the base's cache, and wrote over all of it, in its own view.
    const seen = Number(/seen=(\d+)/.exec(report)?.[1] ?? 0);
    expect(seen, result.output.slice(-1500)).toBeGreaterThan(100);
    expect(Number(/overwritten=(\d+)/.exec(report)?.[1])).toBe(seen);
    expect(report).toContain('plant:ok');
    // The published cache is not even visible at its host path.
    expect(report).toMatch(/published-stat:stat [^ ]+: no such file/);
    expect(report).not.toMatch(/published-write:ok/);
    // Every run's private view is gone (unmounted and removed).
    expect(await readdir(join(dirname(state.published), 'runs'))).toEqual([]);
  });

  it("a second run's base on the same repository compiles none of the standard library: the repository's cache is kept between runs", async () => {
    const cache = await go.repoCache();
    const before = await fileHashes(cache);
    const { result, ms } = await go.anotherBase('again');
    expect(result.counts, result.output.slice(-1500)).toMatchObject({ failed: 2, runner: 'go' });
    expect(compiledJson(result)).toBe(0);
    // Its warm-up found everything compiled: the whole base run took a fraction of the first one's.
    expect(ms).toBeLessThan(state.firstBaseMs / 2);
    const after = await fileHashes(cache);
    expect([...before.keys()].filter((p) => after.get(p) !== before.get(p))).toEqual([]);
  });

  it("a hostile base, whose package's init() overwrites, plants and deletes in GOCACHE, changes no entry of the repository's cache", async () => {
    const cache = await go.repoCache();
    const before = await fileHashes(cache);
    const { result } = await go.anotherBase('hostile', hostile(cache));
    const report = findings(result);
    // Its tests ran and wrote over the cache they were given: their own copy.
    expect(Number(/seen=(\d+)/.exec(report)?.[1] ?? 0), result.output.slice(-1500)).toBeGreaterThan(100);
    expect(report).toContain('plant:ok');
    // The warm-up compiled its package and ran none of it; the tests could not reach the repository's cache.
    const after = await fileHashes(cache);
    expect(
      [...before.keys()].filter((p) => after.get(p) !== before.get(p)),
      report,
    ).toEqual([]);
    expect(after.has(join('00', '00ba5e-a'))).toBe(false);
    expect(report).toMatch(/published-stat:stat [^ ]+: no such file/);
  });
});

// ---- Cargo: the base's target dir, with two registry dependencies ----

const CARGO_COMMAND = `cargo test --offline 2>/tmp/cargo-test.log -- --nocapture; rc=$?; echo "compiled memchr: $(grep -c 'Compiling memchr' /tmp/cargo-test.log)"; exit $rc`;
const lib = (show: string, prelude = '', onCount = '') => `${prelude}
/** How many '1' bytes the text holds. */
pub fn count(s: &str) -> usize {
    ${onCount}memchr::memchr_iter(b'1', s.as_bytes()).count()
}

/** The number in decimal. */
pub fn show(n: u64) -> String {
    ${show}
}
`;
const RUST_WRONG = lib('itoa::Buffer::new().format(n + 1).to_string()');
const RUST_RIGHT = lib('itoa::Buffer::new().format(n).to_string()');

/** On its first call, count() overwrites every file of the target dir with zeros, plants an rlib, deletes the fingerprints, and reaches for the published cache. */
function rustHostile(published: string): string {
  const prelude = `use std::{fs, path::Path, sync::Once};
static ONCE: Once = Once::new();
fn walk(p: &Path, seen: &mut usize, over: &mut usize) {
    if let Ok(rd) = fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(&path, seen, over),
                Ok(t) if t.is_file() => {
                    *seen += 1;
                    let len = fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as usize;
                    if fs::write(&path, vec![0u8; len]).is_ok() {
                        *over += 1;
                    }
                }
                _ => {}
            }
        }
    }
}
fn poison() {
    let dir = std::env::var("CARGO_TARGET_DIR").unwrap_or_default();
    let (mut seen, mut over) = (0, 0);
    walk(Path::new(&dir), &mut seen, &mut over);
    let plant = fs::write(Path::new(&dir).join("debug/deps/libmemchr-0000.rlib"), b"poisoned").is_ok();
    let delete = fs::remove_dir_all(Path::new(&dir).join("debug/.fingerprint")).is_ok();
    let published = Path::new(${JSON.stringify(published)});
    let published_write = fs::write(published.join("cargo-target/poisoned"), b"x").is_ok();
    let published_seen = published.exists();
    println!("\\n${REPORT}seen={} overwritten={} plant:{} delete:{} published-write:{} published-seen:{}", seen, over, plant, delete, published_write, published_seen);
}`;
  return lib('itoa::Buffer::new().format(n).to_string()', prelude, 'ONCE.call_once(poison);\n    ');
}

/** Files of the registry crates' build output, by path (the crate's own are rebuilt for each worktree's path). */
const registryFiles = (hashes: Map<string, string>) => [...hashes.keys()].filter((p) => /(memchr|itoa)/.test(p));
const compiledMemchr = (r: TestRunResult) => Number(/compiled memchr: (\d+)/.exec(r.output)?.[1] ?? NaN);

const crate = target(
  'cargo',
  {
    'Cargo.toml': '[package]\nname = "digits"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nmemchr = "2"\nitoa = "1"\n',
    'src/lib.rs': RUST_WRONG,
    'tests/digits.rs':
      'use digits::{count, show};\n\n#[test]\nfn counts_ones() {\n    assert_eq!(count("1a11"), 3);\n}\n\n#[test]\nfn shows() {\n    assert_eq!(show(42), "42");\n}\n',
  },
  'src/lib.rs',
  CARGO_COMMAND,
);

describe.skipIf(!has.cargo)("a Rust crate's target dir, filled by the base and read by its candidates", () => {
  beforeAll(async () => {
    await crate.setUp();
    // It tracks no Cargo.lock: one is resolved offline before the warm-up, and the candidates are built from the same resolution.
  }, 600_000);
  afterAll(() => crate.tearDown());

  it("the base's dependencies, compiled by its warm-up into the repository's cache, are in its own target dir, published when its run ends", async () => {
    const { base, published } = crate.state;
    expect(base.counts, base.output.slice(-1500)).toMatchObject({ failed: 1, runner: 'cargo' });
    expect(compiledMemchr(base)).toBe(0);
    expect(registryFiles(await fileHashes(await crate.repoCache('cargo'))).length).toBeGreaterThan(4);
    expect((await lstat(join(published, 'cargo-target'))).uid).toBe(0);
  });

  it('a candidate compiles no dependency again, and passes', async () => {
    const { result, verdict } = await crate.candidate('fix', RUST_RIGHT);
    expect(verdict, result.output.slice(-1500)).toMatchObject({ accepted: true });
    expect(compiledMemchr(result)).toBe(0);
  });

  it("a hostile candidate's writes to the target dir stay in its own view: the published one and the next candidate are untouched", async () => {
    const { published } = crate.state;
    const before = await fingerprint(published);
    const { result } = await crate.candidate('hostile', rustHostile(published));
    const report = findings(result);
    expect(await fingerprint(published), report).toEqual(before);

    const next = await crate.candidate('after', RUST_RIGHT);
    expect(next.verdict, next.result.output.slice(-1500)).toMatchObject({ accepted: true });
    expect(compiledMemchr(next.result)).toBe(0);
    expect(await fingerprint(published)).toEqual(before);

    // It saw the base's build output and wrote over it (all but its own running test binaries), in its own view only.
    const seen = Number(/seen=(\d+)/.exec(report)?.[1] ?? 0);
    expect(seen, result.output.slice(-1500)).toBeGreaterThan(20);
    expect(Number(/overwritten=(\d+)/.exec(report)?.[1])).toBeGreaterThan(seen / 2);
    expect(report).toContain('plant:true delete:true published-write:false published-seen:false');
  });
});

// ---- Cargo: the repository's target dir kept between runs, only where compiling runs none of its code ----

/** Cargo.lock for a crate's manifest, resolved from the offline registry (no code of the crate runs). */
async function lockFor(manifest: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-cargo-lock-'));
  try {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'Cargo.toml'), manifest);
    await writeFile(join(dir, 'src/lib.rs'), '');
    await execa('cargo', ['generate-lockfile', '--offline'], { cwd: dir });
    return await readFile(join(dir, 'Cargo.lock'), 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const LOCKED_MANIFEST = '[package]\nname = "digits"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nmemchr = "2"\nitoa = "1"\n';
const lockedFiles: Record<string, string> = {
  'Cargo.toml': LOCKED_MANIFEST,
  'src/lib.rs': RUST_WRONG,
  'tests/digits.rs': 'use digits::show;\n\n#[test]\nfn shows() {\n    assert_eq!(show(42), "42");\n}\n',
};
const lockedCrate = target('cargo-locked', lockedFiles, 'src/lib.rs', CARGO_COMMAND);

/** Its build script leaves a mark in the target dir it is built into: the warm-up's would be the repository's cache. */
const MARKED_MANIFEST = '[package]\nname = "marked"\nversion = "0.1.0"\nedition = "2021"\n';
const markedFiles: Record<string, string> = {
  'Cargo.toml': MARKED_MANIFEST,
  'build.rs':
    'fn main() {\n    let dir = std::env::var("CARGO_TARGET_DIR").unwrap_or_default();\n    let _ = std::fs::write(std::path::Path::new(&dir).join("build-rs-ran"), b"x");\n}\n',
  'src/lib.rs': 'pub fn two() -> u32 {\n    3\n}\n',
  'tests/two.rs': '#[test]\nfn two() {\n    assert_eq!(marked::two(), 2);\n}\n',
};
const markedCrate = target('cargo-marked', markedFiles, 'src/lib.rs', 'cargo test --offline');

describe.skipIf(!has.cargo)("a crate's target dir kept between runs, filled only where compiling runs none of the crate's code", () => {
  beforeAll(async () => {
    lockedFiles['Cargo.lock'] = await lockFor(LOCKED_MANIFEST);
    markedFiles['Cargo.lock'] = await lockFor(MARKED_MANIFEST);
    await lockedCrate.setUp();
    await markedCrate.setUp();
  }, 600_000);
  afterAll(async () => {
    await lockedCrate.tearDown();
    await markedCrate.tearDown();
  });

  it("a locked crate with no build script: the warm-up compiles its registry dependencies into the repository's cache, the base's tests none", async () => {
    const { base } = lockedCrate.state;
    expect(base.counts, base.output.slice(-1500)).toMatchObject({ failed: 1, runner: 'cargo' });
    expect(compiledMemchr(base)).toBe(0);
    expect(base.buildCacheNotes).toBeUndefined();
    expect(registryFiles(await fileHashes(await lockedCrate.repoCache('cargo'))).length).toBeGreaterThan(4);
  });

  it("a second run's base on the same crate compiles no registry dependency, and the repository's cache keeps their build output", async () => {
    const cache = await lockedCrate.repoCache('cargo');
    const before = await fileHashes(cache);
    const { result } = await lockedCrate.anotherBase('again');
    expect(result.counts, result.output.slice(-1500)).toMatchObject({ failed: 1, runner: 'cargo' });
    expect(compiledMemchr(result)).toBe(0);
    const after = await fileHashes(cache);
    expect(registryFiles(before).filter((p) => after.get(p) !== before.get(p))).toEqual([]);
  });

  it('a crate with a build.rs gets no warm-up: its build script ran in its tests, never into a repository cache', async () => {
    const { base, published } = markedCrate.state;
    expect(base.counts, base.output.slice(-1500)).toMatchObject({ failed: 1, runner: 'cargo' });
    expect(existsSync(join(published, 'cargo-target', 'build-rs-ran'))).toBe(true);
    expect(existsSync(await markedCrate.repoCache('cargo'))).toBe(false);
    expect(base.buildCacheNotes).toEqual([
      "Cargo target dir not warmed from the repository's cache: the repository has a build script (build.rs); the base builds cold",
    ]);
  });
});
