import { describe, expect, it } from 'vitest';
import { latestTag, nextTag, parseTag } from '../../../core/train/semver.js';
import { prependChangelog, releaseNotes, runSummary } from '../../../core/train/release-notes.js';
import { parseDuration } from '../../../core/run/duration.js';
import { buildTrainInput } from '../../../core/train/input.js';
import { branchSafe } from '../../../core/run/branch-name.js';
import { renderTrainMarkdown } from '../../../core/views/train-view.js';
import type { RunResult } from '../../../core/run/types.js';

describe('semver tags', () => {
  it('parses only prefix + X.Y.Z', () => {
    expect(parseTag('v1.2.3')).toEqual({ major: 1, minor: 2, patch: 3 });
    expect(parseTag('v1.2')).toBeUndefined();
    expect(parseTag('1.2.3')).toBeUndefined();
    expect(parseTag('rel-1.2.3', 'rel-')).toEqual({ major: 1, minor: 2, patch: 3 });
  });
  it('finds the highest release tag numerically, ignoring others', () => {
    expect(latestTag(['v1.9.0', 'v1.10.0', 'nightly', 'v1.2.30'])).toBe('v1.10.0');
    expect(latestTag(['nightly'])).toBeUndefined();
  });
  it('bumps by the configured rule', () => {
    expect(nextTag('v1.2.3', 'patch')).toBe('v1.2.4');
    expect(nextTag('v1.2.3', 'minor')).toBe('v1.3.0');
    expect(nextTag('v1.2.3', 'major')).toBe('v2.0.0');
    expect(nextTag(undefined, 'patch')).toBe('v0.1.0');
    expect(nextTag(undefined, 'major')).toBe('v1.0.0');
  });
});

describe('release notes', () => {
  const rides = [
    { task: 'a', goal: 'Speed up x', priority: 1, integrated: 'abcdef1234567', result: 'released' as const, speedup: 1.25 },
    { task: 'b', goal: 'Fix y', priority: 0, result: 'returned' as const, reason: 'conflicts with a\nmore' },
  ];
  it('lists shipped tasks with commits and speedups, and what stayed behind with why', () => {
    const notes = releaseNotes('v1.1.0', '2026-11-24', {
      rides,
      verification: { tests: 'release suite 5/5 passed', benchmark: 'no clear change' },
      previousTag: 'v1.0.0',
      bisect: [{ culprit: 'c', why: 'bisect: …' }],
    });
    expect(notes).toMatch(/^## v1\.1\.0 \(2026-11-24\)/);
    expect(notes).toMatch(/- Speed up x \(task a, abcdef1234, 1\.25× faster\)/);
    expect(notes).toMatch(/- b: conflicts with a$/m);
    expect(notes).toMatch(/Verified: release suite 5\/5 passed; benchmark vs v1\.0\.0: no clear change\./);
    expect(notes).toMatch(/Rolled back: c/);
  });
  it('puts the newest entry first under one title', () => {
    const once = prependChangelog('', '## v1\n');
    expect(once).toBe('# Changelog\n\n## v1\n');
    expect(prependChangelog(once, '## v2\n')).toBe('# Changelog\n\n## v2\n\n## v1\n');
    expect(prependChangelog('old notes\n', '## v2\n')).toBe('# Changelog\n\n## v2\n\nold notes\n');
    // A preamble under the title stays above the releases.
    const kept = '# Changelog\n\nAll notable changes to this project.\nDates are UTC.\n\n## v1.0.0\n- first\n';
    expect(prependChangelog(kept, '## v1.1.0\n- second\n')).toBe(
      '# Changelog\n\nAll notable changes to this project.\nDates are UTC.\n\n## v1.1.0\n- second\n\n## v1.0.0\n- first\n',
    );
    expect(prependChangelog('# Changes\n\nWhat changed.\n', '## v1\n')).toBe('# Changes\n\nWhat changed.\n\n## v1\n');
  });
  it('summarises why a run did not commit', () => {
    const base: RunResult = {
      outcome: 'no-candidate-passed',
      rounds: 2,
      candidates: [{ id: 'r1c1', round: 1, index: 1, slot: 0, provider: 'gpu', model: 'm', status: 'tests-failed', reason: '3/5 passed' }],
      tokens: { prompt: 0, completion: 0 },
    };
    expect(runSummary(base)).toBe('no candidate passed in 2 round(s): r1c1 tests-failed (3/5 passed)');
    expect(runSummary({ ...base, outcome: 'baseline-broken', baselineReason: 'red\nmore' })).toBe('the base is broken for this task: red');
  });
  it('shows the pending approval and how to give it in the Web UI', () => {
    const md = renderTrainMarkdown('nightly', { stage: 'awaiting-approval', rides, generation: 2, approval: { deadlineMs: 3_600_000, reminders: 3 } }, 0);
    expect(md).toMatch(/Waiting for approval\*\*, 60 min left \(reminder 3\): `ouro train approve nightly`/);
    expect(md).toMatch(/run 2 of this train/);
    expect(md).toMatch(/\| b \| queued \| {2}\| returned — conflicts with a \|/);
  });
});

describe('train input', () => {
  it('parses durations people type', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('6h')).toBe(21_600);
    expect(parseDuration('1h30m')).toBe(5_400);
    expect(parseDuration('2d')).toBe(172_800);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('6 hours')).toBeUndefined();
  });
  it('builds a complete train request with defaults, and refuses bad flags', () => {
    const t = buildTrainInput({
      name: 'nightly',
      repo: '/r',
      approval: true,
      approvalTimeout: '2h',
      reminder: '1d',
      run: { drafts: 'gpu:2', model: undefined },
    });
    expect(t).toMatchObject({
      releaseBranch: 'release',
      bump: 'patch',
      maxParallel: 2,
      maxAttempts: 3,
      approval: { timeoutSeconds: 7200, reminderSeconds: 7200 },
    });
    expect(t.runFlags).toEqual({ heartbeat: 30, testTimeout: 300, queuePrefix: '', drafts: 'gpu:2' });
    expect(buildTrainInput({ name: 'n', repo: '/r' }).approval).toBeUndefined();
    expect(() => buildTrainInput({ name: 'bad name', repo: '/r' })).toThrow(/train names use/);
    expect(() => buildTrainInput({ name: 'n', repo: '/r', approvalTimeout: 'soon' })).toThrow(/expected a duration/);
    expect(() => buildTrainInput({ name: 'n', repo: '/r', bump: 'huge' as never })).toThrow();
  });
  it('makes workflow ids fit for branch names', () => {
    expect(branchSafe('ouro-train-x-2026-11-24T09:13:06Z--doc')).toBe('ouro-train-x-2026-11-24T09-13-06Z--doc');
    expect(branchSafe('a..b')).toBe('a.b');
    expect(branchSafe('x.lock')).toBe('x-lock');
    expect(branchSafe('::')).toBe('run');
  });
});
