import { describe, expect, it } from 'vitest';
import { chooseChatFormat } from '../../../core/edits/chat-model/chat-format.js';
import { buildChatPrompt } from '../../../core/edits/chat-model/chat-prompt.js';
import { assembleChatReply, replyCutNote } from '../../../core/edits/chat-model/chat-reply.js';
import { parseEdits, parseEitherFormat } from '../../../core/edits/formats/index.js';
import { applyEdits } from '../../../core/edits/apply-edits.js';
import type { EditFormat } from '../../../core/edits/formats/index.js';

const SMALL = 'def add(a, b):\n    raise NotImplementedError("write the body of add")\n';
/** A real-size module: ~120 functions, ~5,000 characters (~1,700 tokens as the budget counts). */
const BIG = Array.from({ length: 120 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join('\n');

const input = (files: { path: string; content: string }[], editFormat: EditFormat = 'whole-file') => ({
  goal: 'Fix f7: it must add 8.',
  files,
  allowed: files.map((f) => f.path),
  hints: [],
  feedback: [],
  editFormat,
  maxChars: 20_000,
  feedbackChars: 3000,
});

describe('the edit format the embedded chat model is asked for', () => {
  it('keeps whole files where they fit the reply, and says nothing', () => {
    expect(chooseChatFormat([{ path: 'solution.py', content: SMALL }], 'whole-file', 1024)).toEqual({ format: 'whole-file' });
    // No cap known: the slot's format alone decides.
    expect(chooseChatFormat([{ path: 'big.py', content: BIG }], 'whole-file')).toEqual({ format: 'whole-file' });
    expect(chooseChatFormat([], 'whole-file', 1024)).toEqual({ format: 'whole-file' });
  });

  it('asks for search-replace when a file would not fit the reply whole, and says why', () => {
    const chosen = chooseChatFormat(
      [
        { path: 'small.py', content: SMALL },
        { path: 'src/big.py', content: BIG },
      ],
      'whole-file',
      1024,
    );
    expect(chosen.format).toBe('search-replace');
    const big = Math.ceil(BIG.length / 3);
    const both = (big + Math.ceil(SMALL.length / 3)).toLocaleString('en-US');
    expect(chosen.note).toBe(
      `search-replace: 2 files are ~${both} tokens together (src/big.py ~${big.toLocaleString('en-US')}, small.py ~24), the reply cap is 1,024`,
    );
    // One file: named alone.
    expect(chooseChatFormat([{ path: 'src/big.py', content: BIG }], 'whole-file', 1024).note).toBe(
      `search-replace: src/big.py is ~${big.toLocaleString('en-US')} tokens, the reply cap is 1,024`,
    );
  });

  it('judges the files together: a reply about several files holds them all', () => {
    // Each fits the cap alone (900 tokens), not the two together: whole files would be cut mid-way.
    const half = (path: string) => ({ path, content: 'x'.repeat(2700) });
    const two = chooseChatFormat([half('a.py'), half('lib/b.py')], 'whole-file', 1000);
    expect(two).toEqual({
      format: 'search-replace',
      note: 'search-replace: 2 files are ~1,800 tokens together (a.py ~900, lib/b.py ~900), the reply cap is 1,000',
    });
    // Exactly at the cap together: whole files.
    expect(chooseChatFormat([half('a.py'), { path: 'b.py', content: 'x'.repeat(300) }], 'whole-file', 1000).format).toBe('whole-file');
    // Many files: the largest three named, the rest counted.
    const five = ['a', 'b', 'c', 'd', 'e'].map((n, i) => ({ path: `${n}.py`, content: 'x'.repeat(300 * (i + 1)) }));
    expect(chooseChatFormat(five, 'whole-file', 1000).note).toBe(
      'search-replace: 5 files are ~1,500 tokens together (e.py ~500, d.py ~400, c.py ~300, 2 more), the reply cap is 1,000',
    );
  });

  it("counts tokens as the budget does (3 characters each, more than the model's tokenizer makes of code): that is the margin", () => {
    const at = (chars: number) => chooseChatFormat([{ path: 'a.py', content: 'x'.repeat(chars) }], 'whole-file', 1000).format;
    expect(at(2829)).toBe('whole-file'); // cachetools 86352aed's _cachedmethod.py: 943 tokens counted, 631 by the model, came back whole
    expect(at(3000)).toBe('whole-file'); // 1,000 tokens: at the cap
    expect(at(3003)).toBe('search-replace'); // 1,001
  });

  it('asks for search-replace whatever the size when the slot says so', () => {
    expect(chooseChatFormat([{ path: 'solution.py', content: SMALL }], 'search-replace', 1024)).toEqual({
      format: 'search-replace',
      note: 'search-replace: asked by the edit format',
    });
  });
});

describe('the chat prompt in search-replace', () => {
  it('shows the whole file, then the rules and an example in its language, and tells the model not to write it whole', () => {
    const p = buildChatPrompt(input([{ path: 'src/big.py', content: BIG }]), 1024);
    expect(p.format).toBe('search-replace');
    expect(p.formatNote).toMatch(/^search-replace: src\/big\.py is ~/);
    expect(p.onlyFile).toBe('src/big.py');
    const user = p.messages[1]!.content;
    expect(user).toContain('```python\n' + BIG + '```');
    expect(user).toContain('Do not write the whole file: it is too long for your reply.');
    // The format in words: shown a template block to fill in, the 1.5B gave the template back.
    expect(user).toContain("Write only the lines that change, as SEARCH/REPLACE blocks: the file's path on a line of its own, then a line `<<<<<<< SEARCH`");
    expect(user).not.toMatch(/^src\/big\.py\n<<<<<<< SEARCH$/m);
    expect(user).toContain('shapes.py\n<<<<<<< SEARCH\ndef area(w, h):\n    return w + h\n=======\ndef area(w, h):\n    return w * h\n>>>>>>> REPLACE');
    expect(user.trim().endsWith('Reply with the SEARCH/REPLACE blocks for src/big.py, and nothing after them.')).toBe(true);
    expect(user).not.toContain('Reply with the complete new');
    // Forced to start at SEARCH, the 1.5B copied ~1,000 tokens of the file into it: SEARCH is asked short.
    expect(user).toContain('- Keep SEARCH short: the lines you change and one or two lines around them, never a whole function or class.');
    // The reply starts at its first SEARCH marker, so its first line is one of the file's.
    expect(p.responsePrefix).toBe('<<<<<<< SEARCH\n');
  });

  it("gives a Go file a Go example, tabs and all, and a file the slot asked search-replace for isn't called too long", () => {
    const user = buildChatPrompt(input([{ path: 'version.go', content: SMALL }], 'search-replace'), 1024).messages[1]!.content;
    expect(user).toContain('shapes.go\n<<<<<<< SEARCH\nfunc area(w, h int) int {\n\treturn w + h\n=======');
    expect(user).not.toContain('too long');
    expect(user).toMatch(/^Write only the lines that change, as SEARCH\/REPLACE blocks:/m);
  });

  it('asks several files for blocks under their own paths', () => {
    const p = buildChatPrompt(
      input([
        { path: 'a.py', content: BIG },
        { path: 'b.py', content: SMALL },
      ]),
      1024,
    );
    expect(p.onlyFile).toBeUndefined();
    expect(p.format).toBe('search-replace');
    // No forced start: the model names each block's file.
    expect(p.responsePrefix).toBeUndefined();
    const user = p.messages[1]!.content;
    expect(user).toContain('Do not write whole files: they are too long for your reply.');
    expect(user).toContain('- Put the path of the file it changes alone on the line above each block.');
  });

  it('leaves a file that fits exactly as before: the same prompt as without a reply cap, whole file asked', () => {
    const files = [{ path: 'solution.py', content: SMALL }];
    const capped = buildChatPrompt(input(files), 1024);
    const before = buildChatPrompt(input(files));
    expect(capped).toEqual(before);
    expect(capped.format).toBe('whole-file');
    expect(capped.formatNote).toBeUndefined();
    expect(capped.messages[1]!.content.trim().endsWith('Reply with the complete new solution.py in one ```python code block, and nothing after it.')).toBe(
      true,
    );
    // A small file's whole-file reply is read as before.
    const reply = '```python\ndef add(a, b):\n    return a + b\n```';
    expect(assembleChatReply(reply, 'solution.py', 'whole-file')).toBe(assembleChatReply(reply, 'solution.py'));
  });
});

describe('a search-replace reply from the chat model, parsed and applied as the gate does', () => {
  const original = { 'src/big.py': BIG };
  const apply = (reply: string) => {
    const parsed = parseEdits(assembleChatReply(reply, 'src/big.py', 'search-replace'), 'search-replace');
    if (!parsed.ok) return { parsed: parsed.error };
    return applyEdits(original, parsed.edits);
  };

  it('applies blocks wrapped in prose and fences, under the example path or none, to the one file', () => {
    const reply = [
      'Here is the fix:',
      '```python',
      'shapes.py',
      '<<<<<<< SEARCH',
      'def f7(x):',
      '    return x + 7',
      '=======',
      'def f7(x):',
      '    return x + 8',
      '>>>>>>> REPLACE',
      '```',
      'And another:',
      '<<<<<<< SEARCH',
      'def f9(x):',
      '    return x + 9',
      '=======',
      'def f9(x):',
      '    return x + 10',
      '>>>>>>> REPLACE',
    ].join('\n');
    const result = apply(reply);
    expect(result).toMatchObject({ ok: true, changed: ['src/big.py'] });
    const after = (result as { files: Record<string, string> }).files['src/big.py']!;
    expect(after).toContain('def f7(x):\n    return x + 8\n');
    expect(after).toContain('def f9(x):\n    return x + 10\n');
    expect(after).toContain('def f8(x):\n    return x + 8\n');
    expect(after.length).toBe(BIG.length + 1);
  });

  it('reads back the forced start with the text the model went on with', () => {
    const continued = 'def f7(x):\n    return x + 7\n=======\ndef f7(x):\n    return x + 8\n>>>>>>> REPLACE\n';
    const assembled = assembleChatReply(continued, 'src/big.py', 'search-replace', '<<<<<<< SEARCH\n');
    expect(assembled).toBe(`src/big.py\n<<<<<<< SEARCH\n${continued}`);
    // A runtime that returns the prefix with the text is read the same way.
    expect(assembleChatReply(`<<<<<<< SEARCH\n${continued}`, 'src/big.py', 'search-replace', '<<<<<<< SEARCH\n')).toBe(assembled);
    // The model that answered with a one-line code block under the file's path (a real 1.5B reply, unprefixed):
    // a SEARCH block with no divider now, never a one-line whole file.
    const made = assembleChatReply("src/big.py\n```\nobj['search']\n```", 'src/big.py', 'search-replace', '<<<<<<< SEARCH\n');
    expect(parseEdits(made, 'search-replace')).toEqual({ ok: false, error: expect.stringMatching(/missing '=======' divider/) });
    expect(parseEdits(made, 'whole-file').ok).toBe(false);
  });

  it('reads markers the model indented, and keeps the blocks’ own text as written', () => {
    const reply = '  <<<<<<< SEARCH\n    return x + 7\n=======\n    return x + 70\n  >>>>>>> REPLACE\n';
    expect(assembleChatReply(reply, 'src/big.py', 'search-replace')).toBe(
      'src/big.py\n<<<<<<< SEARCH\n    return x + 7\n=======\n    return x + 70\n>>>>>>> REPLACE\n',
    );
    expect(apply(reply)).toMatchObject({ ok: true });
  });

  it('refuses what the gate refuses: a SEARCH not in the file, one that matches twice, a block cut at the reply cap, no block at all', () => {
    const missing = apply('<<<<<<< SEARCH\ndef g(x):\n=======\ndef g(y):\n>>>>>>> REPLACE');
    expect(missing).toMatchObject({ ok: false, errors: [expect.stringMatching(/SEARCH text not found/)] });
    // A blank line stands between every two functions.
    const twice = apply('<<<<<<< SEARCH\n\n=======\n# here\n>>>>>>> REPLACE');
    expect(twice).toMatchObject({ ok: false, errors: [expect.stringMatching(/SEARCH text matches \d+ places/)] });
    const cut = apply('<<<<<<< SEARCH\ndef f7(x):\n    return x + 7\n=======\ndef f7(x):\n    return');
    expect(cut).toEqual({ parsed: expect.stringMatching(/missing '>>>>>>> REPLACE' marker \(reached the end of the reply\)/) });
    const cutWhole = '```python\ndef f0(x):\n    return x + 0\n\ndef f1(x):';
    // A whole file cut at the cap is passed on as it is, never closed into a shorter file.
    expect(assembleChatReply(cutWhole, 'src/big.py', 'search-replace')).toBe(cutWhole);
    expect(apply(cutWhole)).toEqual({ parsed: expect.stringMatching(/no SEARCH\/REPLACE edit blocks were found/) });
    expect(apply('')).toEqual({ parsed: expect.stringMatching(/no SEARCH\/REPLACE edit blocks/) });
  });
});

describe('the gate reading a reply in either format', () => {
  const sr = 'a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n';
  const whole = 'a.py\n```python\nx = 2\n```\n';

  it('accepts a whole reply in either format, whatever the slot asked', () => {
    expect(parseEitherFormat(sr, 'whole-file')).toMatchObject({ ok: true, edits: [{ kind: 'search-replace', path: 'a.py' }] });
    expect(parseEitherFormat(whole, 'search-replace')).toMatchObject({ ok: true, edits: [{ kind: 'whole-file', path: 'a.py' }] });
  });

  it('tells a search-replace reply cut at the reply cap its own mistake, not to write whole files', () => {
    const cut = 'a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = ';
    expect(parseEitherFormat(cut, 'whole-file')).toEqual({ ok: false, error: expect.stringMatching(/missing '>>>>>>> REPLACE' marker/) });
    expect(parseEitherFormat(cut, 'search-replace')).toEqual({ ok: false, error: expect.stringMatching(/missing '>>>>>>> REPLACE' marker/) });
    // A reply with no markers keeps the asked format's error.
    expect(parseEitherFormat('a.py\n```python\nx = 2\n', 'whole-file')).toEqual({ ok: false, error: expect.stringMatching(/is never closed/) });
    expect(parseEitherFormat('no edit here', 'search-replace')).toEqual({ ok: false, error: expect.stringMatching(/no SEARCH\/REPLACE edit blocks/) });
  });

  it('a whole file cut by the reply cap is refused as cut, not closed and sent to the tests', () => {
    const cut = 'Here is the fix:\n```python\ndef f():\n    return 1\n\ndef g(';
    // Stopped by the model itself: closed, as before.
    expect(parseEitherFormat(assembleChatReply(cut, 'src/m.py'), 'whole-file').ok).toBe(true);
    // Stopped by the cap: the parser refuses the unclosed block, and the draft's line says why.
    expect(parseEitherFormat(assembleChatReply(cut, 'src/m.py', 'whole-file', '', true), 'whole-file')).toEqual({
      ok: false,
      error: expect.stringMatching(/src\/m\.py' is never closed/),
    });
    expect(replyCutNote(1024)).toBe('reply cut at the 1,024-token cap');
    // A closed block is whole whatever stopped the reply.
    const whole = '```python\nx = 1\n```\n';
    expect(assembleChatReply(whole, 'src/m.py', 'whole-file', '', true)).toBe(assembleChatReply(whole, 'src/m.py'));
  });
});
