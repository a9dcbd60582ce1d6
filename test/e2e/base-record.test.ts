// A candidate given as data is held to the base's tests as recorded on its
// sandbox host (<run>/sandbox/base-tests-<tree>.json, two levels above the
// candidate's workspace). A candidate's run that tries to rewrite that record
// (to an empty list of tests, so nothing is held against it) cannot: the
// sandbox writes only inside the workspace, and the record stays the base's.
import { MockActivityEnvironment } from '@temporalio/testing';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCandidate, cleanupRun, prepareRun } from '../../activities/git/workspace.js';
import { FIXED_SUM } from '../../dev/scripted-replies.js';
import { wholeFileReply } from '../helpers/hostile.js';
import { runTests } from '../../activities/sandbox/test.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import type { ApplyOutcome } from '../../core/contracts/git.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { exampleRepo, uniquePrefix } from '../helpers/harness.js';

const usable = process.getuid?.() === 0 && (await sandboxMode().catch(() => 'degraded')) === 'bwrap';
if (!usable) console.warn('base-record.test.ts: skipped (needs root and a working bubblewrap)');

const TEST = './node_modules/.bin/vitest run';
/** The candidate's code, run by the tests: every way up from the workspace to the record (relative, absolute, through /proc). */
const attack = (runRoot: string) => `import { readdirSync, writeFileSync } from 'node:fs';
for (const dir of ['..', '../..', '${runRoot}/sandbox', '/proc/1/cwd']) {
  try {
    for (const f of readdirSync(dir)) if (f.startsWith('base-tests-')) writeFileSync(dir + '/' + f, '{"cases":[],"note":null}');
  } catch {}
}
console.log('the attack ran');
${FIXED_SUM}`;

describe.skipIf(!usable)("the base's test record on a sandbox host", () => {
  const runId = `base-record-${uniquePrefix()}`;
  let repo: string | undefined;
  afterAll(async () => {
    if (repo) await cleanupRun({ repo, runId });
  });

  it('a candidate’s run cannot rewrite it: the record stays the base’s and the candidate is held to it', async () => {
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
    repo = await exampleRepo({ fixed: true });
    const prep = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['src/**/*.ts'], linkPaths: ['node_modules'] });
    const base: WorkspaceSpec = { source: repo, baseSha: prep.baseSha, tree: prep.baseTree!, runId, label: 'base' };
    const common = { timeoutSeconds: 90, protectedPaths: DEFAULT_PROTECTED, linkPaths: ['node_modules'] };
    const baseRun = (await env.run(runTests, { ...common, workspace: base, command: TEST, label: 'base', role: 'base' as const })) as TestRunResult;
    expect(baseRun.passed, baseRun.output).toBe(true);
    const sandboxDir = join(runDir(runId), 'sandbox');
    const recordFile = readdirSync(sandboxDir).find((f) => f.startsWith('base-tests-'))!;
    const record = readFileSync(join(sandboxDir, recordFile), 'utf8');
    expect(JSON.parse(record).cases.length).toBe(5);

    const applied = (await env.run(applyCandidate, {
      repo,
      runId,
      baseSha: prep.baseSha,
      candidateId: 'r1c1',
      reply: wholeFileReply({ 'src/sum.ts': attack(runDir(runId)) }),
      format: 'whole-file' as const,
      allowed: ['src/**/*.ts'],
      protectedPaths: DEFAULT_PROTECTED,
      linkPaths: ['node_modules'],
    })) as ApplyOutcome;
    if (!applied.ok) throw new Error(applied.message);
    const candidate = (await env.run(runTests, {
      ...common,
      workspace: { ...base, label: 'r1c1', patch: applied.patch, tree: applied.tree! },
      baseWorkspace: base,
      command: TEST,
      label: 'r1c1',
      role: 'candidate' as const,
    })) as TestRunResult;
    expect(readFileSync(join(sandboxDir, recordFile), 'utf8')).toBe(record);
    // The candidate's tests ran (its code too), and were held to the base's five, by identity.
    expect(candidate.passed, candidate.output).toBe(true);
    expect(candidate.output).toContain('the attack ran');
    expect(candidate.identity).toMatchObject({ method: 'identity' });
    expect(candidate.identity?.missingCount ?? 0).toBe(0);
  });
});
