// EvolveWorkflow decided from scripted activities: a "mutation model" whose
// drafts are variants from a pool (faster, marginally faster, equivalent,
// broken, hanging), scored by a stubbed benchmark that compounds each
// variant's factor on its parent's score. What the search keeps, what the gate
// promotes, and that the budget and a stop hold exactly.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EvolveInput, EvolveResult, EvolveState } from '../../core/evolve/types.js';
import { buildEvolveInput } from '../../core/evolve/input.js';
import type { BenchRunResult } from '../../core/contracts/sandbox.js';
import {
  evolveArchiveQuery,
  evolveHintUpdate,
  evolvePauseSignal,
  evolveResumeSignal,
  evolveStatusQuery,
  evolveStopSignal,
} from '../../workflows/definitions.js';
import { benchResult, happyStubs, oneQueue, testResult, withStubWorker, type Stubs } from './stubbed.js';

/** The variant each draft returns, by program number (p1, p2, …), cycling. */
const POOL = ['faster', 'broken', 'faster', 'hanging', 'equivalent', 'marginal', 'faster', 'faster'] as const;
const FACTOR: Record<string, number> = { faster: 1.3, equivalent: 1.0, marginal: 1.01, broken: 1, hanging: 1 };

function evolveInput(over: Record<string, unknown> = {}, config: Record<string, unknown> = {}): EvolveInput {
  const input = buildEvolveInput(
    { repo: '/stub/repo', drafts: 'gpu:1', baseUrl: 'http://127.0.0.1:9/v1', model: 'stub-model', heartbeat: 5, benchRuns: 10 },
    { parallel: 3, maxDrafts: 12, islands: 1, ...over },
    { test: 'npm test', bench: 'node bench.js', files: ['src/**'], goal: 'Make countPrimes faster', ...config },
    {},
  );
  return { ...input, queues: oneQueue() };
}

interface Script {
  stubs: Stubs;
  drafts: string[];
  promotions: string[];
  challengerBenches: Array<{ challenger: string; champion: string; speedup: number }>;
  baseTests: number;
}

function mutationModel(onDraft?: (id: string) => Promise<void>): Script {
  const score = new Map<string, number>([['0'.repeat(40), 1]]); // tree → speed over the base
  const variantOf = new Map<string, string>(); // tree → variant
  const script: Script = { stubs: happyStubs(), drafts: [], promotions: [], challengerBenches: [], baseTests: 0 };
  const s = script.stubs as Stubs & Record<string, unknown>;
  let n = 0;
  s.prepareRun = async () => ({
    baseSha: 'b'.repeat(40),
    baseDir: '/stub/base',
    baseTree: '0'.repeat(40),
    files: [{ path: 'src/primes.ts', content: 'x'.repeat(100) }],
  });
  s.draft = async (req) => {
    script.drafts.push(req.candidateId);
    await onDraft?.(req.candidateId);
    return { text: POOL[(Number(req.candidateId.slice(1)) - 1) % POOL.length]!, model: 'stub', promptTokens: 100, completionTokens: 20, latencyMs: 1 };
  };
  s.applyCandidate = async (req) => {
    const tree = (++n).toString(16).padStart(40, 'a');
    const parentScore = score.get(req.baseSha === 'b'.repeat(40) ? '0'.repeat(40) : req.baseSha) ?? 1;
    score.set(tree, parentScore * FACTOR[req.reply]!);
    variantOf.set(tree, req.reply);
    return { ok: true, dir: `/stub/${req.candidateId}`, changed: ['src/primes.ts'], diff: req.reply, patch: `variant ${req.reply}`, tree };
  };
  s.runTests = async (req) => {
    if (req.role === 'base') script.baseTests++;
    const variant = req.workspace?.patch ? variantOf.get(req.workspace.tree) : undefined;
    if (variant === 'broken') return testResult(2, 1);
    if (variant === 'hanging') return testResult(0, 0, { timedOut: true, exitCode: null, durationMs: 300_000, passed: false, counts: undefined });
    return testResult(3);
  };
  s.runBenchmark = async (req): Promise<BenchRunResult> => {
    if (!req.candidateWorkspace) return benchResult('inconclusive', 1);
    const candidate = score.get(req.candidateWorkspace.tree)!;
    const against = score.get(req.baseWorkspace!.tree)!;
    const speedup = candidate / against;
    if (req.candidateWorkspace.label.endsWith('-challenger')) {
      script.challengerBenches.push({ challenger: req.candidateWorkspace.label, champion: req.baseWorkspace!.label, speedup });
    }
    return benchResult(speedup > 1.015 ? 'faster' : 'inconclusive', speedup);
  };
  // A program's commit is its tree (the stub keeps the sha and the tree equal, so scores follow lineage).
  s.readProgram = async () => ({ files: [{ path: 'src/primes.ts', content: 'x'.repeat(100) }], inspirations: [] });
  s.storeProgram = async (req: { tree: string }) => ({ sha: req.tree, sizeBytes: 100 });
  s.promoteProgram = async (req: { programTrailer: string }) => {
    script.promotions.push(req.programTrailer.split('/').pop()!);
    return { sha: `c${String(script.promotions.length).padStart(39, '0')}` };
  };
  return script;
}

