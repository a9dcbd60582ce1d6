// The context step on a real git repository: a file to change longer than the embedded model's
// share gets its focus from the map's definitions and the goal, the report says how it is shown,
// and the chat prompt built from that context holds the function the goal names.
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherContext } from '../../../activities/git/context.js';
import { buildChatPrompt } from '../../../core/edits/chat-model/chat-prompt.js';
import { promptChars } from '../../../core/context/budget.js';

let scratch: string;
let baseSha: string;
const GOAL = 'parse_version rejects "1.2.3-rc1"';
const names = [...Array.from({ length: 20 }, (_, i) => `step_${i}`), 'parse_version', ...Array.from({ length: 20 }, (_, i) => `stage_${i}`)];
const source = `import re\n\n${names.map((n) => `def ${n}(v):\n${Array.from({ length: 39 }, (_, i) => `    v = v * ${i} + 1  # ${n}\n`).join('')}`).join('')}`;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-gather-focus-'));
  const git = async (...args: string[]) => (await execa('git', args, { cwd: scratch })).stdout;
  await mkdir(join(scratch, 'src'));
  await mkdir(join(scratch, 'tests'));
  await writeFile(join(scratch, 'src', 'versions.py'), source);
  await writeFile(join(scratch, 'tests', 'test_versions.py'), 'from src.versions import parse_version\n\ndef test_rc():\n    assert parse_version(1)\n');
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  baseSha = await git('rev-parse', 'HEAD');
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe('the context step gives a long file to change its focus', () => {
  it("the 1.5B's context carries the focus, reports the lines shown, and its prompt holds parse_version whole", async () => {
    const slot = { provider: 'local' as const, maxOutputTokens: 1024, contextTokens: 8192 };
    const result = await gatherContext({ repo: scratch, baseSha, goal: GOAL, files: ['src/versions.py'], protectedPaths: [], slots: [slot] });
    const context = result.contexts[0]!;
    expect(context.focus?.map((f) => f.path)).toEqual(['src/versions.py']);
    expect(context.focus![0]!.windows[0]).toMatchObject({ names: ['parse_version'], from: 803, to: 842 });
    expect(context.report).toContainEqual(expect.stringMatching(/^src\/versions\.py: lines 1-\d+, .* around parse_version \(of 1642\)$/));
    const prompt = buildChatPrompt(
      {
        goal: GOAL,
        files: [{ path: 'src/versions.py', content: source }],
        allowed: ['src/versions.py'],
        hints: [],
        feedback: [],
        editFormat: 'whole-file',
        context,
        ...promptChars(8192, 1024),
      },
      1024,
    );
    expect(prompt.format).toBe('search-replace');
    expect(prompt.messages[1]!.content).toContain(`def parse_version(v):\n    v = v * 0 + 1  # parse_version`);
    expect(prompt.messages[1]!.content).toContain('    v = v * 38 + 1  # parse_version\n');
  });
});
