// A real run with no --files (issue 26): a real Temporal dev server, real git,
// real vitest runs of the bundled example, the real repository map, and a
// scripted OpenAI-compatible provider. Ouro chooses the file to change from
// the goal and the base's failing test, says so in the run's details, shows
// the drafts that test read-only, and still refuses an edit to a protected
// file or to a file it did not choose.
import { describe, expect, it } from 'vitest';
import { exampleRepo, gitLines, resultOf, startTestRun, testInput, uniquePrefix, useFakeProvider, useSharedWorkers } from '../helpers/harness.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { contextLines } from '../../core/views/status-view.js';

const EDITS_TEST = 'test/sum.test.ts\n<<<<<<< SEARCH\n    expect(sumTo(4)).toBe(10);\n=======\n    expect(sumTo(4)).toBe(6);\n>>>>>>> REPLACE\n';
const EDITS_UNCHOSEN = 'src/primes.ts\n```ts\nexport function countPrimesBelow(limit: number): number {\n  return limit;\n}\n```\n';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

describe('a run without --files', () => {
  it('chooses the file the failing test imports, records why, shows the test read-only, and refuses edits beyond the choice', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: EDITS_TEST }]);
    fake.script('r1c2', [{ content: EDITS_UNCHOSEN }]);
    fake.script('r2c1', [{ content: GOOD_REPLY }]);
    fake.script('r2c2', [{ content: EDITS_UNCHOSEN }]);
    const input = { ...testInput(repo, prefix, fake.url, { rounds: 2 }), goal: 'sumTo(n) must count n itself: make the failing tests pass.', files: [] };
    const handle = await startTestRun(input);
    const result = await resultOf(handle);

    // The choice, and why, in the run's details.
    expect(result.context?.chosen?.map((c) => c.path)).toEqual(['src/sum.ts']);
    expect(result.context!.chosen![0]!.reasons.join('; ')).toMatch(/imported by the failing test test\/sum\.test\.ts/);
    expect(contextLines(result.context)[0]).toMatch(/^files chosen to change \(no --files\): src\/sum\.ts \(/);
    // And in the Web UI: the workflow's current details.
    const metadata = (await handle.query('__temporal_workflow_metadata')) as { currentDetails?: string };
    expect(metadata.currentDetails).toContain('files chosen to change (no --files): src/sum.ts');

    // Edits beyond the choice are refused: a protected test, a file not chosen.
    const status = Object.fromEntries(result.candidates.map((c) => [c.id, c]));
    expect(status.r1c1!.status).toBe('refused');
    expect(status.r1c1!.reason).toMatch(/test\/sum\.test\.ts: protected/);
    expect(status.r1c2!.status).toBe('refused');
    expect(status.r1c2!.reason).toMatch(/src\/primes\.ts: not in the files you may change \(allowed: src\/sum\.ts\)/);
    expect(result.outcome).toBe('committed');
    expect(await gitLines(repo, 'diff', '--name-only', `main..${result.branch}`)).toEqual(['src/sum.ts']);

    // What the model read: the chosen file, its failing test read-only, the map; the report on each candidate.
    const prompt = fake.requests
      .find((r) => r.key === 'r1c1')!
      .body.messages.map((m: { content: string }) => m.content)
      .join('\n');
    expect(prompt).toContain('Files you may change: src/sum.ts');
    expect(prompt).toContain('Tests that exercise these files (read-only');
    expect(prompt).toContain("it('includes n itself'");
    expect(prompt).toContain('Map of the rest of the repository');
    expect(prompt).toContain('countPrimesBelow');
    expect(status.r1c1!.context).toMatch(/tests: 1 file shown \(test\/sum\.test\.ts: failing\+imports\+named\+in-goal\)/);
  });
});
