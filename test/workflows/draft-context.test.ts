// What drafts see (issue 26), decided by the workflow from scripted activity
// answers: with no --files, the files chosen after the base's tests ran are
// what drafts read and may change, and the choice is in the run's details;
// each slot's tests and map reach its draft; a red base's failure steers it.
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GatherContextRequest } from '../../core/contracts/context.js';
import type { DraftRequest } from '../../core/contracts/draft.js';
import type { ApplyRequest } from '../../core/contracts/git.js';
import { CONFIG_ERROR } from '../../core/run/errors.js';
import type { RunInput, RunResult, RunStatus } from '../../core/run/types.js';
import { statusQuery } from '../../workflows/definitions.js';
import { happyStubs, oneQueue, runInput, testResult, withStubWorker, type Stubs } from './stubbed.js';

async function run(stubs: Stubs, edit: (input: RunInput) => RunInput) {
  const queues = oneQueue();
  const input = edit(runInput(queues));
  const workflowId = `stub-context-${randomBytes(4).toString('hex')}`;
  return withStubWorker(queues.workflow, stubs, async (env) => {
    const result = (await env.client.workflow.execute('SelfCodingWorkflow', { taskQueue: queues.workflow, workflowId, args: [input] })) as RunResult;
    const status = await env.client.workflow.getHandle(workflowId).query(statusQuery);
    return { result, status: status as RunStatus };
  });
}

const chosen = [{ path: 'src/keys.py', reasons: ['imported by the failing test tests/test_keys.py'] }];
const context = {
  contextTokens: 32_768,
  tests: [{ path: 'tests/test_keys.py', content: 'def test_typedkey(): ...\n' }],
  map: 'src/func.py:\n  def f()\n',
  report: ['tests: 1 file shown', 'map: 1 file shown, 3 omitted'],
};

describe('the draft context in SelfCodingWorkflow', () => {
  it('no --files: the chosen files are drafted from, the only ones allowed, and named with why in the result and the status', async () => {
    const stubs = happyStubs();
    const gathered: GatherContextRequest[] = [];
    const drafts: DraftRequest[] = [];
    const applies: ApplyRequest[] = [];
    const prepared: string[][] = [];
    const prepare = stubs.prepareRun;
    stubs.prepareRun = async (req) => (prepared.push(req.files), { ...(await prepare(req)), files: [] });
    stubs.runTests = async (req) =>
      req.role === 'base' ? testResult(3, 1, { output: 'FAILED tests/test_keys.py::test_typedkey - AssertionError' }) : testResult(4);
    stubs.gatherContext = async (req) => (
      gathered.push(req),
      { allowed: ['src/keys.py'], chosen, files: [{ path: 'src/keys.py', content: 'def typedkey(): ...\n' }], contexts: req.slots.map(() => context) }
    );
    const draft = stubs.draft;
    stubs.draft = async (req) => (drafts.push(req), draft(req));
    const apply = stubs.applyCandidate;
    stubs.applyCandidate = async (req) => (applies.push(req), apply(req));

    const { result, status } = await run(stubs, (input) => ({ ...input, files: [] }));

    expect(result.outcome).toBe('committed');
    expect(prepared).toEqual([[]]);
    expect(gathered).toHaveLength(1);
    expect(gathered[0]!.files).toEqual([]);
    expect(gathered[0]!.failure).toContain('tests/test_keys.py::test_typedkey');
    expect(gathered[0]!.slots).toEqual([{ provider: 'gpu', maxOutputTokens: 4096 }]);
    for (const d of drafts) {
      expect(d.files.map((f) => f.path)).toEqual(['src/keys.py']);
      expect(d.allowed).toEqual(['src/keys.py']);
      expect(d.context).toEqual(context);
    }
    expect(applies.map((a) => a.allowed)).toEqual(drafts.map(() => ['src/keys.py']));
    expect(result.context).toEqual({ chosen, windows: [{ contextTokens: 32_768, report: context.report }] });
    expect(status.context?.chosen).toEqual(chosen);
    expect(result.candidates.every((c) => c.context === 'tests: 1 file shown; map: 1 file shown, 3 omitted')).toBe(true);
  });

  it("with --files: the user's globs stay what drafts may change, and a green base sends no failure", async () => {
    const stubs = happyStubs();
    const gathered: GatherContextRequest[] = [];
    const drafts: DraftRequest[] = [];
    stubs.gatherContext = async (req) => (gathered.push(req), { allowed: req.files, contexts: req.slots.map(() => context) });
    const draft = stubs.draft;
    stubs.draft = async (req) => (drafts.push(req), draft(req));
    const { result } = await run(stubs, (input) => input);
    expect(result.outcome).toBe('committed');
    expect(gathered[0]!.files).toEqual(['src/**']);
    expect(gathered[0]!.failure).toBeUndefined();
    expect(drafts.every((d) => d.allowed.join() === 'src/**' && d.files[0]!.path === 'src/sum.ts' && d.context?.map === context.map)).toBe(true);
    expect(result.context?.chosen).toBeUndefined();
  });

  it('a choice that finds nothing fails the run with its message', async () => {
    const stubs = happyStubs();
    stubs.gatherContext = async () => {
      throw ApplicationFailure.nonRetryable('Ouro could not tell from the goal which files to change: name them with --files', CONFIG_ERROR);
    };
    const failed = await run(stubs, (input) => ({ ...input, files: [] })).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    const cause = (failed as WorkflowFailedError).cause as (Error & { cause?: Error }) | undefined;
    expect(cause?.cause?.message).toMatch(/name them with --files/);
  });
});
