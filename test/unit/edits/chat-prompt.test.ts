import { describe, expect, it } from 'vitest';
import { buildChatPrompt, chatFeedback } from '../../../core/edits/chat-model/chat-prompt.js';
import { assembleChatReply } from '../../../core/edits/chat-model/chat-reply.js';
import { failureLines } from '../../../core/edits/chat-model/failure-lines.js';
import { parseEdits } from '../../../core/edits/formats/index.js';
import type { FeedbackItem } from '../../../core/contracts/draft.js';

const STUB = 'def add(a, b):\n    """Add two numbers.\n    >>> add(1, 2)\n    3\n    """\n    raise NotImplementedError("write the body of add")\n';
const input = (feedback: FeedbackItem[] = []) => ({
  goal: 'Write the body of the function add in solution.py.',
  files: [{ path: 'solution.py', content: STUB }],
  allowed: ['solution.py'],
  hints: ['use the + operator'],
  feedback,
  editFormat: 'whole-file' as const,
  maxChars: 20_000,
  feedbackChars: 3000,
});

const PYTEST_OUTPUT = [
  '============================= test session starts ==============================',
  'collected 2 items',
  '',
  'tests/test_visible.py .F                                                 [100%]',
  '=================================== FAILURES ===================================',
  '___________________________________ test_add ___________________________________',
  '    def test_add():',
  '>       assert add(1, 2) == 3',
  'E       assert -1 == 3',
  'E        +  where -1 = add(1, 2)',
  '',
  'tests/test_visible.py:4: AssertionError',
  '=========================== short test summary info ============================',
  'FAILED tests/test_visible.py::test_add - assert -1 == 3',
  '========================= 1 failed, 1 passed in 0.03s ==========================',
].join('\n');

describe('the chat prompt for capable local models', () => {
  it('asks for the whole file in one block with no prefill, and states the rules a code model breaks', () => {
    const p = buildChatPrompt(input());
    expect(p.onlyFile).toBe('solution.py');
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const [system = '', user = ''] = p.messages.map((m) => m.content);
    expect(system).toMatch(/Do not add tests, print statements, example calls/);
    expect(user).toContain('```python\n' + STUB + '```');
    expect(user).toContain('- use the + operator');
    expect(user.trim().endsWith('Reply with the complete new solution.py in one ```python code block, and nothing after it.')).toBe(true);
  });

  it('feeds back the failing assertion and the attempt, not one line', () => {
    const item: FeedbackItem = {
      candidate: 'r1c1',
      status: 'tests-failed',
      message: `tests 1/2 passed, 1 failed\nYour change:\n-    raise NotImplementedError\n+    return a - b\nTest output:\n${PYTEST_OUTPUT}`,
    };
    const text = chatFeedback([{ candidate: 'baseline', status: 'tests-failed', message: 'base fails' }, item], 1500);
    expect(text).toContain('Rejected (tests-failed): tests 1/2 passed, 1 failed');
    expect(text).toContain('E       assert -1 == 3');
    expect(text).toContain('FAILED tests/test_visible.py::test_add - assert -1 == 3');
    expect(text).toContain('+    return a - b');
    // The passing chatter is left out.
    expect(text).not.toContain('test session starts');
    expect(text).not.toContain('base fails');
  });

  it('keeps only the two latest attempts, and the base failure when there is no attempt yet', () => {
    const items = ['r1c1', 'r2c1', 'r3c1'].map((c): FeedbackItem => ({ candidate: c, status: 'tests-failed', message: `failure of ${c}` }));
    const text = chatFeedback(items, 500);
    expect(text).not.toContain('failure of r1c1');
    expect(text).toContain('failure of r2c1');
    expect(text).toContain('failure of r3c1');
    const base = chatFeedback([{ candidate: 'baseline', status: 'tests-failed', message: PYTEST_OUTPUT }], 500);
    expect(base).toMatch(/^The current code fails its tests:\n/);
    // pytest's failure with its source line, the passing chatter dropped before the cut.
    expect(base).toContain('>       assert add(1, 2) == 3\nE       assert -1 == 3');
    expect(base).not.toContain('test session starts');
    expect(chatFeedback([], 500)).toBe('');
  });

  it("never runs past its share, the base failure's header and the attempts' labels included", () => {
    const longOutput = Array.from({ length: 400 }, (_, i) => `E   assert ${i} == -1`).join('\n');
    const attempt = (c: string): FeedbackItem => ({
      candidate: c,
      status: 'tests-failed',
      message: `tests failed\nYour change:\n+x\nTest output:\n${longOutput}`,
    });
    const feedbacks: FeedbackItem[][] = [
      [{ candidate: 'baseline', status: 'tests-failed', message: longOutput }],
      [{ candidate: 'baseline', status: 'tests-failed', message: PYTEST_OUTPUT }],
      [{ candidate: 'baseline', status: 'tests-failed', message: 'x'.repeat(5000) }],
      [attempt('r1c1')],
      [attempt('r1c1'), attempt('r1c2')],
    ];
    for (const items of feedbacks) {
      for (const share of [0, 20, 34, 60, 100, 150, 300, 500, 1500]) {
        expect(chatFeedback(items, share).length, `${items.length} item(s) in ${share}`).toBeLessThanOrEqual(share);
      }
    }
    // A share that holds the header still says what failed.
    expect(chatFeedback(feedbacks[0]!, 300)).toMatch(/^The current code fails its tests:\nE {3}assert 0 == -1/);
  });

  it('lists the files and asks for paths when several files may change', () => {
    const p = buildChatPrompt({
      ...input(),
      files: [input().files[0]!, { path: 'util.py', content: 'X = 1\n' }],
      allowed: ['solution.py', 'util.py'],
      feedbackChars: 1600,
    });
    expect(p.onlyFile).toBeUndefined();
    expect(p.messages[1]!.content).toContain('Files you may change: solution.py, util.py');
    expect(p.messages[1]!.content).toMatch(/write its path on a line of its own/);
  });
});

