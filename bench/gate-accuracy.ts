// How often does the performance gate get it right? Real runs of a
// deterministic C workload (bench/fixtures/spin.c) through the real
// benchmark activity (sandbox included), on identical code (A/A) and on
// candidates with a known injected change; a CPU-burning neighbour runs on
// the other core for half of the trials. The naive gate ("median of 5
// before vs median of 5 after") is scored on the same trials' first pairs.
// Run: npm run bench:gate [-- --aa 200 --power 50 --instr 50 --n 250000000 --instr-n 250000 --only aa,power,instr]
// --n sets the wall-mode workload: keep it large (≥ 200 M iterations, ~0.3 s)
// so the sandbox's fixed ~20 ms per process does not dilute the injected change.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa, type ResultPromise } from 'execa';
import { chmod, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBenchmark } from '../activities/sandbox/benchmark.js';
import type { BenchMode } from '../core/stats/bench-measure.js';
import type { BenchRunResult, RunBenchmarkRequest } from '../core/contracts/sandbox.js';
import { naiveMedianGate, type Verdict } from '../core/stats/perf-stats.js';
import { median } from '../core/stats/bench-stats.js';
import { wilsonInterval } from '../core/stats/wilson.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';

const { values: o } = parseArgs({
  options: {
    aa: { type: 'string', default: '200' },
    power: { type: 'string', default: '50' },
    instr: { type: 'string', default: '50' },
    n: { type: 'string', default: '250000000' },
    'instr-n': { type: 'string', default: '250000' },
    only: { type: 'string', default: 'aa,power,instr' },
  },
});
const N = Number(o.n);
const only = new Set(o.only.split(','));
const scratch = await mkdtemp(join(tmpdir(), 'ouro-gate-'));
const spin = join(scratch, 'spin');
await execa('gcc', ['-O1', '-o', spin, join(PROJECT_ROOT, 'bench', 'fixtures', 'spin.c')]);

/** A git repository whose benchmark runs `spin <iterations>`. */
async function variant(iterations: number): Promise<string> {
  const dir = await mkdtemp(join(scratch, 'v-'));
  await copyFile(spin, join(dir, 'spin'));
  await chmod(join(dir, 'spin'), 0o755);
  await writeFile(join(dir, 'bench.sh'), `./spin ${Math.round(iterations)}\n`);
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('-c', 'user.name=b', '-c', 'user.email=b@b', 'commit', '-qm', 'v');
  return dir;
}

function neighbour(): ResultPromise {
  return execa('node', ['-e', 'for(;;){}'], { reject: false });
}

interface Trial {
  verdict: Verdict;
  naive: Verdict;
  estimate: number;
  pairs: number;
  seconds: number;
}

let trialNo = 0;
async function trial(base: string, cand: string, mode: BenchMode, loaded: boolean): Promise<Trial> {
  const burner = loaded ? neighbour() : undefined;
  const t0 = performance.now();
  const req: RunBenchmarkRequest = {
    protectedPaths: ['bench.sh', 'spin'],
    baseDir: base,
    candidateDir: cand,
    command: 'sh bench.sh',
    mode,
    minPairs: 10,
    maxPairs: mode === 'instructions' ? 12 : 30,
    noiseMargin: 0.02,
    timeoutSeconds: 600,
    label: `trial-${trialNo++}`,
  };
  try {
    const r = (await new MockActivityEnvironment({ heartbeatTimeoutMs: 600_000 }).run(runBenchmark, req)) as BenchRunResult;
    const d = r.decisions?.[0];
    if (!r.ok || !d) throw new Error(`benchmark failed: ${r.message}`);
    const pairs = Object.values(r.samples ?? {})[0] ?? [];
    const first = pairs.slice(0, 5);
    return {
      verdict: d.verdict,
      naive: naiveMedianGate(
        first.map((p) => p.base),
        first.map((p) => p.candidate),
        0.02,
      ),
      estimate: d.speedup,
      pairs: d.pairs,
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    burner?.kill('SIGKILL');
    await burner?.catch(() => {});
  }
}

async function series(label: string, base: string, cand: string, mode: BenchMode, count: number, expected: Verdict) {
  const trials: Trial[] = [];
  for (let i = 0; i < count; i++) {
    trials.push(await trial(base, cand, mode, i % 2 === 1));
    if ((i + 1) % 10 === 0) {
      const wrongSoFar = trials.filter((t) => t.verdict !== expected).length;
      process.stderr.write(`${label}: ${i + 1}/${count}, ${wrongSoFar} not ${expected} so far\n`);
    }
  }
  const hits = trials.filter((t) => t.verdict === expected).length;
  const wrong = trials.filter((t) => t.verdict !== expected && t.verdict !== 'inconclusive').length;
  const naiveHits = trials.filter((t) => t.naive === expected).length;
  const naiveWrong = trials.filter((t) => t.naive !== expected && t.naive !== 'inconclusive').length;
  const ci = wilsonInterval(expected === 'inconclusive' ? count - hits : hits, count);
  const row = {
    label,
    mode,
    decisions: count,
    expected,
    correct: hits,
    wrongDirection: wrong,
    rate: +(hits / count).toFixed(3),
    wilson95OfErrorOrHit: [+ci.low.toFixed(3), +ci.high.toFixed(3)],
    medianEstimate: +median(trials.map((t) => t.estimate)).toFixed(4),
    medianPairs: median(trials.map((t) => t.pairs)),
    medianSecondsPerDecision: +median(trials.map((t) => t.seconds)).toFixed(2),
    naiveCorrect: naiveHits,
    naiveWrong,
  };
  // Printed as soon as a series ends: a long run that is cut short keeps what it measured.
  console.log(JSON.stringify(row));
  return row;
}

const base = await variant(N);
if (only.has('aa')) await series('A/A wall', base, await variant(N), 'wall', Number(o.aa), 'inconclusive');
if (only.has('power')) {
  for (const [name, f, expected] of [
    ['20% slower wall', 1.2, 'slower'],
    ['20% faster wall', 1 / 1.2, 'faster'],
  ] as const) {
    await series(name, base, await variant(N * f), 'wall', Number(o.power), expected);
  }
}
if (only.has('instr')) {
  // callgrind is ~50× slower than native: keep each run short.
  const small = Number(o['instr-n']);
  const baseI = await variant(small);
  await series('A/A instructions', baseI, await variant(small), 'instructions', Math.max(2, Math.round(Number(o.instr) / 2)), 'inconclusive');
  for (const [name, f, expected] of [
    ['5% slower instructions', 1.05, 'slower'],
    ['5% faster instructions', 1 / 1.05, 'faster'],
  ] as const) {
    await series(name, baseI, await variant(small * f), 'instructions', Number(o.instr), expected);
  }
}
await rm(scratch, { recursive: true, force: true });
