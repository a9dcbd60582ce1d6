import { describe, expect, it } from 'vitest';
import { contextBudget, CHARS_PER_TOKEN, feedbackCut, promptChars } from '../../../core/context/budget.js';
import type { FeedbackItem } from '../../../core/contracts/draft-context.js';
import { buildChatPrompt, chatFeedback } from '../../../core/edits/chat-model/chat-prompt.js';
import { chatFeedbackCut } from '../../../core/edits/chat-feedback-cut.js';
import { buildApiPrompt, buildMessages, renderFeedback } from '../../../core/edits/prompt.js';
import { buildCompactPrompt } from '../../../core/edits/small-model/compact-prompt.js';

// The feedback's share of a prompt is the context budget's (core/context/budget.ts), for every prompt builder.
const attempts: FeedbackItem[] = Array.from({ length: 6 }, (_, i) => ({
  candidate: `r${i + 1}c1`,
  status: 'tests-failed',
  message: `tests 3/4 passed, 1 failed\nYour change:\n${'+  x += 1\n'.repeat(200)}Test output:\n${`FAIL test_${i}: expected 3, got ${i}\n`.repeat(100)}`,
}));
const input = {
  goal: 'Fix sumTo',
  files: [{ path: 'src/sum.ts', content: 'export const sumTo = (n: number) => n;\n' }],
  allowed: ['src/sum.ts'],
  hints: [],
  feedback: attempts,
  editFormat: 'whole-file' as const,
};

describe("the budget's feedback share", () => {
  it('is the budget: the share in tokens, in characters, beside the whole prompt', () => {
    const room = promptChars(8192, 1024);
    expect(room.feedbackChars).toBe(contextBudget(8192, 1024).feedback * CHARS_PER_TOKEN);
    expect(room.maxChars).toBe((8192 - 1024) * CHARS_PER_TOKEN);
    expect(promptChars(4096, 768).feedbackChars).toBeLessThan(room.feedbackChars);
  });

  it('is what each prompt builder spends on earlier attempts, at most', () => {
    for (const [contextTokens, out] of [
      [4096, 768],
      [8192, 1024],
      [128_000, 8192],
    ] as const) {
      const room = promptChars(contextTokens, out);
      expect(renderFeedback(attempts, room.feedbackChars).length).toBeLessThanOrEqual(room.feedbackChars);
      expect(chatFeedback(attempts, room.feedbackChars).length).toBeLessThanOrEqual(room.feedbackChars);
      const api = buildMessages({ ...input, ...room })[1]!.content;
      expect(api).toContain(renderFeedback(attempts, room.feedbackChars));
      const chat = buildChatPrompt({ ...input, ...room }).messages[1]!.content;
      expect(chat).toContain(chatFeedback(attempts, room.feedbackChars));
      expect(buildCompactPrompt({ ...input, ...room }).user).toContain('An earlier attempt was rejected (tests-failed)');
    }
  });

  it('records what it cut, as the context reports its other cuts', () => {
    const room = promptChars(4096, 768);
    const small = room.feedbackChars;
    expect(buildApiPrompt({ ...input, ...room }).feedbackCut).toMatch(/^feedback: trimmed to \d+ of \d+ tokens$/);
    expect(chatFeedbackCut(attempts, small)).toMatch(/^feedback: trimmed to \d+ of \d+ tokens$/);
    // The compact prompt's one line (what a 135M model can use) fits any share: nothing cut for the budget.
    expect(buildCompactPrompt({ ...input, ...room }).feedbackCut).toBeUndefined();
    const short = attempts.slice(0, 1).map((a) => ({ ...a, message: 'short' }));
    expect(buildApiPrompt({ ...input, ...room, feedback: short }).feedbackCut).toBeUndefined();
    expect(buildApiPrompt({ ...input, ...room, feedback: [] }).feedbackCut).toBeUndefined();
    expect(feedbackCut('x'.repeat(300), 'x'.repeat(900))).toBe('feedback: trimmed to 100 of 300 tokens');
  });
});
