// The baseline cache through the real benchmark activity (real sandbox, real
// processes): a base measured before skips its warm-up and its baseline
// check, yet every decision still measures the base alongside the candidate.
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark } from '../../activities/sandbox/benchmark.js';
import type { BenchRunResult, RunBenchmarkRequest } from '../../core/contracts/sandbox.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-basecache-'));
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
const bench = (req: RunBenchmarkRequest) => env.run(runBenchmark, req) as Promise<BenchRunResult>;

/** A repository whose benchmark prints fixed metrics. Runs are counted by the activity (`runs`): no run can leave a trace for the next. */
async function repo(name: string, metrics: Record<string, number>): Promise<string> {
  const dir = join(scratch, name);
  const lines = Object.entries(metrics).map(([n, v]) => `echo '{"name":"${n}","value":${v},"unit":"ms"}'`);
  await execa('mkdir', ['-p', dir]);
  await writeFile(join(dir, 'bench.sh'), `${lines.join('\n')}\n`);
  await execa('git', ['init', '-q'], { cwd: dir });
  await execa('git', ['add', 'bench.sh'], { cwd: dir });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', name], { cwd: dir });
  return dir;
}
const request = (baseDir: string, candidateDir?: string): RunBenchmarkRequest => ({
  protectedPaths: ['bench.sh'],
  baseDir,
  candidateDir,
  command: 'sh bench.sh',
  mode: 'metrics',
  minPairs: 10,
  maxPairs: 20,
  noiseMargin: 0.02,
  timeoutSeconds: 120,
  label: `t-${candidateDir ?? 'base'}`,
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
    expect(first).toMatchObject({ ok: true, baseline: { cached: false }, runs: { base: 1, candidate: 0 } });
    const second = await bench(request(base));
    expect(second).toMatchObject({ ok: true, baseline: { cached: true }, runs: { base: 0, candidate: 0 } });
  });

  it('a cached base skips its warm-up but is re-measured in every pair', async () => {
    const r = await bench(request(base, faster));
    expect(r.ok).toBe(true);
    expect(r.baseline).toMatchObject({ cached: true, baseWarmUp: false });
    const pairs = r.samples!.t!.length;
    expect(pairs).toBeGreaterThanOrEqual(10);
    expect(r.decisions!.find((d) => d.name === 't')).toMatchObject({ verdict: 'faster', pairs }); // the first is the process's own time
    expect(r.runs).toEqual({ base: pairs, candidate: pairs + 1 }); // no base warm-up, one run per pair; the candidate still warms up
  });

  it('with the cache off, the base warms up again', async () => {
    process.env.OURO_BASELINE_CACHE = 'off';
    try {
      const r = await bench(request(base, faster));
      expect(r.baseline).toMatchObject({ cached: false, baseWarmUp: true });
      expect(r.runs!.base).toBe(r.samples!.t!.length + 1);
    } finally {
      process.env.OURO_BASELINE_CACHE = join(scratch, 'cache');
    }
  });

  it('a new base commit is not mistaken for the cached one', async () => {
    await writeFile(join(base, 'bench.sh'), `echo '{"name":"t","value":100,"unit":"ms"}'\necho '{"name":"u","value":7,"unit":"ms"}'\n`);
    await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qam', 'two metrics'], { cwd: base });
    expect(await bench(request(base))).toMatchObject({ ok: true, baseline: { cached: false }, runs: { base: 1 } });
  });

  it('a candidate that crashes mid-measurement is a failure, even when it prints "budget"', async () => {
    const crashy = join(scratch, 'crashy');
    await execa('mkdir', ['-p', crashy]);
    // No run can leave a count for the next, so it crashes on the clock: 2 s after it was written, which
    // most machines reach past the minimum pairs (a crash before them fails the same way). Its values
    // scatter evenly (70–130) around the base's 100, so the decision usually stays open until then; the
    // few times chance settles it first (a verdict before the crash), the scenario is set up again.
    await execa('git', ['init', '-q'], { cwd: crashy });
    const same = await repo('same-as-crashy', { t: 100 });
    let r: BenchRunResult | undefined;
    for (let tries = 0; tries < 4 && (!r || r.ok); tries++) {
      const crashAt = Date.now() + 2000;
      await writeFile(
        join(crashy, 'bench.sh'),
        `[ "$(date +%s%3N)" -ge ${crashAt} ] && { echo "time budget"; exit 1; }\nr=$(od -An -N2 -tu2 /dev/urandom)\necho "{\\"name\\":\\"t\\",\\"value\\":$((70 + r % 61)),\\"unit\\":\\"ms\\"}"\n`,
      );
      await execa('git', ['add', 'bench.sh'], { cwd: crashy });
      await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', `crashy ${tries}`], { cwd: crashy });
      r = await bench({ ...request(same, crashy), maxPairs: 200, label: `crashy-${tries}` });
    }
    expect(r!.ok).toBe(false);
    expect(r!.message).toMatch(/candidate benchmark exited 1: .*time budget/);
  });

  it('a candidate that drops a metric the cached base reports fails after its warm-up, before any pair', async () => {
    const r = await bench(request(base, faster));
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/no longer reports the metric "u"/);
    expect(r.runs).toEqual({ base: 0, candidate: 1 });
  });
});
