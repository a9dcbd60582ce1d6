import { describe, it, expect } from 'vitest';
import { buildMessages, renderFeedback, type PromptInput } from '../../../core/edits/prompt.js';
import type { FeedbackItem } from '../../../core/contracts/draft.js';

const PARSE_TS = `export function parseCsv(text: string): string[][] {
  return text.split('\\n').map((line) => line.split(','));
}
`;

function input(p: Partial<PromptInput> = {}): PromptInput {
  return {
    goal: 'Make parseCsv handle quoted fields',
    files: [{ path: 'src/parse.ts', content: PARSE_TS }],
    allowed: ['src/parse.ts', 'src/util/*.ts'],
    hints: [],
    feedback: [],
    editFormat: 'search-replace',
    maxChars: 100_000,
    feedbackChars: 15_000,
    ...p,
  };
}

function user(p: Partial<PromptInput> = {}): string {
  const msgs = buildMessages(input(p));
  expect(msgs.map((m) => m.role)).toEqual(['system', 'user']);
  return msgs[1]!.content;
}

describe('buildMessages', () => {
  it('sends a system message that forbids editing tests and benchmarks', () => {
    const [system] = buildMessages(input());
    expect(system?.role).toBe('system');
    expect(system?.content).toMatch(/Never edit tests, benchmarks or configuration/);
  });

  it('starts the user message with the goal', () => {
    expect(user().startsWith('Goal: Make parseCsv handle quoted fields\n')).toBe(true);
  });

  it('lists the files the model may change', () => {
    expect(user()).toContain('Files you may change: src/parse.ts, src/util/*.ts');
  });

  it('includes each file fenced under its path', () => {
    const text = user({
      files: [
        { path: 'src/parse.ts', content: PARSE_TS },
        { path: 'src/util/quote.ts', content: "export const Q = '\"';" },
      ],
    });
    expect(text).toContain(`Current contents:\n\nsrc/parse.ts\n\`\`\`\n${PARSE_TS}\`\`\``);
    // A file without a final newline still gets its closing fence on a line of its own.
    expect(text).toContain("src/util/quote.ts\n```\nexport const Q = '\"';\n```");
  });

  it('includes the user hints as a list, and omits the section without hints', () => {
    const text = user({ hints: ['handle "" as an escaped quote', 'keep it allocation-free'] });
    expect(text).toContain('Guidance from the user:\n- handle "" as an escaped quote\n- keep it allocation-free');
    expect(user()).not.toContain('Guidance from the user');
  });

  it('includes feedback from earlier attempts, and omits the section without any', () => {
    const feedback: FeedbackItem[] = [
      { candidate: 'r1c0', status: 'tests-failed', message: 'tests 3/5 passed, 2 failed' },
      { candidate: 'r1c1', status: 'malformed', message: 'SEARCH block did not match src/parse.ts' },
    ];
    const text = user({ feedback });
    expect(text).toContain('Earlier attempts and why they were rejected:');
    expect(text).toContain('- r1c0 (tests-failed): tests 3/5 passed, 2 failed');
    expect(text).toContain('- r1c1 (malformed): SEARCH block did not match src/parse.ts');
    expect(user()).not.toContain('Earlier attempts');
  });

  it('ends with the instructions of the chosen edit format', () => {
    const sr = user({ editFormat: 'search-replace' });
    expect(sr).toContain('<<<<<<< SEARCH');
    expect(sr).toContain('>>>>>>> REPLACE');
    expect(sr.lastIndexOf('>>>>>>> REPLACE')).toBeGreaterThan(sr.indexOf('Current contents:'));

    const wf = user({ editFormat: 'whole-file' });
    expect(wf).toContain('Write every file you change in full');
    expect(wf).not.toContain('<<<<<<< SEARCH');
  });

  it('keeps the head and the tail of files that exceed the budget', () => {
    const middle = Array.from({ length: 4000 }, (_, i) => `  const filler${i} = ${i};`).join('\n');
    const content = `// HEAD-MARKER: the top of the file\n${middle}\n// TAIL-MARKER: the end of the file\n`;
    const text = user({ files: [{ path: 'src/big.ts', content }], maxChars: 12_000 });

    expect(content.length).toBeGreaterThan(50_000);
    expect(text).toContain('src/big.ts\n```\n// HEAD-MARKER');
    expect(text).toContain('// TAIL-MARKER: the end of the file\n```');
    expect(text).toMatch(/… \[\d+ characters cut\] …/);
    expect(text).not.toContain('filler2000 ');
    // Goal, allowed files and format instructions survive the trimming.
    expect(text).toContain('Goal: Make parseCsv handle quoted fields');
    expect(text).toContain('Files you may change: src/parse.ts');
    expect(text).toContain('>>>>>>> REPLACE');
    expect(text.length).toBeLessThan(12_000);
  });

  it('does not trim files that fit', () => {
    const content = 'x'.repeat(5000);
    const text = user({ files: [{ path: 'src/x.ts', content }], maxChars: 100_000 });
    expect(text).toContain(content);
    expect(text).not.toContain('characters cut');
  });

  it('never shrinks the budget below a usable minimum', () => {
    // A tiny context still gets the 2000-character floor of file (feedback has its own share, none here).
    const content = `HEAD${'y'.repeat(5000)}TAIL`;
    const text = user({ files: [{ path: 'src/y.ts', content }], maxChars: 100 });
    expect(text).toContain('HEAD');
    expect(text).toContain('TAIL');
    const kept = (text.match(/y{50,}/g) ?? []).join('').length;
    expect(kept).toBeGreaterThan(1500);
    expect(kept).toBeLessThan(2000);
  });
});

describe('renderFeedback', () => {
  it('returns an empty string without feedback', () => {
    expect(renderFeedback([], 5000)).toBe('');
  });

  it('cuts the middle of one long message', () => {
    const message = `FIRST-LINE\n${'x'.repeat(5000)}\nLAST-LINE`;
    const text = renderFeedback([{ candidate: 'baseline', status: 'tests-failed', message }], 100_000);
    expect(text).toContain('- baseline (tests-failed): FIRST-LINE');
    expect(text).toContain('LAST-LINE');
    expect(text).toContain('characters cut');
    expect(text.length).toBeLessThan(1400);
  });

  it('keeps the first and the last items when many do not fit', () => {
    const items: FeedbackItem[] = Array.from({ length: 30 }, (_, i) => ({ candidate: `r${i}c0`, status: 'slower', message: `${'z'.repeat(200)} #${i}` }));
    const text = renderFeedback(items, 1500);
    expect(text.length).toBeLessThanOrEqual(1500);
    expect(text.startsWith('Earlier attempts and why they were rejected:\n- r0c0 (slower)')).toBe(true);
    expect(text.endsWith('#29')).toBe(true);
    expect(text).not.toContain('r15c0');
  });
});
