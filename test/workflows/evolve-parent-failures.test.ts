// Which failures an evolve draft is told, decided by the real EvolveWorkflow from scripted
// activities: under patched('ouro-evolve-parent-failures') the failed changes of the draft's own
// parent travel with it (last, where a chat model looks) even when four newer failures of other
// parents would have pushed them out. The search is resumed from an archive as continue-as-new
// carries it, so the parent and the failures' order are set, not left to the sampler's dice.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertProgram, newArchive } from '../../core/evolve/archive.js';
import { buildEvolveInput } from '../../core/evolve/input.js';
import type { EvolveResult, Evaluation, Program } from '../../core/evolve/types.js';
import type { FeedbackItem } from '../../core/contracts/draft-context.js';
import { happyStubs, oneQueue, testResult, withStubWorker, type Stubs } from './stubbed.js';

const BASE_SHA = 'b'.repeat(40);
const features = { sizeBytes: 100, diffLines: 0 };
const base: Program = { id: 'base', island: 0, generation: 0, sha: BASE_SHA, tree: '0'.repeat(40), score: 1, features, provider: '-', tokens: 0 };
const best: Program = { ...base, id: 'p1', parent: 'base', generation: 1, sha: '1'.repeat(40), tree: 'a'.repeat(40), score: 1.3, provider: 'gpu', tokens: 30 };

function failed(index: number, parent: string): Evaluation {
  const programId = `p${index}`;
  return { index, programId, parent, island: 0, provider: 'gpu', outcome: 'tests-failed', reason: `${programId} broke test_primes`, tokens: 30, atMs: index };
}

/** Six drafts spent: p1 scored (the best), p2 changed p1 and broke, then p3–p6 changed the base and broke. */
function carried() {
  const state = newArchive(base, 1, Date.now(), { strategy: 'greedy' });
  insertProgram(state, best);
  state.evaluations.push({ index: 1, programId: 'p1', parent: 'base', island: 0, provider: 'gpu', outcome: 'scored', score: 1.3, tokens: 30, atMs: 1 });
  state.evaluations.push(failed(2, 'p1'), ...[3, 4, 5, 6].map((i) => failed(i, 'base')));
  state.spent = { drafts: 6, tokens: 180 };
  return { state, baseCounts: { passed: 3, failed: 0, skipped: 0, total: 3, runner: 'vitest' as const }, probes: undefined };
}

describe('the failures an evolve draft is told', () => {
  it("holds its own parent's failed change, after four newer failures of other parents", async () => {
    const input = buildEvolveInput(
      { repo: '/stub/repo', drafts: 'gpu:1', baseUrl: 'http://127.0.0.1:9/v1', model: 'stub-model', heartbeat: 5, benchRuns: 10 },
      { parallel: 1, maxDrafts: 7, islands: 1, strategy: 'greedy' },
      { test: 'npm test', bench: 'node bench.js', files: ['src/**'], goal: 'Make countPrimes faster' },
      {},
    );
    const queues = oneQueue();
    const told: Array<{ id: string; parentSha: string; feedback: FeedbackItem[] }> = [];
    let readSha = '';
    const stubs = happyStubs() as Stubs & Record<string, unknown>;
    stubs.readProgram = async (req: { sha: string }) => ((readSha = req.sha), { files: [{ path: 'src/primes.ts', content: 'x' }], inspirations: [] });
    stubs.draft = async (req) => {
      told.push({ id: req.candidateId, parentSha: readSha, feedback: req.feedback });
      return { text: req.candidateId, model: 'stub', promptTokens: 10, completionTokens: 10, latencyMs: 1 };
    };
    stubs.applyCandidate = async (req) => ({
      ok: true,
      dir: `/stub/${req.candidateId}`,
      changed: ['src/primes.ts'],
      diff: '',
      patch: '+x',
      tree: 'f'.repeat(40),
    });
    stubs.runTests = async () => testResult(2, 1);

    const result = (await withStubWorker(queues.workflow, stubs, (env) =>
      env.client.workflow.execute('EvolveWorkflow', {
        taskQueue: queues.workflow,
        workflowId: `stub-parent-failures-${randomBytes(4).toString('hex')}`,
        args: [{ ...input, queues }, carried()],
      }),
    )) as EvolveResult;

    expect(result.spent.drafts).toBe(7);
    expect(told).toHaveLength(1);
    // p7 changes the best, p1: of the failures it hears p1's own (p2) last, and the three newest others before it.
    expect(told[0]!.id).toBe('p7');
    expect(told[0]!.parentSha).toBe(best.sha);
    expect(told[0]!.feedback.map((f) => f.candidate)).toEqual(['p4', 'p5', 'p6', 'p2']);
    expect(told[0]!.feedback.at(-1)).toEqual({ candidate: 'p2', status: 'tests-failed', message: 'p2 broke test_primes' });
  }, 30_000);
});
