import { describe, it, expect } from 'vitest';
import { candidateLines, progressLine, renderStatusMarkdown } from '../../../core/views/status-view.js';
import { oneLine } from '../../../core/views/excerpt.js';
import type { CandidateRow, RunStatus } from '../../../core/run/types.js';

function row(r: Partial<CandidateRow>): CandidateRow {
  return { id: 'r1c0', round: 1, index: 0, slot: 0, provider: 'cerebras', model: 'llama-3.3-70b', status: 'pending', ...r };
}

const passed = row({
  id: 'r1c0',
  status: 'passed',
  tests: { passed: 42, failed: 0, skipped: 0, total: 42, runner: 'vitest' },
  speedup: 1.34,
  reason: '1.34× faster',
});
const failed = row({
  id: 'r1c1',
  index: 1,
  provider: 'local',
  model: 'embedded',
  status: 'tests-failed',
  tests: { passed: 40, failed: 2, skipped: 0, total: 42, runner: 'vitest' },
  reason: 'tests 40/42 passed, 2 failed',
});
const slower = row({ id: 'r1c2', index: 2, status: 'slower', speedup: 0.8, reason: '1.25× slower (tolerance 5%)' });

describe('candidateLines', () => {
  it('renders one aligned line per candidate', () => {
    const out = candidateLines([passed, failed, slower]);
    expect(out).toHaveLength(3);
    expect(out[0]).toBe(
      `${'r1c0'.padEnd(6)} ${'cerebras/llama-3.3-70b'.padEnd(28)} ${'passed'.padEnd(13)} ${'42/42'.padEnd(7)} ${'1.34× faster'.padEnd(14)} 1.34× faster`,
    );
    expect(out[1]).toContain('40/42');
    expect(out[1]).toContain('tests-failed');
    expect(out[2]).toContain('1.25× slower');
    // Columns line up: the status column starts at the same offset on every line.
    const col = out[0]!.indexOf('passed');
    expect(out[1]!.indexOf('tests-failed')).toBe(col);
    expect(out[2]!.indexOf('slower')).toBe(col);
  });

  it('leaves empty cells blank and trims trailing spaces', () => {
    const [line] = candidateLines([row({ id: 'r2c0', status: 'drafting' })]);
    expect(line).toBe(`${'r2c0'.padEnd(6)} ${'cerebras/llama-3.3-70b'.padEnd(28)} drafting`);
  });

  it('cuts a long provider/model to 28 characters', () => {
    const [line] = candidateLines([row({ provider: 'gpu', model: 'Qwen/Qwen2.5-Coder-32B-Instruct-AWQ', status: 'testing' })]);
    expect(line).toContain('gpu/Qwen/Qwen2.5-Coder-32B-I testing');
  });

  it('flattens the reason and fits it into the width', () => {
    const reason = `tests 0/3 passed\n${'TypeError: cannot read properties of undefined '.repeat(10)}`;
    const [line] = candidateLines([row({ status: 'tests-failed', reason })], 100);
    expect(line).not.toContain('\n');
    expect(line!.length).toBeLessThanOrEqual(100);
    expect(line!.endsWith('…')).toBe(true);
    expect(line).toContain('tests 0/3 passed TypeError');
  });

  it('gives the reason at least 20 characters on a narrow terminal', () => {
    const [line] = candidateLines([row({ status: 'tests-failed', reason: 'x'.repeat(100) })], 40);
    expect(line!.match(/x+…$/)![0]).toHaveLength(20);
  });
});

describe('renderStatusMarkdown', () => {
  const status: RunStatus = {
    phase: 'benchmarking',
    round: 1,
    maxRounds: 3,
    baseSha: '3f2a9c1d7e8b6a5f4e3d2c1b0a9f8e7d6c5b4a39',
    candidates: [passed, failed],
    bestSpeedup: 1.34,
    hints: [],
  };

  it('starts with the phase, round, best speedup and short base sha', () => {
    const first = renderStatusMarkdown(status).split('\n')[0];
    expect(first).toBe('**benchmarking** · round 1/3 · best 1.34× faster · base `3f2a9c1d7e`');
  });

  it('shows the outcome instead of the phase once the run ended', () => {
    const first = renderStatusMarkdown({ ...status, phase: 'done', outcome: 'committed' }).split('\n')[0];
    expect(first!.startsWith('**committed** · round 1/3')).toBe(true);
  });

  it('a finished run counts the rounds that drafted: a round that found no worker for its drafts is not one', () => {
    const first = renderStatusMarkdown({ ...status, round: 2, phase: 'done', outcome: 'no-worker' }).split('\n')[0];
    expect(first!.startsWith('**no-worker** · round 1/3')).toBe(true);
    // While it runs, the round it is in.
    expect(
      renderStatusMarkdown({ ...status, round: 2 })
        .split('\n')[0]!
        .startsWith('**benchmarking** · round 2/3'),
    ).toBe(true);
  });

  it('omits best speedup and base sha when unknown', () => {
    expect(renderStatusMarkdown({ phase: 'baseline', round: 0, maxRounds: 3, candidates: [], hints: [] })).toBe('**baseline** · round 0/3');
  });

  it('renders a table row per candidate', () => {
    const lines = renderStatusMarkdown(status).split('\n');
    expect(lines).toContain('| candidate | model | status | tests | speed | why |');
    expect(lines).toContain('| r1c0 | cerebras/llama-3.3-70b | passed | 42/42 | 1.34× faster | 1.34× faster |');
    expect(lines).toContain('| r1c1 | local/embedded | tests-failed | 40/42 |  | tests 40/42 passed, 2 failed |');
  });

  it('escapes pipes and flattens newlines in reasons so the table holds', () => {
    const c = row({ id: 'r2c0', status: 'malformed', reason: 'no edits found\nexpected a | b' });
    const md = renderStatusMarkdown({ ...status, candidates: [c] });
    expect(md).toContain('| r2c0 | cerebras/llama-3.3-70b | malformed |  |  | no edits found expected a \\| b |');
  });

  it('lists the hints on one line', () => {
    const md = renderStatusMarkdown({ ...status, hints: ['use a lookup table', 'avoid\nregexes'] });
    expect(md.split('\n')).toContain('hints: use a lookup table · avoid regexes');
  });

  it('has no table without candidates', () => {
    expect(renderStatusMarkdown({ ...status, candidates: [] })).not.toContain('| candidate |');
  });
});

describe('what a candidate cannot do to the table', () => {
  it('shows control characters as their pictures and strips colour codes', () => {
    expect(oneLine('a\u0000b\u0007c\u001b[31mred\u001b[0m\u007f')).toBe('a␀b␇cred␡');
  });
  it('says "1.51× slower", not "slower 1.51× slower"', () => {
    expect(progressLine('slower', 1 / 1.51)).toBe('1.51× slower');
    expect(progressLine('passed', 1.2)).toBe('passed 1.20× faster');
    expect(progressLine('testing', undefined)).toBe('testing');
  });
});
