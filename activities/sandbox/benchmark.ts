import { Context } from '@temporalio/activity';
import { randomBytes } from 'node:crypto';
import type { BenchRunResult, RunBenchmarkRequest, SandboxMode } from '../../core/contracts/sandbox.js';
import { oneLine } from '../../core/views/excerpt.js';
import { measure, measuredCommand, type Measurement } from '../../core/stats/bench-measure.js';
import { BENCH_SEED_ENV, digestMismatch, drewFromSeed, parseDigest, type BenchIntegrity, type RunDigest } from '../../core/stats/bench-integrity.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { decideMetrics, shouldStop, type Pair } from '../../core/stats/perf-stats.js';
import { missingMetrics, planPairs, recordBaseRuns, type BaseRun, type BaselineEntry } from '../../core/stats/baseline-cache.js';
import { loadBaseline, saveBaseline } from '../../adapters/stores/baseline-store.js';
import { baselineId } from '../../adapters/stores/baseline-key.js';
import { git } from '../../adapters/git/git.js';
import { configError } from '../../adapters/errors.js';
import { materialize, WorkspaceMismatch, type MaterializedWorkspace } from '../../adapters/git/patch.js';
import { heartbeatEvery, runCommand } from '../../adapters/process/process.js';
import { sandboxed } from '../../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace, type WorkspaceGuard } from '../../adapters/workspace-guard/guard.js';

type Arm = 'base' | 'cand';

/** What one run measured and said of its results. */
interface Run {
  values: Record<string, Measurement>;
  digest?: RunDigest;
}

/** A seed no candidate can know before its run: drawn here, in the activity, for each pair. */
const freshSeed = (): string => String(randomBytes(4).readUInt32BE(0));

/**
 * A/B measurement: one unmeasured warm-up per arm, then pairs in random
 * order (a fresh process each run, inside the sandbox), until the verdict
 * is clear, the pair budget is spent, or the time budget is. The decision
 * itself is pure statistics (core/stats/perf-stats.ts). A base measured on this
 * host before (same commit, command and mode) skips its warm-up and has its
 * pair budget calibrated (core/stats/baseline-cache.ts); its pairs are always new.
 * Each pair's two runs get one fresh seed (OURO_BENCH_SEED) to draw their inputs
 * from, and must say the same of their results (core/stats/bench-integrity.ts).
 */
export async function runBenchmark(req: RunBenchmarkRequest): Promise<BenchRunResult> {
  if (!req.baseWorkspace) return benchmarkIn(req);
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat({ label: req.label, phase: 'materializing' }), heartbeatEvery(ctx));
  const built: MaterializedWorkspace[] = [];
  try {
    try {
      built.push(await materialize(req.baseWorkspace, req.linkPaths));
      if (req.candidateWorkspace) built.push(await materialize(req.candidateWorkspace, req.linkPaths));
    } catch (err) {
      if (err instanceof WorkspaceMismatch) return { ok: false, message: `the ${built.length ? 'candidate' : 'base'}: ${err.message}` };
      throw err;
    } finally {
      clearInterval(beat);
    }
    return await benchmarkIn({ ...req, baseDir: built[0]!.dir, candidateDir: built[1]?.dir });
  } finally {
    for (const b of built) await b.remove();
  }
}

async function benchmarkIn(request: RunBenchmarkRequest): Promise<BenchRunResult> {
  if (!request.baseDir) throw configError('runBenchmark needs a baseWorkspace or a baseDir');
  const req = { ...request, baseDir: request.baseDir };
  const baseSha = (await git(req.baseDir, ['rev-parse', 'HEAD'])).trim();
  const id = baselineId(baseSha, req.command, req.mode);
  const cached = await loadBaseline(baseSha, req.command, req.mode);
  const baseRuns: BaseRun[] = [];
  const runs = { base: 0, candidate: 0 };
  try {
    return { ...(await measurePairs(req, cached, baseRuns, runs)), runs };
  } finally {
    // Base runs of a decision that failed on the candidate's side still calibrate the next one.
    const entry = recordBaseRuns(cached, id, baseRuns, new Date(), req.baseDir);
    if (entry) await saveBaseline(entry).catch(() => {});
  }
}

