// Benchmark integrity (docs/gate.md, "The benchmark contract"): a search keeps whatever scores
// best, so each way a program can score without doing the work is tried here, through the real
// benchmark activity on the bundled example (bench/bench.ts draws its inputs from OURO_BENCH_SEED
// and prints a digest of its results), in the real sandbox. Every candidate below passes the
// example's tests; each hostile one must come out not faster or measured nothing, and the honest
// sieve must still come out faster and pass the gate a promotion or a commit with a goal uses.
//
// Needs bubblewrap and root (the unprivileged sandbox uid); skipped otherwise.
import { MockActivityEnvironment } from '@temporalio/testing';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../activities/sandbox/benchmark.js';
import { runTests } from '../../activities/sandbox/test.js';
import { applyCandidate, cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import type { BenchRunResult, TestRunResult } from '../../core/contracts/sandbox.js';
import { perfGate, testGate } from '../../core/gate/gate.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { PROCESS_METRIC } from '../../core/stats/bench-measure.js';
import { formatDecision } from '../../core/stats/perf-stats.js';
import { createExampleRepo } from '../helpers/example-repos.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';
import { wholeFileReply } from '../helpers/hostile.js';

const BENCH = './node_modules/.bin/tsx bench/bench.ts';
const TEST = './node_modules/.bin/vitest run';
const PRINTED = 'countPrimesBelow-x3';
const PRIMES = readFileSync(new URL('../../examples/mathkit/src/primes.ts', import.meta.url), 'utf8');
/** The base's function, renamed, for a candidate to fall back on. */
const SLOW = PRIMES.replace('export function countPrimesBelow', 'function slowCount');
/** The gate a promotion (evolve, margin 2%) and a run with a goal apply. */
const PROMOTION = { speedupGoal: 1.02, requireVerdict: true };
const tag = randomBytes(4).toString('hex');

/** The example benchmark's draw (bench/bench.ts): three limits from a seed. */
function limitsOf(seed: string): number[] {
  let state = Number(seed) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return [0, 1, 2].map(() => 11_000 + Math.floor(next() * 2_000));
}

function sieveCount(limit: number): number {
  const composite = new Uint8Array(limit);
  let count = 0;
  for (let n = 2; n < limit; n++) {
    if (composite[n]) continue;
    count++;
    for (let m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return count;
}

/** The answers for the inputs the benchmark uses when no seed is given: what a candidate that read bench.ts would hard-code. */
const KNOWN = Object.fromEntries(limitsOf('1').map((l) => [l, sieveCount(l)]));

const usable = process.getuid?.() === 0 && (await sandboxMode().catch(() => 'degraded')) === 'bwrap';
if (!usable) console.warn('bench-integrity.test.ts: skipped (needs root and a working bubblewrap)');

describe.skipIf(!usable)('benchmark integrity against programs that game the score', () => {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
  const runId = `bench-integrity-${tag}`;
  let repo: string;
  let baseDir: string;
  let baseSha: string;

  beforeAll(async () => {
    repo = await createExampleRepo({ files: { 'src/sum.ts': FIXED_SUM } });
    const prep = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['src/**/*.ts'], linkPaths: ['node_modules'] });
    baseDir = prep.baseDir;
    baseSha = prep.baseSha;
  });

  afterAll(async () => {
    if (!repo) return;
    await cleanupRun({ repo, runId });
    await rm(repo, { recursive: true, force: true });
  });

  async function candidate(id: string, primes: string): Promise<string> {
    const a = await applyCandidate({
      repo,
      runId,
      baseSha,
      candidateId: id,
      reply: wholeFileReply({ 'src/primes.ts': primes }),
      format: 'whole-file',
      allowed: ['src/**/*.ts'],
      protectedPaths: DEFAULT_PROTECTED,
      linkPaths: ['node_modules'],
    });
    if (!a.ok) throw new Error(`apply ${id}: ${a.message}`);
    return a.dir;
  }

  function benchmark(dir: string, label: string, pairs: number): Promise<BenchRunResult> {
    return env.run(runBenchmark, {
      baseDir,
      candidateDir: dir,
      command: BENCH,
      mode: 'metrics' as const,
      minPairs: pairs,
      maxPairs: pairs,
      noiseMargin: 0.02,
      timeoutSeconds: 240,
      label: `${runId}/${label}`,
      protectedPaths: DEFAULT_PROTECTED,
    }) as Promise<BenchRunResult>;
  }

  async function testsPass(dir: string, label: string): Promise<void> {
    const r = (await env.run(runTests, { dir, command: TEST, timeoutSeconds: 60, label, protectedPaths: DEFAULT_PROTECTED })) as TestRunResult;
    expect(testGate(r).accepted, r.output).toBe(true);
  }

  const decision = (bench: BenchRunResult, name: string) => bench.decisions!.find((d) => d.name === name)!;

  it('answers computed at import, before the benchmark starts its timer → its own timer says ~100× faster (labelled so); the process, scored first, is not faster', async () => {
    const dir = await candidate(
      'import-time',
      `${SLOW}
// The benchmark's inputs, drawn as its harness draws them, answered while it is still importing.
const seed = process.env.OURO_BENCH_SEED ?? '1';
let state = Number(seed) >>> 0;
function next(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ready = new Map<number, number>();
for (let i = 0; i < 3; i++) {
  const limit = 11_000 + Math.floor(next() * 2_000);
  ready.set(limit, slowCount(limit));
}
export function countPrimesBelow(limit: number): number {
  return ready.get(limit) ?? slowCount(limit);
}
`,
    );
    await testsPass(dir, 'import-time');
    const bench = await benchmark(dir, 'import-time', 4);
    expect(bench.ok, bench.message).toBe(true);
    expect(bench.decisions![0]!.name).toBe(PROCESS_METRIC);
    expect(bench.decisions![0]!.speedup).toBeLessThan(1.5);
    const inner = decision(bench, PRINTED);
    expect(inner.speedup).toBeGreaterThan(20); // the gamed number is still there to see…
    expect(inner.scope).toBe('in-process');
    expect(formatDecision(inner)).toMatch(/own timer: imports and set-up not counted/); // …and says what it is
    expect(perfGate(bench, PROMOTION).accepted).toBe(false);
  });

  it('the inputs the benchmark uses without a seed special-cased (if limit === …) → not faster: every pair draws new ones', async () => {
    const dir = await candidate(
      'special-cased',
      `${SLOW}
const KNOWN: Record<number, number> = ${JSON.stringify(KNOWN)};
export function countPrimesBelow(limit: number): number {
  return KNOWN[limit] ?? slowCount(limit);
}
`,
    );
    await testsPass(dir, 'special-cased');
    const bench = await benchmark(dir, 'special-cased', 4);
    expect(bench.ok, bench.message).toBe(true);
    expect(bench.integrity).toEqual({ seeded: true, outputsCompared: true, isolated: true });
    expect(decision(bench, PROCESS_METRIC).speedup).toBeLessThan(1.5);
    expect(decision(bench, PRINTED).speedup).toBeLessThan(1.5); // on the fixed inputs, ~10,000× by its own timer
    expect(perfGate(bench, PROMOTION).accepted).toBe(false);
  });

  it('rewriting OURO_BENCH_SEED at import (so the harness draws the known inputs) → measured nothing: its digest names another seed', async () => {
    const dir = await candidate(
      'seed-rewrite',
      `${SLOW}
process.env.OURO_BENCH_SEED = '1';
const KNOWN: Record<number, number> = ${JSON.stringify(KNOWN)};
export function countPrimesBelow(limit: number): number {
  return KNOWN[limit] ?? slowCount(limit);
}
`,
    );
    const bench = await benchmark(dir, 'seed-rewrite', 4);
    expect(bench.ok).toBe(false);
    expect(bench.message).toMatch(/the candidate's digest line names the seed 1, not this run's \d+/);
    expect(bench.runs!.candidate).toBeLessThanOrEqual(2); // caught in the warm-up pair, or the first after a cached base's lone warm-up
    expect(perfGate(bench, {}).accepted).toBe(false);
  });

  it('right under test, wrong (and fast) when benchmarked → tests pass, the benchmark measured nothing: its results differ from the base’s', async () => {
    const dir = await candidate(
      'wrong-when-benchmarked',
      `${SLOW}
export function countPrimesBelow(limit: number): number {
  return process.env.OURO_BENCH_SEED ? Math.round(limit / Math.log(limit)) : slowCount(limit);
}
`,
    );
    await testsPass(dir, 'wrong-when-benchmarked');
    const bench = await benchmark(dir, 'wrong-when-benchmarked', 4);
    expect(bench.ok).toBe(false);
    expect(bench.message).toMatch(
      /the candidate's results differ from the base's on the same inputs \(seed \d+\): digest "[\d,]+" where the base's is "[\d,]+"/,
    );
    expect(perfGate(bench, {})).toMatchObject({ accepted: false, reason: expect.stringMatching(/^benchmark failed: the candidate measured nothing/) });
  });

  it("a second digest line at exit (the base's answers, printed by code under test) → measured nothing", async () => {
    const dir = await candidate(
      'fake-digest',
      `${PRIMES}
process.on('exit', () => console.log(JSON.stringify({ 'ouro-digest': 'whatever the base said', 'ouro-seed': process.env.OURO_BENCH_SEED })));
`,
    );
    const bench = await benchmark(dir, 'fake-digest', 4);
    expect(bench.ok).toBe(false);
    expect(bench.message).toMatch(/candidate benchmark measured nothing: it printed more than one "ouro-digest" line/);
  });

  // Where a run could leave its answers for the next: each location a candidate of its own, which
  // reads a table of every answer there at import and, finding none, computes as the base does and
  // leaves the table (a sieve's, cheap to build) at exit. A hit shows in the benchmark's own timer.
  const places: Array<[string, string]> = [
    ['/tmp', '/tmp/ouro-primes.json'],
    ['$HOME', '$HOME/.cache/ouro-primes.json'],
    ['/dev/shm', '/dev/shm/ouro-primes.json'],
    ['/var/tmp', '/var/tmp/ouro-primes.json'],
    ['the folder above the workspace', '../ouro-primes.json'],
  ];
  it.each(places)('answers left in %s by one run for the next → never found: every run computes', async (name, at) => {
    const id = `cache-${name.replace(/\W+/g, '-')}`;
    const dir = await candidate(
      id,
      `import * as fs from 'node:fs';
import * as path from 'node:path';
${SLOW}
const AT = ${JSON.stringify(at)}.replace('$HOME', process.env.HOME ?? '/nonexistent');
let table: number[] | undefined;
try {
  table = JSON.parse(fs.readFileSync(AT, 'utf8')) as number[];
} catch {
  table = undefined;
}
export function countPrimesBelow(limit: number): number {
  return table && limit < table.length ? table[limit]! : slowCount(limit);
}
process.on('exit', () => {
  if (table) return;
  const N = 20_000;
  const composite = new Uint8Array(N);
  const below = [0];
  for (let n = 0; n < N; n++) {
    const prime = n >= 2 && !composite[n];
    if (prime) for (let m = n * n; m < N; m += n) composite[m] = 1;
    below.push(below[n]! + (prime ? 1 : 0));
  }
  try {
    fs.mkdirSync(path.dirname(AT), { recursive: true });
    fs.writeFileSync(AT, JSON.stringify(below));
  } catch {
    // read-only here: nothing to leave
  }
});
`,
    );
    const bench = await benchmark(dir, id, 2);
    expect(bench.ok, bench.message).toBe(true);
    expect(bench.integrity?.isolated).toBe(true);
    // A run that found the table answers in well under a millisecond; one that did not, as slowly as the base.
    for (const p of bench.samples![PRINTED]!) expect(p.candidate).toBeGreaterThan(p.base * 0.3);
    expect(existsSync(at.replace('$HOME', '/tmp'))).toBe(false);
    if (at.startsWith('..')) expect(existsSync(join(dirname(dir), 'ouro-primes.json'))).toBe(false);
  });

  it('an honest sieve → faster by the process and by its own timer, results equal to the base’s; it passes the promotion gate', async () => {
    const dir = await candidate(
      'sieve',
      `/** How many primes are strictly below \`limit\`. */
export function countPrimesBelow(limit: number): number {
  const composite = new Uint8Array(Math.max(limit, 0));
  let count = 0;
  for (let n = 2; n < limit; n++) {
    if (composite[n]) continue;
    count++;
    for (let m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return count;
}
`,
    );
    await testsPass(dir, 'sieve');
    const bench = await benchmark(dir, 'sieve', 10);
    expect(bench.ok, bench.message).toBe(true);
    expect(bench.integrity).toEqual({ seeded: true, outputsCompared: true, isolated: true });
    expect(bench.decisions![0]).toMatchObject({ name: PROCESS_METRIC, verdict: 'faster' });
    expect(decision(bench, PRINTED).verdict).toBe('faster');
    const gate = perfGate(bench, PROMOTION);
    expect(gate.accepted, gate.reason).toBe(true);
    expect(gate.reason).toMatch(/× faster, 95% CI/);
  });
});