interface Control {
  signal: (why: string) => Promise<void>;
  pause: () => Promise<void>;
  resume: () => Promise<void>;
  hint: (text: string) => Promise<string>;
  phase: () => Promise<string>;
}

async function evolve(script: Script, input: EvolveInput, during?: (handle: Control) => Promise<void>) {
  const workflowId = `stub-evolve-${randomBytes(4).toString('hex')}`;
  return withStubWorker(input.queues.workflow, script.stubs, async (env) => {
    const handle = await env.client.workflow.start('EvolveWorkflow', { taskQueue: input.queues.workflow, workflowId, args: [input] });
    await during?.({
      signal: (why) => handle.signal(evolveStopSignal, why),
      pause: () => handle.signal(evolvePauseSignal),
      resume: () => handle.signal(evolveResumeSignal),
      hint: (text) => handle.executeUpdate(evolveHintUpdate, { args: [text] }),
      phase: async () => (await handle.query(evolveStatusQuery)).phase,
    });
    const result = (await handle.result()) as EvolveResult;
    const archive = (await handle.query(evolveArchiveQuery)) as EvolveState;
    const continuedAsNew = (await handle.describe()).runId !== handle.firstExecutionRunId;
    return { result, archive, continuedAsNew };
  });
}

describe('EvolveWorkflow with a scripted mutation model', () => {
  it('spends exactly the draft budget; keeps the best; promotes only what beats the champion by the gate', async () => {
    const script = mutationModel();
    const { result, archive } = await evolve(script, evolveInput());
    expect(script.drafts).toHaveLength(12);
    expect(result.spent.drafts).toBe(12);
    expect(result.evaluations).toBe(12);
    expect(result.stopReason).toBe('the draft budget (12) is spent');
    // Broken and hanging programs are not scored, and say why.
    const byOutcome = (o: string) => archive.evaluations.filter((e) => e.outcome === o);
    expect(byOutcome('tests-failed').length).toBe(4);
    expect(byOutcome('tests-failed').some((e) => /killed after/.test(e.reason ?? ''))).toBe(true);
    // The best is the highest score in the archive.
    const scores = archive.programs.map((p) => p.score);
    expect(result.best.score).toBe(Math.max(...scores));
    // Promotions: at least two, each accepted against the champion of its moment by more than the margin, scores rising.
    expect(result.promoted.length).toBeGreaterThanOrEqual(2);
    expect(script.promotions).toEqual(result.promoted.map((p) => p.programId));
    const promotedScores = result.promoted.map((p) => p.score);
    expect([...promotedScores].sort((a, b) => a - b)).toEqual(promotedScores);
    for (const p of result.promoted) {
      const duel = script.challengerBenches.find((b) => b.challenger === `${p.programId}-challenger`)!;
      expect(duel.speedup * 0.97).toBeGreaterThanOrEqual(1.02);
    }
    // A marginal gain over the champion (1.01×) is measured but never promoted.
    const marginal = archive.evaluations.filter((e) => POOL[(e.index - 1) % POOL.length] === 'marginal' && e.outcome === 'scored');
    for (const e of marginal) if (/not promoted/.test(e.reason ?? '')) expect(e.promoted).toBeUndefined();
    expect(
      archive.evaluations
        .filter((e) => e.promoted)
        .map((e) => e.programId)
        .sort(),
    ).toEqual(result.promoted.map((p) => p.programId).sort());
  });

  it('a duel the test cannot call ("no clear change (2.96×, CI 2.79–3.14×)" over 6 pairs) promotes nothing, and says why; the duel asks for 10 pairs', async () => {
    const script = mutationModel();
    const s = script.stubs as Stubs & Record<string, unknown>;
    const inner = s.runBenchmark as (req: never) => Promise<BenchRunResult>;
    const duelPairs: number[] = [];
    const promotionMessages: string[] = [];
    s.runBenchmark = async (req: { candidateWorkspace?: { label: string }; maxPairs: number }): Promise<BenchRunResult> => {
      const r = await inner(req as never);
      if (!req.candidateWorkspace?.label.endsWith('-challenger')) return r;
      duelPairs.push(req.maxPairs);
      const d = r.decisions![0]!;
      return { ...r, decisions: [{ ...d, verdict: 'inconclusive', pValue: 0.031, pairs: 6 }] };
    };
    const promote = s.promoteProgram as (req: { message: string; programTrailer: string }) => Promise<{ sha: string }>;
    s.promoteProgram = async (req: { message: string; programTrailer: string }) => {
      promotionMessages.push(req.message);
      return promote(req);
    };
    const { result, archive } = await evolve(script, { ...evolveInput(), benchRuns: 6 });
    expect(result.promoted).toEqual([]);
    expect(promotionMessages).toEqual([]);
    expect(duelPairs.length).toBeGreaterThan(0);
    expect(duelPairs.every((n) => n === 10)).toBe(true); // --bench-runs 6, raised so that a verdict is possible at all
    const refused = archive.evaluations.filter((e) => /not promoted/.test(e.reason ?? ''));
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) expect(e.reason).toMatch(/no clear change .*needs a verdict of faster: 6 pairs can never be significant/);
  });

  it('never has more evaluations in flight than --parallel, and a token budget counts the drafts still out', async () => {
    let inFlight = 0;
    let peak = 0;
    const script = mutationModel(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
    });
    // Worst case per draft: output cap + base size/2 + 2000 = 10,242 reserved while out; each spends 120.
    const input = evolveInput({ maxDrafts: undefined, maxTokens: 2 * (8192 + 50 + 2000) + 600, parallel: 2 });
    input.drafts = input.drafts.map((d) => ({ ...d, maxOutputTokens: 8192 }));
    const { result } = await evolve(script, input);
    expect(peak).toBeLessThanOrEqual(2);
    expect(result.stopReason).toMatch(/token budget/);
    expect(result.spent.tokens).toBeLessThanOrEqual(input.budget.maxTokens!);
    // Each draft out reserves 10,242; spent tokens plus what drafts out could cost never pass the budget.
    expect(script.drafts.length).toBeGreaterThanOrEqual(5);
    expect(result.spent.tokens).toBe(script.drafts.length * 120);
  });

  it('a stop ends the search after the evaluations in flight; nothing new starts', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    // p2 and p3 hold their drafts until the stop is sent, so neither slot can run ahead of it however slow the machine.
    const script = mutationModel(async (id) => {
      if (id === 'p2' || id === 'p3') await gate;
    });
    const { result } = await evolve(script, evolveInput({ maxDrafts: 50, parallel: 2 }), async ({ signal }) => {
      while (script.drafts.length < 2) await new Promise((r) => setTimeout(r, 50));
      await signal('enough for today');
      release();
    });
    expect(result.stopReason).toBe('enough for today');
    expect(result.evaluations).toBe(script.drafts.length);
    expect(script.drafts.length).toBeLessThanOrEqual(3);
  });

  it('continues as new when its history grows, and the budget and the archive carry over whole', async () => {
    const script = mutationModel();
    const input = { ...evolveInput({ maxDrafts: 10, parallel: 2 }), historyBudget: 60 };
    const { result, archive, continuedAsNew } = await evolve(script, input);
    expect(continuedAsNew).toBe(true);
    expect(script.drafts).toHaveLength(10);
    expect(new Set(script.drafts).size).toBe(10);
    expect(result.evaluations).toBe(10);
    expect(archive.evaluations.map((e) => e.programId).sort()).toEqual([...new Set(script.drafts)].sort());
    expect(result.stopReason).toBe('the draft budget (10) is spent');
    // The base was tested once, before the first run: the runs after continue-as-new start from the archive.
    expect(script.baseTests).toBe(1);
  });

  it('pauses (in-flight evaluations finish, nothing new starts), takes a hint for every later draft, resumes to its budget', async () => {
    const hintsSeen: string[][] = [];
    const script = mutationModel();
    const draft = script.stubs.draft;
    script.stubs.draft = async (req) => (hintsSeen.push(req.hints), draft(req));
    const { result } = await evolve(script, evolveInput({ maxDrafts: 8, parallel: 1 }), async (c) => {
      while (script.drafts.length < 2) await new Promise((r) => setTimeout(r, 20));
      await c.pause();
      while ((await c.phase()) !== 'paused') await new Promise((r) => setTimeout(r, 50));
      const before = script.drafts.length;
      await new Promise((r) => setTimeout(r, 1500));
      expect(script.drafts.length).toBe(before);
      expect(await c.hint('  try a sieve  ')).toMatch(/hint noted \(1 in all\)/);
      await expect(c.hint('   ')).rejects.toThrow();
      await c.resume();
    });
    expect(result.evaluations).toBe(8);
    expect(hintsSeen[0]).toEqual([]);
    expect(hintsSeen.at(-1)).toEqual(['try a sieve']);
  });

  it('a cost budget counts each model at its price and never overshoots', async () => {
    const script = mutationModel();
    // Without a price for the model, --max-cost is refused before anything starts.
    expect(() => evolveInput({ maxCost: 0.05 })).toThrow(/--max-cost needs a price for stub-model/);
    const input = evolveInput({ maxDrafts: undefined, maxCost: 0.05, parallel: 2 }, { prices: { 'stub-model': { input: 10, output: 30 } } });
    input.drafts = input.drafts.map((d) => ({ ...d, maxOutputTokens: 500 }));
    const { result } = await evolve(script, input);
    expect(result.stopReason).toMatch(/cost budget \(\$0.05\)/);
    // Each draft: 100 prompt × $10/M + 20 output × $30/M = $0.0016; worst case reserved while out.
    expect(result.spent.cost).toBeCloseTo(script.drafts.length * 0.0016, 10);
    expect(result.spent.cost!).toBeLessThanOrEqual(0.05);
  });
});