async function measurePairs(
  req: RunBenchmarkRequest & { baseDir: string },
  cached: BaselineEntry | undefined,
  baseRuns: BaseRun[],
  runs: { base: number; candidate: number },
): Promise<BenchRunResult> {
  const ctx = Context.current();
  const deadline = performance.now() + req.timeoutSeconds * 1000;
  const guards = new Map<string, WorkspaceGuard>();
  for (const dir of [req.baseDir, req.candidateDir])
    if (dir)
      guards.set(
        dir,
        await guardWorkspace(dir, { protectedGlobs: req.protectedPaths, probes: req.probes, writable: req.writable, reference: dir === req.baseDir }),
      );
  const poisoned = req.candidateDir ? guards.get(req.candidateDir)!.poison : undefined;
  if (poisoned) return { ok: false, message: `the candidate: ${poisoned}` };
  let mode: SandboxMode = 'bwrap';
  const command = measuredCommand(req.mode, req.command);

  // Compared by identity, never by text: a crashing benchmark that prints "budget" is still a crash.
  const budgetSpent = `benchmark budget of ${req.timeoutSeconds} s exhausted`;
  const integrity: BenchIntegrity = { seeded: true, outputsCompared: true, isolated: true };
  const runOnce = async (arm: Arm, seed: string): Promise<Run | string> => {
    const dir = arm === 'base' ? req.baseDir : req.candidateDir!;
    const who = arm === 'base' ? 'baseline' : 'candidate';
    const left = deadline - performance.now();
    if (left <= 0) return budgetSpent;
    const guard = guards.get(dir)!;
    await markRunUnderWay(guard);
    // HOME and TMPDIR are the run's own either way (bubblewrap's private /tmp; without it, runCommand's fresh folder).
    const sandbox = await sandboxed(dir, command, guard, DEFAULT_LIMITS, { env: { [BENCH_SEED_ENV]: seed } });
    mode = sandbox.mode;
    integrity.isolated &&= mode === 'bwrap';
    runs[arm === 'base' ? 'base' : 'candidate']++;
    let outOfMemory = false;
    const r = await runCommand({
      command,
      argv: sandbox,
      cwd: dir,
      timeoutMs: left,
      signal: ctx.cancellationSignal,
      onTick: () => ctx.heartbeat({ label: req.label }),
      tickMs: heartbeatEvery(ctx),
    }).finally(async () => {
      ({ outOfMemory } = await sandbox.release());
    });
    // Every run starts from the workspace as applied: what one run wrote cannot feed the next.
    const violations = await verifyWorkspace(dir, guard);
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    if (violations.length) return `the ${who} ${violations.join('; ')}`;
    if (outOfMemory) return `${who} benchmark killed: its processes together exceeded the run's memory limit`;
    if (r.timedOut) return `${who} benchmark killed after ${Math.round(r.durationMs / 1000)} s`;
    if (r.exitCode !== 0) return `${who} benchmark exited ${r.exitCode}: ${oneLine(r.output.slice(-600), 300)}`;
    const m = measure(req.mode, r.output, r.durationMs);
    if (typeof m === 'string') return `${who}: ${m}`;
    const digest = parseDigest(r.output);
    if (typeof digest === 'string') return `the ${who} benchmark measured nothing: ${digest}`;
    if (arm === 'base') {
      baseRuns.push({ seconds: r.durationMs / 1000, values: m });
      integrity.seeded &&= drewFromSeed(seed, digest);
      integrity.outputsCompared &&= digest !== undefined;
    }
    return { values: m, ...(digest ? { digest } : {}) };
  };
  /** Both arms on one seed, in `order`; a string says why the pair measured nothing. */
  const runPair = async (order: readonly Arm[]): Promise<Partial<Record<Arm, Run>> | string> => {
    const seed = freshSeed();
    const got: Partial<Record<Arm, Run>> = {};
    for (const arm of order) {
      const m = await runOnce(arm, seed);
      if (typeof m === 'string') return m;
      got[arm] = m;
    }
    const differs = got.base && got.cand ? digestMismatch(seed, got.base.digest, got.cand.digest) : undefined;
    return differs ? `the candidate measured nothing: ${differs}` : got;
  };

  const plan = planPairs(cached, { minPairs: req.minPairs, maxPairs: req.maxPairs, budgetSeconds: req.timeoutSeconds, dir: req.baseDir });
  const baseline = { cached: cached !== undefined, baseWarmUp: plan.warmUpBase, maxPairs: plan.maxPairs };
  if (!req.candidateDir) {
    // The same commit's benchmark already ran cleanly here: a run at that base need not prove it again.
    if (cached) return { ok: true, baseline, metrics: Object.keys(cached.metrics) };
    const m = await runOnce('base', freshSeed());
    return typeof m === 'string'
      ? { ok: false, sandbox: mode, message: m, baseline }
      : { ok: true, sandbox: mode, baseline, metrics: Object.keys(m.values), integrity };
  }

  // The warm-ups are a pair too (one seed, results compared) when the base warms up: a wrong answer shows before any pair.
  const warm = await runPair(plan.warmUpBase ? ['base', 'cand'] : ['cand']);
  if (typeof warm === 'string') return { ok: false, sandbox: mode, message: warm, baseline };
  const lost = missingMetrics(cached, Object.keys(warm.cand!.values));
  if (lost.length) return { ok: false, sandbox: mode, message: `the candidate's benchmark no longer reports the metric "${lost[0]}"`, baseline };
  const pairs = new Map<string, { pairs: Pair[]; lowerIsBetter: boolean; scope?: Measurement['scope'] }>();
  let why = '';
  for (let i = 0; i < plan.maxPairs; i++) {
    // Random order per pair: a drift or a neighbour's burst hits both arms alike.
    const order: Arm[] = Math.random() < 0.5 ? ['base', 'cand'] : ['cand', 'base'];
    const got = await runPair(order);
    if (got === budgetSpent && i >= req.minPairs) {
      why = 'time budget spent';
      break;
    }
    if (typeof got === 'string') return { ok: false, sandbox: mode, message: got, baseline };
    for (const [name, b] of Object.entries(got.base!.values)) {
      const c = got.cand!.values[name];
      if (!c) return { ok: false, sandbox: mode, message: `the candidate's benchmark no longer reports the metric "${name}"`, baseline };
      const entry = pairs.get(name) ?? { pairs: [], lowerIsBetter: b.lowerIsBetter, ...(b.scope ? { scope: b.scope } : {}) };
      entry.pairs.push({ base: b.value, candidate: c.value });
      pairs.set(name, entry);
    }
    ctx.heartbeat({ label: req.label, pairs: i + 1 });
    const verdicts = [...pairs.values()].map((p) =>
      shouldStop(p.pairs, { minPairs: req.minPairs, maxPairs: plan.maxPairs, noiseMargin: req.noiseMargin, lowerIsBetter: p.lowerIsBetter }),
    );
    if (verdicts.every((v) => v.stop)) {
      why = verdicts.map((v) => v.why).join('; ');
      break;
    }
  }
  const decisions = decideMetrics(
    [...pairs.entries()].map(([name, p]) => ({ name, pairs: p.pairs, lowerIsBetter: p.lowerIsBetter })),
    { noiseMargin: req.noiseMargin, seed: hashSeed(req.label) },
  ).map((d) => (pairs.get(d.name)?.scope ? { ...d, scope: pairs.get(d.name)!.scope } : d));
  const samples = Object.fromEntries([...pairs.entries()].map(([name, p]) => [name, p.pairs]));
  return { ok: true, sandbox: mode, decisions, samples, stoppedBecause: why || 'pair budget spent', baseline, integrity };
}

/** A stable bootstrap seed per candidate: the same measurements always give the same decision. */
function hashSeed(label: string): number {
  let h = 2166136261;
  for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}
