import { describe, expect, it } from 'vitest';
import type { FeedbackItem } from '../../../core/contracts/draft-context.js';
import { chatFeedbackCut } from '../../../core/edits/chat-feedback-cut.js';
import { describeFormat } from '../../../core/edits/formats/index.js';
import { buildApiPrompt } from '../../../core/edits/prompt.js';
import { buildCompactPrompt } from '../../../core/edits/small-model/compact-prompt.js';

// Each builder renders the feedback once and reports what its share cut from that rendering: the
// prompts and the report's lines below are pinned byte for byte, cut and uncut.
const failing = 'FAIL test_sum: expected 6, got 5\n'.repeat(8);
const feedback: FeedbackItem[] = [
  { candidate: 'baseline', status: 'tests-failed', message: 'base fails' },
  { candidate: 'r1c1', status: 'tests-failed', message: `tests 0/1 passed\nTest output:\n${failing}` },
];
const input = {
  goal: 'Fix sumTo',
  files: [{ path: 'src/sum.ts', content: 'export const sumTo = (n: number) => n;\n' }],
  allowed: ['src/sum.ts'],
  hints: [],
  feedback,
  editFormat: 'whole-file' as const,
  maxChars: 20_000,
};
const apiHead = 'Goal: Fix sumTo\n\nFiles you may change: src/sum.ts\n\nCurrent contents:\n\nsrc/sum.ts\n```\nexport const sumTo = (n: number) => n;\n```\n\n';
const apiTail = `\n\n${describeFormat('whole-file')}`;

describe("an API model's prompt and its feedback cut", () => {
  it('shows the feedback whole and reports no cut where it fits the share', () => {
    const p = buildApiPrompt({ ...input, feedbackChars: 10_000 });
    const whole = `Earlier attempts and why they were rejected:\n- baseline (tests-failed): base fails\n- r1c1 (tests-failed): tests 0/1 passed\nTest output:\n${failing}`;
    expect(p.messages[1]!.content).toBe(`${apiHead}${whole}${apiTail}`);
    expect(p.feedbackCut).toBeUndefined();
  });

  it('shows the head and tail that fit and reports the cut from the same rendering', () => {
    const p = buildApiPrompt({ ...input, feedbackChars: 160 });
    const fitted =
      'Earlier attempts and why they were rejected:\n- baseline (tes\n… [280 characters cut] …\nest_sum: expected 6, got 5\nFAIL test_sum: expected 6, got 5\n';
    expect(p.messages[1]!.content).toBe(`${apiHead}${fitted}${apiTail}`);
    expect(p.feedbackCut).toBe('feedback: trimmed to 49 of 134 tokens');
  });
});

describe("a small model's compact prompt and its feedback cut", () => {
  const user = (line: string) =>
    `Fix sumTo\n${line}\n\nsrc/sum.ts:\n\`\`\`ts\nexport const sumTo = (n: number) => n;\n\`\`\`\n\nWrite the complete corrected src/sum.ts in one code block.`;

  it('shows the latest attempt in one line and reports no cut where it fits', () => {
    const p = buildCompactPrompt({ ...input, feedbackChars: 10_000 });
    expect(p.user).toBe(user('An earlier attempt was rejected (tests-failed): tests 0/1 passed'));
    expect(p.feedbackCut).toBeUndefined();
  });

  it('cuts the line at the share and reports it', () => {
    const p = buildCompactPrompt({ ...input, feedbackChars: 40 });
    expect(p.user).toBe(user('An earlier attempt was rejected (tests-f'));
    expect(p.feedbackCut).toBe('feedback: trimmed to 14 of 22 tokens');
  });
});

describe("the embedded chat model's feedback cut", () => {
  it('is reported against its unbounded rendering', () => {
    expect(chatFeedbackCut(feedback, 10_000)).toBeUndefined();
    expect(chatFeedbackCut(feedback, 160)).toBe('feedback: trimmed to 49 of 137 tokens');
    expect(chatFeedbackCut([], 0)).toBeUndefined();
  });
});
