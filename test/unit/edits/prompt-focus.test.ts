import { describe, expect, it } from 'vitest';
import type { DraftContext } from '../../../core/contracts/draft-context.js';
import type { MapDefinition } from '../../../core/contracts/repo-map.js';
import { focusWindows, lineCount } from '../../../core/context/file-focus.js';
import { buildChatPrompt } from '../../../core/edits/chat-model/chat-prompt.js';
import { buildMessages, type PromptInput } from '../../../core/edits/prompt.js';
import { buildCompactPrompt } from '../../../core/edits/small-model/compact-prompt.js';

/** A Python module of 41 functions of 40 lines, `parse_version` in the middle: longer than any prompt below. */
function longModule(): { content: string; definitions: MapDefinition[] } {
  const names = [...Array.from({ length: 20 }, (_, i) => `step_${i}`), 'parse_version', ...Array.from({ length: 20 }, (_, i) => `stage_${i}`)];
  const lines = ['import re', ''];
  const definitions: MapDefinition[] = [];
  for (const name of names) {
    definitions.push({ name, kind: 'function', line: lines.length + 1, signature: `def ${name}(v):` });
    lines.push(`def ${name}(v):`);
    for (let i = 0; i < 39; i++) lines.push(`    v = v * ${i} + 1  # ${name}`);
  }
  return { content: `${lines.join('\n')}\n`, definitions };
}

const GOAL = 'parse_version rejects "1.2.3-rc1"';
const mod = longModule();
const file = { path: 'src/versions.py', content: mod.content };
const focused: DraftContext = {
  contextTokens: 8192,
  tests: [],
  report: [],
  focus: [{ path: file.path, lines: lineCount(file.content), windows: focusWindows(file.content, mod.definitions, GOAL, [], file.path) }],
};
const bare: DraftContext = { contextTokens: 8192, tests: [], report: [] };

function input(context: DraftContext | undefined, files = [file]): PromptInput {
  return {
    goal: GOAL,
    files,
    allowed: files.map((f) => f.path),
    hints: [],
    feedback: [],
    editFormat: 'search-replace',
    ...(context ? { context } : {}),
    maxChars: 21_504,
    feedbackChars: 2_910,
  };
}

const BODY = 'def parse_version(v):\n    v = v * 0 + 1  # parse_version\n    v = v * 1 + 1  # parse_version';

describe('the prompt builders show a long file around what the goal names', () => {
  it('the API prompt, the embedded chat prompt (one file and several) and the compact prompt hold the named function whole', () => {
    const other = { path: 'src/other.py', content: longModule().content.replace(/parse_version/g, 'unrelated') };
    const prompts = [
      buildMessages(input(focused))[1]!.content,
      buildChatPrompt(input(focused), 1024).messages[1]!.content,
      buildChatPrompt(input(focused, [file, other]), 1024).messages[1]!.content,
      buildCompactPrompt(input(focused)).user,
    ];
    for (const prompt of prompts) {
      expect(prompt).toContain(BODY);
      expect(prompt).toContain('    v = v * 38 + 1  # parse_version');
      expect(prompt).toMatch(/^# … lines \d+-\d+ left out …$/m);
    }
  });

  it('without a focus the prompts cut the head and tail as before: the function in the middle is not shown', () => {
    for (const context of [undefined, bare]) {
      expect(buildMessages(input(context))[1]!.content).not.toContain(BODY);
      expect(buildChatPrompt(input(context), 1024).messages[1]!.content).not.toContain(BODY);
      expect(buildCompactPrompt(input(context)).user).not.toContain(BODY);
    }
  });
});
