// The format a draft says it asked its model for (the embedded chat model's search-replace) reaches
// the apply step unchanged, in the real SelfCodingWorkflow and EvolveWorkflow from scripted
// activities: there a whole-file block may only create a file (core/edits/formats/asked-format.ts).
// A draft that says nothing leaves the apply request as it was.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApplyRequest } from '../../core/contracts/git.js';
import { newArchive } from '../../core/evolve/archive.js';
import { buildEvolveInput } from '../../core/evolve/input.js';
import type { Program } from '../../core/evolve/types.js';
import { happyStubs, oneQueue, runInput, testResult, withStubWorker, type Stubs } from './stubbed.js';

/** Drafts that say they asked for search-replace, but for the first candidate's. */
function sayingDrafts(stubs: Stubs, applied: ApplyRequest[]): Stubs {
  const draft = stubs.draft;
  stubs.draft = async (req) => {
    const result = await draft(req);
    return /c1$|p1$/.test(req.candidateId) ? result : { ...result, editFormat: 'search-replace' as const };
  };
  const apply = stubs.applyCandidate;
  stubs.applyCandidate = async (req) => (applied.push(req), apply(req));
  return stubs;
}

describe('the format a draft asked for, on its way to the apply step', () => {
  it('SelfCodingWorkflow passes it through as askedFormat, beside the slot format', async () => {
    const applied: ApplyRequest[] = [];
    const queues = oneQueue();
    await withStubWorker(queues.workflow, sayingDrafts(happyStubs(), applied), (env) =>
      env.client.workflow.execute('SelfCodingWorkflow', {
        taskQueue: queues.workflow,
        workflowId: `stub-asked-format-${randomBytes(4).toString('hex')}`,
        args: [runInput(queues, { drafts: 'gpu:2', rounds: 1 })],
      }),
    );
    const byId = new Map(applied.map((r) => [r.candidateId.slice(-2), r]));
    expect(byId.get('c1')!.askedFormat).toBeUndefined();
    expect(byId.get('c2')).toMatchObject({ askedFormat: 'search-replace', format: byId.get('c1')!.format });
  }, 30_000);

  it('EvolveWorkflow passes it through too', async () => {
    const input = buildEvolveInput(
      { repo: '/stub/repo', drafts: 'gpu:1', baseUrl: 'http://127.0.0.1:9/v1', model: 'stub-model', heartbeat: 5, benchRuns: 10 },
      { parallel: 1, maxDrafts: 2, islands: 1, strategy: 'greedy' },
      { test: 'npm test', bench: 'node bench.js', files: ['src/**'], goal: 'Make countPrimes faster' },
      {},
    );
    const base: Program = {
      id: 'base',
      island: 0,
      generation: 0,
      sha: 'b'.repeat(40),
      tree: '0'.repeat(40),
      score: 1,
      features: { sizeBytes: 100, diffLines: 0 },
      provider: '-',
      tokens: 0,
    };
    const carried = {
      state: newArchive(base, 1, Date.now(), { strategy: 'greedy' }),
      baseCounts: { passed: 3, failed: 0, skipped: 0, total: 3, runner: 'vitest' as const },
      probes: undefined,
    };
    const applied: ApplyRequest[] = [];
    const stubs = sayingDrafts(happyStubs(), applied) as Stubs & Record<string, unknown>;
    stubs.readProgram = async () => ({ files: [{ path: 'src/primes.ts', content: 'x' }], inspirations: [] });
    const apply = stubs.applyCandidate;
    stubs.applyCandidate = async (req) => ({ ...(await apply(req)), patch: '+x', tree: 'f'.repeat(40) });
    stubs.runTests = async () => testResult(2, 1);
    const queues = oneQueue();
    await withStubWorker(queues.workflow, stubs, (env) =>
      env.client.workflow.execute('EvolveWorkflow', {
        taskQueue: queues.workflow,
        workflowId: `stub-asked-format-evolve-${randomBytes(4).toString('hex')}`,
        args: [{ ...input, queues }, carried],
      }),
    );
    const byId = new Map(applied.map((r) => [r.candidateId, r]));
    expect(byId.get('p1')!.askedFormat).toBeUndefined();
    expect(byId.get('p2')).toMatchObject({ askedFormat: 'search-replace' });
  }, 30_000);
});
