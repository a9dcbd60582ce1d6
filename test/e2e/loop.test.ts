import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import {
  exampleRepo,
  gitLines,
  recordHistory,
  resultOf,
  scheduledActivities,
  startTestRun,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSharedWorkers,
} from '../helpers/harness.js';
import { GOOD_REPLY, WRONG_REPLY } from '../../dev/scripted-replies.js';
import { parseTrailers } from '../../core/run/trailers.js';
import { OURO_OUTCOME, OURO_REPO, OURO_ROUND } from '../../core/run/search-attributes.js';

// The self-coding loop against a real Temporal dev server, real git, real
// vitest runs of the example, and a scripted OpenAI-compatible provider.

const GOOD = GOOD_REPLY;
const WRONG = WRONG_REPLY;
const MALFORMED = 'src/sum.ts\n<<<<<<< SEARCH\n  for (let i = 1; i < n; i++) {\n  for (let i = 1; i <= n; i++) {\n>>>>>>> REPLACE\n';
const EDITS_TEST = 'test/sum.test.ts\n<<<<<<< SEARCH\n    expect(sumTo(4)).toBe(10);\n=======\n    expect(sumTo(4)).toBe(6);\n>>>>>>> REPLACE\n';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

const promptOf = (key: string) =>
  fake.requests
    .filter((r) => r.key === key)
    .map((r) => JSON.stringify(r.body.messages))
    .join('\n');

