import { describe, it, expect } from 'vitest';
import { commitMessage, parseTrailers, RUN_TRAILER } from '../../../core/run/trailers.js';

const trailers = {
  [RUN_TRAILER]: 'ouro-demo-20250101120000-ab12',
  'Ouro-Candidate': 'r2c3',
  'Ouro-Model': 'cerebras/llama-3.3-70b',
  'Ouro-Tests': '42/42 passed',
  'Ouro-Speedup': '1.34× faster',
};

describe('commitMessage', () => {
  it('lays out subject, blank line, body, blank line, trailers', () => {
    const msg = commitMessage('Make parseCsv faster', 'Candidate r2c3 of round 2.', { [RUN_TRAILER]: 'run-1', 'Ouro-Model': 'local/embedded' });
    expect(msg).toBe('Make parseCsv faster\n\nCandidate r2c3 of round 2.\n\nOuro-Run: run-1\nOuro-Model: local/embedded\n');
  });

  it('omits an empty body', () => {
    expect(commitMessage('Fix the off-by-one', '   \n', { [RUN_TRAILER]: 'run-1' })).toBe('Fix the off-by-one\n\nOuro-Run: run-1\n');
  });

  it('collapses a multi-line goal into one subject line', () => {
    const msg = commitMessage('  Speed up\n  the   tokenizer\t ', '', {});
    expect(msg.split('\n')[0]).toBe('Speed up the tokenizer');
  });

  it('cuts a long goal at a word for the subject (at most 72 characters, with "…") and keeps it whole in the body', () => {
    const goal = 'Reduce allocations in the hot loop of the CSV parser by reusing a single buffer across rows and fields';
    const msg = commitMessage(goal, 'body', trailers);
    const subject = msg.split('\n')[0]!;
    expect(subject).toBe('Reduce allocations in the hot loop of the CSV parser by reusing a…');
    expect(subject.length).toBeLessThanOrEqual(72);
    expect(msg.split('\n').slice(1, 5)).toEqual(['', goal, '', 'body']);
    // One long word is cut where it must be.
    expect(commitMessage('y'.repeat(100), '', {}).split('\n')[0]).toBe(`${'y'.repeat(71)}…`);
  });

  it('keeps a subject of exactly 72 characters whole', () => {
    const goal = 'x'.repeat(72);
    expect(commitMessage(goal, '', {}).split('\n')[0]).toBe(goal);
  });

  it('falls back to a default subject for a blank goal', () => {
    expect(commitMessage(' \n ', '', {}).split('\n')[0]).toBe('Ouro change');
  });

  it('flattens whitespace in trailer values so each stays on one line', () => {
    const msg = commitMessage('s', '', { 'Ouro-Reason': 'tests 3/3 passed\n1.20× faster  ' });
    expect(msg).toContain('Ouro-Reason: tests 3/3 passed 1.20× faster\n');
  });
});

describe('parseTrailers', () => {
  it('round-trips the trailers of commitMessage', () => {
    const body = 'Candidate r2c3 of round 2, drafted by cerebras/llama-3.3-70b.\n\nReason: 1.34× faster\nand more prose.';
    expect(parseTrailers(commitMessage('Make parseCsv faster', body, trailers))).toEqual(trailers);
  });

  it('round-trips without a body', () => {
    expect(parseTrailers(commitMessage('Fix the bug', '', { [RUN_TRAILER]: 'run-9' }))).toEqual({ [RUN_TRAILER]: 'run-9' });
  });

  it('round-trips values whose whitespace commitMessage flattened', () => {
    const msg = commitMessage('s', 'b', { 'Ouro-Tests': ' 5/5\npassed ' });
    expect(parseTrailers(msg)).toEqual({ 'Ouro-Tests': '5/5 passed' });
  });

  it('reads only the last paragraph, as git does', () => {
    const msg = 'Subject\n\nNote: this line is prose, not a trailer\n\nOuro-Run: run-7\nSigned-off-by: A <a@example.com>\n';
    expect(parseTrailers(msg)).toEqual({ 'Ouro-Run': 'run-7', 'Signed-off-by': 'A <a@example.com>' });
  });

  it('tolerates trailing blank lines and whitespace-only separator lines', () => {
    const msg = 'Subject\n\nbody\n  \nOuro-Run: run-8\n\n\n';
    expect(parseTrailers(msg)).toEqual({ 'Ouro-Run': 'run-8' });
  });

  it('ignores lines in the last paragraph that are not "Key: value"', () => {
    const msg = 'Subject\n\nOuro-Run: run-3\n  indented: no\n- Bullet: no\nOuro-Model: gpu/default\n';
    expect(parseTrailers(msg)).toEqual({ 'Ouro-Run': 'run-3', 'Ouro-Model': 'gpu/default' });
  });
});