describe('EvolveWorkflow with --metric and --features', () => {
  /** The benchmark prints wall time first (never better) and "bytes" second, which the pool improves. */
  function twoMetrics(): Script {
    const script = mutationModel();
    const s = script.stubs as Stubs & Record<string, unknown>;
    const inner = s.runBenchmark as (req: never) => Promise<BenchRunResult>;
    s.runBenchmark = async (req: { candidateWorkspace?: unknown }): Promise<BenchRunResult> => {
      const r = await inner(req as never);
      if (!req.candidateWorkspace) return { ...r, metrics: ['wall-time', 'bytes'] };
      const bytes = { ...r.decisions![0]!, name: 'bytes' };
      const wall = { ...benchResult('inconclusive', 1).decisions![0]! };
      return { ...r, decisions: [wall, bytes], samples: { 'wall-time': [{ base: 1, candidate: 1 }], bytes: [{ base: 100, candidate: 100 / bytes.speedup }] } };
    };
    return script;
  }

  it('scores and promotes by the named metric, and files programs by it', async () => {
    const script = twoMetrics();
    const { result, archive } = await evolve(script, evolveInput({ metric: 'bytes', features: 'size,metric:bytes' }));
    expect(archive.metric).toBe('bytes');
    expect(archive.dims).toEqual(['size', 'metric:bytes']);
    // Wall time never improves; by "bytes" the pool's faster variants win and are promoted.
    expect(result.best.score).toBeGreaterThan(1.2);
    // How many are promoted turns on which elites the (seeded per run) parent pick draws: at least one, each beating the last.
    expect(result.promoted.length).toBeGreaterThanOrEqual(1);
    expect(result.promoted[0]!.score).toBeGreaterThan(1.2);
    const scores = result.promoted.map((p) => p.score);
    expect(scores.every((s, i) => i === 0 || s > scores[i - 1]!)).toBe(true);
    for (const p of archive.programs.filter((x) => x.id !== 'base')) expect(p.features.metrics?.bytes).toBeCloseTo(1 / p.score, 6);
    expect(Object.keys(archive.grids[0]!).every((cell) => /^s-?\d+:bytes-?\d+$/.test(cell))).toBe(true);
  });

  it('without --metric the first metric decides: nothing beats the base on wall time, nothing is promoted', async () => {
    const { result } = await evolve(twoMetrics(), evolveInput());
    expect(result.best.score).toBe(1);
    expect(result.promoted).toEqual([]);
  });

  it('refuses to start when the benchmark prints no such metric, and says which it prints', async () => {
    const script = twoMetrics();
    const failed = await evolve(script, evolveInput({ metric: 'score', features: 'metric:heap' })).catch((err: Error & { cause?: Error }) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(String((failed as Error & { cause?: Error }).cause?.message)).toMatch(
      /the benchmark prints no metric "score", "heap" \(it prints wall-time, bytes\)/,
    );
    expect(script.drafts).toEqual([]);
  });
  it('refuses to start when the base ran no test: programs would be held to nothing', async () => {
    const script = mutationModel();
    script.stubs.runTests = async () => testResult(0, 0, { output: 'No test files found, exiting with code 0' });
    const failed = await evolve(script, evolveInput()).catch((err: Error & { cause?: Error }) => err);
    expect(failed).toBeInstanceOf(Error);
    expect(String((failed as Error & { cause?: Error }).cause?.message)).toMatch(/the base ran no test/);
    expect(script.drafts).toEqual([]);
  });

  it('a program whose run shows no test that ran is never kept, however fast it is', async () => {
    const script = mutationModel();
    const tests = script.stubs.runTests;
    // Every program "passes" with its tests filtered away; only the base runs its three.
    script.stubs.runTests = async (req) => (req.role === 'base' ? tests(req) : testResult(0, 0, { output: 'No test files found, exiting with code 0' }));
    const { result, archive } = await evolve(script, evolveInput({ maxDrafts: 4 }));
    expect(result.promoted).toEqual([]);
    expect(archive.evaluations.map((e) => e.outcome)).toEqual(['tests-failed', 'tests-failed', 'tests-failed', 'tests-failed']);
  });
});
