// What the real SelfCodingWorkflow decides, from scripted activities, when a --fix run's base ran no test
// because protected test files do not build yet (patched 'ouro-fix-unbuilt-tests'): it starts from them,
// sends every candidate's test with the tests they define, and holds each candidate to them; without
// --fix, or where the base is not that case, it stays baseline-broken.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../core/run/types.js';
import type { RunTestsRequest, TestRunResult } from '../../core/contracts/sandbox.js';
import type { RequiredTests } from '../../core/gate/required-tests.js';
import { happyStubs, oneQueue, runInput, testResult, withStubWorker, type Stubs } from './stubbed.js';

const REQUIRED: RequiredTests = {
  runner: 'go',
  ids: ['example.com/t › TestDecode', 'example.com/t › TestDecodeMaxDepth'],
  causes: ['decode_test.go uses d.MaxDepth'],
};
const SAID = "the base's tests do not build: decode_test.go uses d.MaxDepth; a candidate must make them build and pass: TestDecode, TestDecodeMaxDepth";

const UNBUILT_BASE: TestRunResult = {
  exitCode: 1,
  timedOut: false,
  durationMs: 20,
  output: '# example.com/t [example.com/t.test]\n./decode_test.go:12:7: d.MaxDepth undefined\nFAIL\texample.com/t [build failed]\nFAIL\n',
  passed: false,
  violations: [],
  sandbox: 'bwrap',
  unbuiltTests: REQUIRED,
};

const GREEN_GO = (extra: Partial<TestRunResult>) =>
  testResult(0, 0, {
    output: '--- PASS: TestDecode (0.00s)\n--- PASS: TestDecodeMaxDepth (0.00s)\nok  \texample.com/t\t0.01s\n',
    counts: { passed: 2, failed: 0, skipped: 0, total: 2, runner: 'go' },
    ...extra,
  });

async function run(stubs: Stubs, fix = true): Promise<RunResult> {
  const queues = oneQueue();
  const input = runInput(queues, { drafts: 'gpu:1', rounds: 1 }, { fix, test: 'go test ./...' });
  return withStubWorker(queues.workflow, stubs, (env) =>
    env.client.workflow.execute('SelfCodingWorkflow', {
      taskQueue: queues.workflow,
      workflowId: `stub-fix-unbuilt-${randomBytes(4).toString('hex')}`,
      args: [input],
    }),
  ) as Promise<RunResult>;
}

function stubs(base: TestRunResult, candidate: TestRunResult, seen: { requests: RunTestsRequest[]; drafts: string[] }): Stubs {
  const s = happyStubs();
  s.runTests = async (req) => {
    seen.requests.push(req);
    return req.role === 'base' ? base : candidate;
  };
  const draft = s.draft;
  s.draft = async (req) => {
    seen.drafts.push(JSON.stringify(req));
    return draft(req);
  };
  return s;
}

describe('a --fix run from tests that do not build yet', () => {
  it('starts from them, says so to the run and the first draft, sends the candidate its required tests, and commits one that ran and passed them', async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const result = await run(
      stubs(UNBUILT_BASE, GREEN_GO({ required: { required: 2, missing: [], missingCount: 0, notPassed: [], notPassedCount: 0 } }), seen),
    );
    expect(result.outcome, result.baselineReason).toBe('committed');
    expect(result.testIdentity).toContain(SAID);
    expect(seen.drafts[0]).toContain(SAID);
    expect(seen.requests.find((r) => r.role === 'candidate')?.requiredTests).toEqual(REQUIRED);
    expect(seen.requests.find((r) => r.role === 'base')?.requiredTests).toBeUndefined();
  }, 30_000);

  it('refuses a candidate whose run shows none of them', async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const none = {
      required: 2,
      missing: ['example.com/t › TestDecode', 'example.com/t › TestDecodeMaxDepth'],
      missingCount: 2,
      notPassed: [],
      notPassedCount: 0,
    };
    const result = await run(stubs(UNBUILT_BASE, GREEN_GO({ output: 'ok  \texample.com/t\t0.01s\n', required: none }), seen));
    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.candidates[0]).toMatchObject({
      status: 'tests-failed',
      reason: expect.stringMatching(/2 of the 2 tests the base could not build did not run \(TestDecode; TestDecodeMaxDepth\)/),
    });
  }, 30_000);

  it('refuses a candidate whose result says nothing of them (a worker that did not check)', async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const result = await run(stubs(UNBUILT_BASE, GREEN_GO({}), seen));
    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.candidates[0]?.reason).toMatch(/were not checked/);
  }, 30_000);

  it('without --fix the same base is baseline-broken, and no draft is asked', async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const result = await run(stubs(UNBUILT_BASE, GREEN_GO({}), seen), false);
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/without reporting any test/);
    expect(seen.drafts).toEqual([]);
  }, 30_000);

  it('with --fix, a base that is not that case stays baseline-broken and says why', async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const base = {
      ...UNBUILT_BASE,
      unbuiltTests: undefined,
      unbuiltTestsNote: 'the base could not build decode.go, which is not a test file: the code itself does not build',
    };
    const result = await run(stubs(base, GREEN_GO({}), seen));
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/not tests written first: the base could not build decode\.go, which is not a test file/);
    expect(seen.drafts).toEqual([]);
  }, 30_000);

  it("pytest: the run's details say the candidates are held to the tests the base ran past its collection errors, not to its one load error", async () => {
    const seen = { requests: [] as RunTestsRequest[], drafts: [] as string[] };
    const required: RequiredTests = {
      runner: 'pytest',
      ids: ['tests/test_b.py › test_b'],
      causes: ['tests/test_b.py imports b from m, which the code does not define'],
    };
    const base: TestRunResult = {
      ...UNBUILT_BASE,
      exitCode: 2,
      output: "_____ ERROR collecting tests/test_b.py _____\nE   ImportError: cannot import name 'b' from 'm'\nInterrupted: 1 error during collection\n",
      report: { format: 'junit', tests: 3, passed: 2, failed: 1, skipped: 0, loadErrors: 1 },
      counts: { passed: 2, failed: 0, skipped: 0, total: 2, runner: 'pytest' },
      heldPastCollectionErrors: true,
      unbuiltTests: required,
    };
    const result = await run(stubs(base, GREEN_GO({ required: { required: 1, missing: [], missingCount: 0, notPassed: [], notPassedCount: 0 } }), seen));
    expect(result.testIdentity).toMatch(
      /^by identity: the 2 other tests the base ran past its collection errors \(junit report, with --continue-on-collection-errors\) must each run again and pass; the base's tests do not load: tests\/test_b\.py imports b/,
    );
    expect(result.testIdentity).not.toMatch(/the base's 3 tests/);
  }, 30_000);
});
