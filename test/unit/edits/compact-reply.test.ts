import { describe, expect, it } from 'vitest';
import { assembleCompactReply } from '../../../core/edits/small-model/compact-reply.js';
import { parseEdits } from '../../../core/edits/formats/index.js';

const ORIGINAL =
  '/** The largest number in xs. */\nexport function largest(xs: number[]): number {\n  let best = xs[0];\n  for (const x of xs) {\n    if (x < best) best = x;\n  }\n  return best;\n}\n';
const PROMPT = { responsePrefix: '```ts\n/** The largest number in xs. */\nexport function largest(xs: number[]): number {\n', stopAt: '\n```' };

describe('assembleCompactReply', () => {
  it('closes the fence on a line of its own when the model stopped right after its last brace (no reply lost as "never closed")', () => {
    const text = assembleCompactReply('let best = xs[0];\nfor (const x of xs) {\n  if (x > best) best = x;\n}\nreturn best;\n}', PROMPT, ORIGINAL);
    expect(text.endsWith('}\n```\n')).toBe(true);
    const parsed = parseEdits(`src/largest.ts\n${text}`, 'whole-file');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.edits[0]).toMatchObject({ path: 'src/largest.ts', content: ORIGINAL.replace('x < best', 'x > best') });
  });

  it('closes a block the model left open, and keeps what it wrote before its own closing fence', () => {
    expect(assembleCompactReply('return Math.max(...xs);', PROMPT, ORIGINAL)).toBe(
      '```ts\n/** The largest number in xs. */\nexport function largest(xs: number[]): number {\nreturn Math.max(...xs);\n}\n```\n',
    );
    expect(assembleCompactReply('  return Math.max(...xs);\n}\n```\nExplanation: …', PROMPT, ORIGINAL)).toBe(
      '```ts\n/** The largest number in xs. */\nexport function largest(xs: number[]): number {\n  return Math.max(...xs);\n}\n```\n',
    );
  });
});

describe('the compact prompt under a stub', () => {
  it('gives the model everything above a body that raises NotImplementedError, and the body\u2019s indentation', async () => {
    const { buildCompactPrompt } = await import('../../../core/edits/small-model/compact-prompt.js');
    const content = 'def f(x):\n    """Doubles.\n    >>> f(2)\n    4\n    """\n    raise NotImplementedError("write the body of f")\n';
    const prompt = buildCompactPrompt({
      goal: 'g',
      files: [{ path: 'solution.py', content }],
      allowed: ['solution.py'],
      hints: [],
      feedback: [],
      editFormat: 'whole-file',
      maxChars: 4000,
      feedbackChars: 600,
    });
    expect(prompt.responsePrefix).toBe('```python\ndef f(x):\n    """Doubles.\n    >>> f(2)\n    4\n    """\n    ');
  });
});
