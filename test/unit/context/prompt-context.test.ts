import { describe, expect, it } from 'vitest';
import { buildMessages } from '../../../core/edits/prompt.js';
import { buildChatPrompt } from '../../../core/edits/chat-model/chat-prompt.js';
import { buildCompactPrompt } from '../../../core/edits/small-model/compact-prompt.js';
import type { DraftContext } from '../../../core/contracts/draft-context.js';

const context: DraftContext = {
  contextTokens: 32_768,
  tests: [{ path: 'tests/test_keys.py', content: 'def test_typedkey():\n    assert typedkey(1) != typedkey(1.0)\n' }],
  map: 'src/cachetools/func.py:\n  def ttl_cache(maxsize=128, ttl=600)\n',
  report: [],
};
const input = {
  goal: 'Fix typedkey',
  files: [{ path: 'src/cachetools/keys.py', content: 'def typedkey(*args):\n    return args\n' }],
  allowed: ['src/cachetools/keys.py'],
  hints: [],
  feedback: [],
  editFormat: 'search-replace' as const,
  maxChars: 60_000,
  feedbackChars: 9000,
};

describe('the context in the prompt', () => {
  it('API models: the map before the files, the tests after them, marked read-only', () => {
    const user = buildMessages({ ...input, context })[1]!.content;
    const [map, files, tests] = ['Map of the rest', 'Current contents', 'Tests that exercise'].map((h) => user.indexOf(h));
    expect(map).toBeGreaterThan(0);
    expect(map).toBeLessThan(files!);
    expect(files).toBeLessThan(tests!);
    expect(user).toContain('read-only: never edit them');
    expect(user).toContain('tests/test_keys.py\n```\ndef test_typedkey():');
    expect(user).toContain('def ttl_cache(maxsize=128, ttl=600)');
  });

  it('without a context the prompt is as before', () => {
    const user = buildMessages(input)[1]!.content;
    expect(user).not.toMatch(/Map of the rest|Tests that exercise/);
  });

  it('a context larger than the window is capped, the files still shown', () => {
    const huge = { ...context, tests: [{ path: 'tests/t.py', content: 'x'.repeat(200_000) }], map: 'y'.repeat(200_000) };
    const user = buildMessages({ ...input, maxChars: 20_000, context: huge })[1]!.content;
    expect(user.length).toBeLessThan(20_000);
    expect(user).toContain('def typedkey(*args)');
  });

  it('local chat models get the tests and a short map', () => {
    const user = buildChatPrompt({ ...input, editFormat: 'whole-file', maxChars: 20_000, context }).messages[1]!.content;
    expect(user).toContain('Tests that exercise these files');
    expect(user).toContain('ttl_cache');
    expect(user.indexOf('src/cachetools/keys.py:')).toBeLessThan(user.indexOf('Tests that exercise'));
  });

  it("the 135M model gets the tests' names only", () => {
    const p = buildCompactPrompt({ ...input, editFormat: 'whole-file', maxChars: 8_000, context });
    expect(p.user).toContain('Tests that check it (do not change them): tests/test_keys.py');
    expect(p.user).not.toContain('assert typedkey');
    expect(p.user).not.toContain('ttl_cache');
  });
});
