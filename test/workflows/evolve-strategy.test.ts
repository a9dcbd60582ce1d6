// `ouro evolve --strategy`: which parent each draft is made from, what it is
// shown beside it, and whether failures travel, decided by the real workflow
// from scripted activities. Every draft is a 1.3× faster variant of its
// parent except p2, which breaks the tests, so lineage is visible in the
// archive: a hill-climber builds a chain on the best, independent sampling
// only ever starts from the base, the archive search shows inspirations.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildEvolveInput } from '../../core/evolve/input.js';
import type { EvolveInput, EvolveResult, EvolveState } from '../../core/evolve/types.js';
import type { BenchRunResult } from '../../core/contracts/sandbox.js';
import { evolveArchiveQuery } from '../../workflows/definitions.js';
import { benchResult, happyStubs, oneQueue, testResult, withStubWorker, type Stubs } from './stubbed.js';

const BASE_TREE = '0'.repeat(40);

function strategyInput(strategy: string | undefined): EvolveInput {
  const input = buildEvolveInput(
    { repo: '/stub/repo', drafts: 'gpu:1', baseUrl: 'http://127.0.0.1:9/v1', model: 'stub-model', heartbeat: 5, benchRuns: 10 },
    { parallel: 1, maxDrafts: 6, islands: 1, strategy },
    { test: 'npm test', bench: 'node bench.js', files: ['src/**'], goal: 'Make countPrimes faster' },
    {},
  );
  return { ...input, queues: oneQueue() };
}

interface Seen {
  /** Per draft: how many inspirations it was read with and how many failures travelled with it. */
  drafts: Array<{ id: string; inspirations: number; feedback: number }>;
}

function scripted(seen: Seen): Stubs {
  const score = new Map<string, number>([[BASE_TREE, 1]]);
  const broken = new Set<string>();
  const s = happyStubs() as Stubs & Record<string, unknown>;
  let n = 0;
  let lastInspirations = 0;
  s.prepareRun = async () => ({ baseSha: 'b'.repeat(40), baseDir: '/stub/base', baseTree: BASE_TREE, files: [{ path: 'src/primes.ts', content: 'x' }] });
  s.readProgram = async (req: { inspirations: unknown[] }) => {
    lastInspirations = req.inspirations.length;
    return { files: [{ path: 'src/primes.ts', content: 'x' }], inspirations: req.inspirations.map((i) => ({ ...(i as object), diff: '+x' })) };
  };
  s.draft = async (req) => {
    seen.drafts.push({ id: req.candidateId, inspirations: lastInspirations, feedback: req.feedback.length });
    return { text: req.candidateId, model: 'stub', promptTokens: 10, completionTokens: 10, latencyMs: 1 };
  };
  s.applyCandidate = async (req) => {
    const tree = (++n).toString(16).padStart(40, 'a');
    const parent = req.baseSha === 'b'.repeat(40) ? BASE_TREE : req.baseSha;
    score.set(tree, score.get(parent)! * 1.3);
    if (req.reply === 'p2') broken.add(tree);
    return { ok: true, dir: `/stub/${req.candidateId}`, changed: ['src/primes.ts'], diff: '', patch: `+${req.reply}`, tree };
  };
  s.runTests = async (req) => (req.workspace && broken.has(req.workspace.tree) ? testResult(2, 1) : testResult(3));
  s.runBenchmark = async (req): Promise<BenchRunResult> => {
    if (!req.candidateWorkspace) return benchResult('inconclusive', 1);
    const speedup = score.get(req.candidateWorkspace.tree)! / score.get(req.baseWorkspace!.tree)!;
    return benchResult(speedup > 1.015 ? 'faster' : 'inconclusive', speedup);
  };
  s.storeProgram = async (req: { tree: string }) => ({ sha: req.tree, sizeBytes: 100 });
  s.promoteProgram = async () => ({ sha: 'c'.repeat(40) });
  return s;
}

async function search(strategy: string | undefined) {
  const seen: Seen = { drafts: [] };
  const input = strategyInput(strategy);
  const { result, archive } = await withStubWorker(input.queues.workflow, scripted(seen), async (env) => {
    const handle = await env.client.workflow.start('EvolveWorkflow', {
      taskQueue: input.queues.workflow,
      workflowId: `stub-strategy-${randomBytes(4).toString('hex')}`,
      args: [input],
    });
    const result = (await handle.result()) as EvolveResult;
    return { result, archive: (await handle.query(evolveArchiveQuery)) as EvolveState };
  });
  const parentOf = Object.fromEntries(archive.evaluations.map((e) => [e.programId, e.parent]));
  return { result, archive, seen, parentOf };
}

describe('ouro evolve --strategy picks parents as it says', () => {
  it('greedy: every draft mutates the best program of its moment (a chain), the failures travel, nothing else is shown', async () => {
    const { result, seen, parentOf, archive } = await search('greedy');
    expect(result.spent.drafts).toBe(6);
    expect(archive.strategy).toBe('greedy');
    // p2 broke, so p3 is drafted from p1, the best then; after that each from the one before.
    expect(parentOf).toEqual({ p1: 'base', p2: 'p1', p3: 'p1', p4: 'p3', p5: 'p4', p6: 'p5' });
    expect(result.best.id).toBe('p6');
    expect(seen.drafts.every((d) => d.inspirations === 0)).toBe(true);
    expect(seen.drafts.find((d) => d.id === 'p3')!.feedback).toBe(1);
  }, 60_000);

  it('sample: every draft starts from the base, independent: no inspirations, no failures fed back', async () => {
    const { result, seen, parentOf, archive } = await search('sample');
    expect(archive.strategy).toBe('sample');
    expect(Object.values(parentOf)).toEqual(Array(6).fill('base'));
    // Every program is one 1.3× step from the base: the best of independent draws, not a climb.
    expect(result.best.score).toBeCloseTo(1.3, 6);
    expect(seen.drafts.every((d) => d.inspirations === 0 && d.feedback === 0)).toBe(true);
  }, 60_000);

  it('evolve (the default, and a search that names none): the archive sampler, with inspirations and feedback', async () => {
    for (const strategy of ['evolve', undefined]) {
      const input = strategyInput(strategy);
      // The default is left out of the input: a new search sends what searches before the flag sent.
      expect(input.strategy).toBeUndefined();
      const { result, seen, parentOf, archive } = await search(strategy);
      expect(result.spent.drafts).toBe(6);
      expect(archive.strategy).toBe('evolve');
      expect(parentOf.p1).toBe('base');
      // From p2 on the archive holds another program to show.
      expect(seen.drafts.slice(1).every((d) => d.inspirations > 0)).toBe(true);
      expect(seen.drafts.find((d) => d.id === 'p3')!.feedback).toBe(1);
    }
  }, 120_000);

  it('refuses a strategy it does not know, naming those it does', () => {
    expect(() => strategyInput('anneal')).toThrow(/evolve, greedy, sample/);
  });
});