describe('SelfCodingWorkflow end to end', () => {
  it('commits the correct candidate once, with trailers, and explains the loser', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: WRONG }]);
    fake.script('r1c2', [{ content: GOOD }]);
    const handle = await startTestRun(testInput(repo, prefix, fake.url));
    const result = await resultOf(handle);

    expect(result.outcome).toBe('committed');
    const branch = result.branch!;
    expect(await gitLines(repo, 'rev-list', `main..${branch}`)).toEqual([result.commitSha]);
    const message = (await gitLines(repo, 'log', '-1', '--format=%B', branch)).join('\n');
    const trailers = parseTrailers(message);
    expect(trailers['Ouro-Run']).toBe(handle.workflowId);
    expect(trailers['Ouro-Model']).toBe('gpu/fake-model');
    // A --fix run names the tests it made pass.
    expect(trailers['Ouro-Tests']).toBe(
      '5 passed; failed in the base, pass now: test/sum.test.ts › sumTo > includes n itself; test/sum.test.ts › sumTo > matches the closed form',
    );
    expect((await gitLines(repo, 'show', `${branch}:src/sum.ts`)).join('\n')).toContain('i <= n');
    // Only the candidate's file changed; the user's checkout is untouched.
    expect(await gitLines(repo, 'diff', '--name-only', `main..${branch}`)).toEqual(['src/sum.ts']);
    expect(await gitLines(repo, 'status', '--porcelain')).toEqual([]);

    const loser = result.candidates.find((c) => c.id === 'r1c1')!;
    expect(loser.status).toBe('tests-failed');
    expect(loser.reason).toMatch(/3 passed, 2 failed/);

    // Readable in the Web UI: search attributes and activity summaries.
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(OURO_OUTCOME)).toBe('committed');
    expect(desc.typedSearchAttributes.get(OURO_REPO)).toBe(repo);
    expect(desc.typedSearchAttributes.get(OURO_ROUND)).toBe(1);
    const summaries = (await scheduledActivities(handle)).map((a) => a.summary);
    expect(summaries).toContain('draft 1 · gpu · fake-model');
    expect(summaries).toContain('test candidate r1c2');
    // Workspaces are cleaned up.
    expect((await gitLines(repo, 'worktree', 'list')).length).toBe(1);
    await recordHistory(handle, 'committed');
  });

  it('commits nothing when every candidate is wrong, and says why each lost', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: WRONG }]);
    fake.script('r1c2', [{ content: 'I am not sure what to change.' }]);
    fake.script('r2c1', [{ content: WRONG }]);
    fake.script('r2c2', [{ content: EDITS_TEST }]);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { rounds: 2 }));
    const result = await resultOf(handle);

    expect(result.outcome).toBe('no-candidate-passed');
    expect(result.commitSha).toBeUndefined();
    expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
    expect(result.candidates.map((c) => [c.id, c.status])).toEqual([
      ['r1c1', 'tests-failed'],
      ['r1c2', 'malformed'],
      ['r2c1', 'tests-failed'],
      ['r2c2', 'refused'],
    ]);
    for (const c of result.candidates) expect(c.reason?.length).toBeGreaterThan(10);
    // Round 2's prompt carries round 1's failures.
    expect(promptOf('r2c1')).toContain('r1c1 (tests-failed)');
    expect(promptOf('r2c1')).toContain('r1c2 (malformed)');
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(OURO_OUTCOME)).toBe('no-candidate-passed');
    await recordHistory(handle, 'no-candidate');
  });

  it('turns malformed replies into feedback and commits a later good round', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: MALFORMED }]);
    fake.script('r1c2', [{ content: MALFORMED }]);
    fake.script('r2c1', [{ content: GOOD }]);
    fake.script('r2c2', [{ content: MALFORMED }]);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { rounds: 3 }));
    const result = await resultOf(handle);

    expect(result.outcome).toBe('committed');
    expect(result.rounds).toBe(2);
    expect(result.candidates.find((c) => c.id === 'r1c1')?.reason).toMatch(/missing '=======' divider/);
    expect(promptOf('r2c1')).toMatch(/missing '=======' divider/);
    // A malformed reply never reaches a sandbox.
    const tests = (await scheduledActivities(handle)).filter((a) => a.type === 'runTests').map((a) => a.summary);
    expect(tests).toEqual(['test baseline', 'test candidate r2c1']);
    await recordHistory(handle, 'malformed-then-good');
  });

  it('refuses an edit to a test file before any sandbox runs', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: EDITS_TEST }]);
    fake.script('r1c2', [{ content: EDITS_TEST }]);
    const handle = await startTestRun(testInput(repo, prefix, fake.url));
    const result = await resultOf(handle);
    expect(result.outcome).toBe('no-candidate-passed');
    for (const c of result.candidates) {
      expect(c.status).toBe('refused');
      expect(c.reason).toMatch(/test\/sum\.test\.ts: .*protected/);
    }
    const tests = (await scheduledActivities(handle)).filter((a) => a.type === 'runTests');
    expect(tests.map((a) => a.summary)).toEqual(['test baseline']);
  });

  it('retries a 429 after Retry-After and then succeeds', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ status: 429, headers: { 'retry-after': '2' } }, { status: 500 }, { content: GOOD }]);
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1' }));
    const result = await resultOf(handle);
    expect(result.outcome).toBe('committed');
    const times = fake.requests.filter((r) => r.key === 'r1c1').map((r) => r.at);
    expect(times).toHaveLength(3);
    // Retry-After: 2 was honoured between the first and second attempt.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1900);
  });

  it('fails fast with a clear error on 401', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ status: 401 }, { content: GOOD }]);
    const started = Date.now();
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { drafts: 'gpu:1' }));
    const err = await handle.result().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause?.message).toMatch(/gpu answered 401/);
    expect(cause?.message).toMatch(/Fix: the API key was refused/);
    expect(Date.now() - started).toBeLessThan(30_000);
    // No retry: the second scripted reply was never asked for.
    expect(fake.requests.filter((r) => r.key === 'r1c1').length).toBe(1);
    expect(await gitLines(repo, 'worktree', 'list')).toHaveLength(1);
  });

  it('reports a red baseline as baseline-broken unless the run is a fix', async () => {
    const repo = await exampleRepo();
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { fix: false }));
    const result = await resultOf(handle);
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(/baseline tests 3 passed, 2 failed.*--fix/);
    // No draft was spent on a broken base.
    expect(fake.requests).toHaveLength(0);
  });

  it('a reply past the size limit fails that draft once, fast, with its tokens counted; the run goes on', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: `src/sum.ts\n\`\`\`ts\n${'// padding\n'.repeat(60_000)}\`\`\`\n` }]);
    fake.script('r1c2', [{ content: GOOD }]);
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url, { maxReplyKb: 64 })));
    expect(result.outcome).toBe('committed');
    const big = result.candidates.find((c) => c.id === 'r1c1')!;
    expect(big).toMatchObject({ status: 'draft-failed', reason: 'reply exceeded 65536 bytes' });
    expect(big.tokens!.completion).toBeGreaterThanOrEqual(65536 / 4);
    expect(fake.requests.filter((r) => r.key === 'r1c1')).toHaveLength(1); // not retried
    expect(result.tokens.completion).toBeGreaterThanOrEqual(big.tokens!.completion);
  });

  it('even with --fix, a base whose test runner never started is baseline-broken, not a failing suite to fix', async () => {
    const repo = await exampleRepo();
    const before = fake.requests.length;
    const handle = await startTestRun(testInput(repo, prefix, fake.url, { fix: true, test: 'python3 -m pytest_is_not_installed_here -q' }));
    const result = await resultOf(handle);
    expect(result.outcome).toBe('baseline-broken');
    expect(result.baselineReason).toMatch(
      /^the test runner did not start \(.*No module named pytest_is_not_installed_here\): that is not a failing test suite/,
    );
    expect(fake.requests.length).toBe(before); // nothing was drafted from "No module named …"
    expect(result.testIdentity).toMatch(/^by count only/);
    await recordHistory(handle, 'baseline-never-ran');
  });

  it("compares the candidate's tests with the base's by identity, and says so in the result and the trailers", async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: GOOD }]);
    fake.script('r1c2', [{ content: GOOD }]);
    const result = await resultOf(await startTestRun(testInput(repo, prefix, fake.url)));
    expect(result.outcome).toBe('committed');
    expect(result.testIdentity).toBe("by identity: the base's 5 tests (junit report) must each run again and pass");
    const trailers = parseTrailers((await gitLines(repo, 'log', '-1', '--format=%B', result.branch!)).join('\n'));
    expect(trailers['Ouro-Test-Identity']).toBe('all 5 base tests ran and passed');
  });
});