describe('failureLines', () => {
  it('keeps go, cargo and vitest failure lines and drops the rest', () => {
    const go =
      '=== RUN   TestOne\n--- PASS: TestOne (0.00s)\n=== RUN   TestTwo\n    version6_test.go:54: got 3, want version 6\n--- FAIL: TestTwo (0.00s)\nFAIL\n';
    expect(failureLines(go, 500)).toBe('    version6_test.go:54: got 3, want version 6\n--- FAIL: TestTwo (0.00s)\nFAIL');
    const cargo = "running 2 tests\ntest a ... ok\nthread 'b' panicked at src/lib.rs:9:5:\nassertion `left == right` failed\n  left: 1\n right: 2\n";
    expect(failureLines(cargo, 500)).toBe("thread 'b' panicked at src/lib.rs:9:5:\nassertion `left == right` failed\n  left: 1\n right: 2");
    const vitest = ' ✓ test/a.test.ts (1 test)\n × largest > finds the max\n   → expected 1 to be 3\n AssertionError: expected 1 to be 3\n';
    expect(failureLines(vitest, 500)).toContain('AssertionError: expected 1 to be 3');
  });

  it('falls back to the head and tail when nothing looks like a failure, and stays within its budget', () => {
    expect(failureLines('\u001b[31msomething odd\u001b[0m', 100)).toBe('something odd');
    const many = Array.from({ length: 500 }, (_, i) => `E   assert ${i} == -1`).join('\n');
    expect(failureLines(many, 300).length).toBeLessThanOrEqual(300);
  });
});

describe('assembleChatReply', () => {
  it('reads the first code block as the file, whatever prose or path the model put around it', () => {
    const reply =
      'Here is the completed function:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nThis adds the numbers. ```python\nprint(add(1, 2))\n```';
    const parsed = parseEdits(assembleChatReply(reply, 'solution.py'), 'whole-file');
    expect(parsed).toEqual({ ok: true, edits: [{ kind: 'whole-file', path: 'solution.py', content: 'def add(a, b):\n    return a + b\n' }] });
  });

  it('closes a block cut at the token limit, and leaves a reply without a block to the parser', () => {
    const parsed = parseEdits(assembleChatReply('```python\ndef add(a, b):\n    return a +', 'solution.py'), 'whole-file');
    expect(parsed.ok && parsed.edits[0]).toMatchObject({ path: 'solution.py', content: 'def add(a, b):\n    return a +\n' });
    expect(assembleChatReply('no code at all', 'solution.py')).toBe('no code at all');
    expect(assembleChatReply('a.py\n```\nx\n```', undefined)).toBe('a.py\n```\nx\n```');
  });
});
