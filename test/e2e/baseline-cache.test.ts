// The baseline cache through the real benchmark activity (real sandbox, real
// processes): a base measured before skips its warm-up and its baseline
// check, yet every decision still measures the base alongside the candidate.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type RunBenchmarkRequest } from '../../activities/benchmark.js';
import type { BenchRunResult } from '../../lib/run-types.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-basecache-'));
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
const bench = (req: RunBenchmarkRequest) => env.run(runBenchmark, req) as Promise<BenchRunResult>;

/** A repository whose benchmark logs each run (outside the protected harness) and prints fixed metrics. */
async function repo(name: string, metrics: Record<string, number>): Promise<string> {
  const dir = join(scratch, name);
  const lines = Object.entries(metrics).map(([n, v]) => `echo '{"name":"${n}","value":${v},"unit":"ms"}'`);
  await execa('mkdir', ['-p', dir]);
  await writeFile(join(dir, 'bench.sh'), `echo run >> runs.log\n${lines.join('\n')}\n`);
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', 'bench.sh'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', name], { cwd: dir });
  return dir;
}
const runsIn = async (dir: string) => (await readFile(join(dir, 'runs.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
const request = (baseDir: string, candidateDir?: string): RunBenchmarkRequest => ({
  protectedPaths: ['bench.sh'], baseDir, candidateDir, command: 'sh bench.sh', mode: 'metrics',
  minPairs: 10, maxPairs: 20, noiseMargin: 0.02, timeoutSeconds: 120, label: `t-${candidateDir ?? 'base'}`,
});

describe('baseline cache in the benchmark activity', () => {
  const saved = process.env.OURO_BASELINE_CACHE;
  let base: string;
  let faster: string;
  beforeAll(async () => {
    process.env.OURO_BASELINE_CACHE = join(scratch, 'cache');
    base = await repo('base', { t: 100 });
    faster = await repo('faster', { t: 50 });
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.OURO_BASELINE_CACHE;
    else process.env.OURO_BASELINE_CACHE = saved;
    await rm(scratch, { recursive: true, force: true });
  });

  it('runs the baseline check once per base commit, then reuses it', async () => {
    const first = await bench(request(base));
    expect(first).toMatchObject({ ok: true, baseline: { cached: false } });
    expect(await runsIn(base)).toBe(1);
    const second = await bench(request(base));
    expect(second).toMatchObject({ ok: true, baseline: { cached: true } });
    expect(await runsIn(base)).toBe(1);
  });

  it('a cached base skips its warm-up but is re-measured in every pair', async () => {
    const before = { base: await runsIn(base), cand: await runsIn(faster) };
    const r = await bench(request(base, faster));
    expect(r.ok).toBe(true);
    expect(r.baseline).toMatchObject({ cached: true, baseWarmUp: false });
    const pairs = r.samples!.t!.length;
    expect(pairs).toBeGreaterThanOrEqual(10);
    expect(r.decisions![0]).toMatchObject({ verdict: 'faster', pairs });
    expect(await runsIn(base)).toBe(before.base + pairs); // no warm-up, one run per pair
    expect(await runsIn(faster)).toBe(before.cand + pairs + 1); // the candidate still warms up
  });

  it('with the cache off, the base warms up again', async () => {
    process.env.OURO_BASELINE_CACHE = 'off';
    try {
      const before = await runsIn(base);
      const r = await bench(request(base, faster));
      expect(r.baseline).toMatchObject({ cached: false, baseWarmUp: true });
      expect(await runsIn(base)).toBe(before + r.samples!.t!.length + 1);
    } finally {
      process.env.OURO_BASELINE_CACHE = join(scratch, 'cache');
    }
  });

  it('a new base commit is not mistaken for the cached one', async () => {
    await writeFile(join(base, 'bench.sh'), `echo run >> runs.log\necho '{"name":"t","value":100,"unit":"ms"}'\necho '{"name":"u","value":7,"unit":"ms"}'\n`);
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'two metrics'], { cwd: base });
    const before = await runsIn(base);
    expect(await bench(request(base))).toMatchObject({ ok: true, baseline: { cached: false } });
    expect(await runsIn(base)).toBe(before + 1);
  });

  it('a candidate that crashes mid-measurement is a failure, even when it prints "budget"', async () => {
    const crashy = join(scratch, 'crashy');
    await execa('mkdir', ['-p', crashy]);
    // Noisy enough to stay inconclusive past the minimum pairs (warm-up + 10 pairs = 11 runs); its 12th run crashes.
    await writeFile(join(crashy, 'bench.sh'), `echo run >> runs.log\nn=$(wc -l < runs.log)\n[ "$n" -ge 12 ] && { echo "time budget"; exit 1; }\necho "{\\"name\\":\\"t\\",\\"value\\":$((100 + 40 * (n % 3))),\\"unit\\":\\"ms\\"}"\n`);
    await execa('git', ['init', '-q'], { cwd: crashy });
    await execa('git', ['add', 'bench.sh'], { cwd: crashy });
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'crashy'], { cwd: crashy });
    const same = await repo('same-as-crashy', { t: 101 });
    const r = await bench(request(same, crashy));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/candidate benchmark exited 1: .*time budget/);
  });

  it('a candidate that drops a metric the cached base reports fails after its warm-up, before any pair', async () => {
    const before = { base: await runsIn(base), cand: await runsIn(faster) };
    const r = await bench(request(base, faster));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/no longer reports the metric "u"/);
    expect(await runsIn(faster)).toBe(before.cand + 1);
    expect(await runsIn(base)).toBe(before.base);
  });
});
