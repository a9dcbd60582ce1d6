import { describe, it, expect } from 'vitest';
import { describeFormat, parseEdits } from '../../../core/edits/formats/index.js';
import { normalizeEditPath, type FileEdit, type ParseResult } from '../../../core/edits/reply-syntax.js';

function edits(result: ParseResult): FileEdit[] {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.edits;
}

function error(result: ParseResult): string {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.edits)}`);
  return result.error;
}

const lines = (...ls: string[]) => ls.join('\n');

describe('parseEdits: search-replace', () => {
  it('parses several blocks for several files with prose and fences between them', () => {
    const reply = lines(
      'I will fix the greeting and add a helper.',
      '',
      'src/greet.ts',
      '```ts',
      '<<<<<<< SEARCH',
      "  return 'Hello ' + name;",
      '=======',
      '  return `Hello, ${name}!`;',
      '>>>>>>> REPLACE',
      '```',
      '',
      'Then the helper, which is new:',
      '',
      '`src/util/helper.ts`',
      '<<<<<<< SEARCH',
      '=======',
      'export const one = 1;',
      '>>>>>>> REPLACE',
      '',
      'File: README.md',
      '```markdown',
      '<<<<<<< SEARCH',
      '# Old',
      '',
      '=======',
      '# New',
      '>>>>>>> REPLACE',
      '```',
      'That is all.',
    );
    expect(edits(parseEdits(reply, 'search-replace'))).toEqual([
      { kind: 'search-replace', path: 'src/greet.ts', search: "  return 'Hello ' + name;\n", replace: '  return `Hello, ${name}!`;\n' },
      { kind: 'search-replace', path: 'src/util/helper.ts', search: '', replace: 'export const one = 1;\n' },
      { kind: 'search-replace', path: 'README.md', search: '# Old\n\n', replace: '# New\n' },
    ]);
  });

  it('accepts CRLF line endings and strips them from the edit text', () => {
    const reply = ['a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE', ''].join('\r\n');
    expect(edits(parseEdits(reply, 'search-replace'))).toEqual([{ kind: 'search-replace', path: 'a.ts', search: 'x\n', replace: 'y\n' }]);
  });

  it('tolerates 5 to 9 marker characters and rejects 4', () => {
    const ok = lines('a.ts', '<<<<< SEARCH', 'x', '=========', 'y', '>>>>>>>>> REPLACE');
    expect(edits(parseEdits(ok, 'search-replace'))).toHaveLength(1);
    const tooShort = lines('a.ts', '<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE');
    expect(error(parseEdits(tooShort, 'search-replace'))).toMatch(/'>>>>>>> REPLACE' without/);
  });

  it('distinguishes an empty REPLACE (delete) from one empty line', () => {
    const reply = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', '>>>>>>> REPLACE', 'a.ts', '<<<<<<< SEARCH', 'y', '=======', '', '>>>>>>> REPLACE');
    const [del, blank] = edits(parseEdits(reply, 'search-replace'));
    expect(del).toMatchObject({ replace: '' });
    expect(blank).toMatchObject({ replace: '\n' });
  });

  it('reuses the previous path only when a block names none', () => {
    const reply = lines(
      'src/a.ts',
      '<<<<<<< SEARCH',
      'one',
      '=======',
      'uno',
      '>>>>>>> REPLACE',
      'and also in the same file:',
      '<<<<<<< SEARCH',
      'two',
      '=======',
      'dos',
      '>>>>>>> REPLACE',
      'src/b.ts',
      '<<<<<<< SEARCH',
      'three',
      '=======',
      'tres',
      '>>>>>>> REPLACE',
    );
    expect(edits(parseEdits(reply, 'search-replace')).map((e) => e.path)).toEqual(['src/a.ts', 'src/a.ts', 'src/b.ts']);
  });

  it('takes the path from the fence info string and from "### " headings', () => {
    const reply = lines(
      '```ts src/x.ts',
      '<<<<<<< SEARCH',
      'a',
      '=======',
      'b',
      '>>>>>>> REPLACE',
      '```',
      '### lib/y.py',
      '<<<<<<< SEARCH',
      'c',
      '=======',
      'd',
      '>>>>>>> REPLACE',
    );
    expect(edits(parseEdits(reply, 'search-replace')).map((e) => e.path)).toEqual(['src/x.ts', 'lib/y.py']);
  });

  it('does not take a language tag for a path', () => {
    const reply = lines('docker/Dockerfile', '```Dockerfile', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', '```');
    expect(edits(parseEdits(reply, 'search-replace'))[0]!.path).toBe('docker/Dockerfile');
  });

  it('normalises ./ prefixes and repeated slashes', () => {
    const reply = lines('./src//a.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE');
    expect(edits(parseEdits(reply, 'search-replace'))[0]!.path).toBe('src/a.ts');
  });

  it('reports a missing divider with block and line numbers', () => {
    const reply = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE', '', 'b.ts', '<<<<<<< SEARCH', 'x', '>>>>>>> REPLACE');
    expect(error(parseEdits(reply, 'search-replace'))).toBe("block 2 (line 9): missing '=======' divider (found '>>>>>>> REPLACE' at line 11 first)");
  });

  it('reports a missing divider at the end of the reply', () => {
    expect(error(parseEdits(lines('a.ts', '<<<<<<< SEARCH', 'x'), 'search-replace'))).toBe(
      "block 1 (line 2): missing '=======' divider (reached the end of the reply)",
    );
  });

  it('reports a missing REPLACE marker, at the next block or at the end', () => {
    const nextBlock = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', 'b.ts', '<<<<<<< SEARCH', 'z', '=======', 'w', '>>>>>>> REPLACE');
    expect(error(parseEdits(nextBlock, 'search-replace'))).toBe(
      "block 1 (line 2): missing '>>>>>>> REPLACE' marker (found the next '<<<<<<< SEARCH' at line 7 first)",
    );
    const atEnd = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y');
    expect(error(parseEdits(atEnd, 'search-replace'))).toBe("block 1 (line 2): missing '>>>>>>> REPLACE' marker (reached the end of the reply)");
  });

  it('rejects a second divider inside one block', () => {
    const reply = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '=======', 'z', '>>>>>>> REPLACE');
    expect(error(parseEdits(reply, 'search-replace'))).toMatch(/^block 1 \(line 6\): a second '=======' divider/);
  });

  it('rejects a REPLACE marker with no SEARCH marker before it', () => {
    const reply = lines('a.ts', 'x', '=======', 'y', '>>>>>>> REPLACE');
    expect(error(parseEdits(reply, 'search-replace'))).toMatch(/^block 1 \(line 5\): '>>>>>>> REPLACE' without/);
  });

  it('rejects a first block that names no path', () => {
    const reply = lines('Here is the fix:', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE');
    expect(error(parseEdits(reply, 'search-replace'))).toBe(
      "block 1 (line 2): no file path before '<<<<<<< SEARCH'; put the path alone on the line above the block",
    );
  });

  it('says no blocks were found and shows the format when there are none', () => {
    const message = error(parseEdits('I think the code is fine as it is.', 'search-replace'));
    expect(message).toMatch(/^no SEARCH\/REPLACE edit blocks were found/);
    expect(message).toContain("'<<<<<<< SEARCH'");
    expect(message).toContain("'>>>>>>> REPLACE'");
    expect(message).not.toContain('\n');
  });

  it.each([
    ['/etc/passwd', 'is absolute'],
    ['../outside.ts', "contains a '..' segment"],
    ['src/../../x.ts', "contains a '..' segment"],
    ['src\\win.ts', 'contains a backslash'],
    ['C:/x.ts', 'is absolute'],
  ])('rejects the unsafe path %s', (path, reason) => {
    const reply = lines('ok.ts', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', path, '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE');
    const message = error(parseEdits(reply, 'search-replace'));
    expect(message).toContain(`block 2 (line 7): invalid path '${path}'`);
    expect(message).toContain(reason);
  });
});

describe('parseEdits: whole-file', () => {
  it('parses several files, with and without a language tag', () => {
    const reply = lines(
      'Here are the files.',
      '',
      'src/a.ts',
      '```ts',
      'export const a = 1;',
      '',
      '```',
      'Some prose.',
      '**File:** `docs/b.md`',
      '```',
      '# B',
      '```',
    );
    expect(edits(parseEdits(reply, 'whole-file'))).toEqual([
      { kind: 'whole-file', path: 'src/a.ts', content: 'export const a = 1;\n\n' },
      { kind: 'whole-file', path: 'docs/b.md', content: '# B\n' },
    ]);
  });

  it('accepts a path in the fence info string, which wins over a path line', () => {
    const reply = lines('old/name.ts', '```ts src/x.ts', 'x', '```', '```src/y.ts', 'y', '```');
    expect(edits(parseEdits(reply, 'whole-file')).map((e) => e.path)).toEqual(['src/x.ts', 'src/y.ts']);
  });

  it('keeps nested tagged code blocks and short fences inside the content', () => {
    const reply = lines('README.md', '````markdown', '# Usage', '```sh', 'npm test', '```', 'done', '````');
    expect(edits(parseEdits(reply, 'whole-file'))[0]).toEqual({
      kind: 'whole-file',
      path: 'README.md',
      content: '# Usage\n```sh\nnpm test\n```\ndone\n',
    });
    const sameLength = lines('README.md', '```markdown', 'intro', '```js', 'x()', '```', 'outro', '```');
    expect(edits(parseEdits(sameLength, 'whole-file'))[0]).toMatchObject({ content: 'intro\n```js\nx()\n```\noutro\n' });
  });

  it('accepts CRLF', () => {
    const reply = ['a.txt', '```', 'one', 'two', '```', ''].join('\r\n');
    expect(edits(parseEdits(reply, 'whole-file'))).toEqual([{ kind: 'whole-file', path: 'a.txt', content: 'one\ntwo\n' }]);
  });

  it('reports an unclosed fence with its line number', () => {
    const reply = lines('a.ts', '```ts', 'x', '```', '', 'b.ts', '```ts', 'const y = 2;');
    expect(error(parseEdits(reply, 'whole-file'))).toBe("block 2 (line 7): code block for 'b.ts' is never closed; end it with a line holding only ```");
  });

  it('rejects a code block without a path', () => {
    const reply = lines('Run this:', '', '```sh', 'npm test', '```');
    expect(error(parseEdits(reply, 'whole-file'))).toMatch(/^block 1 \(line 3\): code block has no file path/);
  });

  it('rejects the same file twice', () => {
    const reply = lines('a.ts', '```', 'x', '```', 'a.ts', '```', 'y', '```');
    expect(error(parseEdits(reply, 'whole-file'))).toBe("block 2 (line 6): 'a.ts' was already given in block 1; give each file once");
  });

  it('rejects SEARCH/REPLACE blocks in a whole-file reply', () => {
    const reply = lines('a.ts', '<<<<<<< SEARCH', 'x', '=======', 'y', '>>>>>>> REPLACE');
    expect(error(parseEdits(reply, 'whole-file'))).toMatch(/^line 2: found '<<<<<<< SEARCH', but this reply must give whole files/);
    const inside = lines('a.ts', '```', '<<<<<<< SEARCH', 'x', '```');
    expect(error(parseEdits(inside, 'whole-file'))).toMatch(/^block 1 \(line 3\): content of 'a.ts' contains a '<<<<<<< SEARCH' marker/);
  });

  it('rejects path traversal', () => {
    expect(error(parseEdits(lines('../../etc/hosts', '```', 'x', '```'), 'whole-file'))).toMatch(
      /^block 1 \(line 1\): invalid path '..\/..\/etc\/hosts': contains a '..' segment/,
    );
    expect(error(parseEdits(lines('```ts /abs/x.ts', 'x', '```'), 'whole-file'))).toMatch(/invalid path '\/abs\/x.ts': is absolute/);
  });

  it('says no blocks were found when there are none', () => {
    expect(error(parseEdits('Nothing to change.', 'whole-file'))).toMatch(/^no file blocks were found; write each changed file as: /);
  });
});

describe('normalizeEditPath', () => {
  it('normalises and rejects', () => {
    expect(normalizeEditPath('./a/./b.ts')).toEqual({ ok: true, path: 'a/b.ts' });
    expect(normalizeEditPath('a\0b')).toEqual({ ok: false, reason: 'contains a NUL character' });
    expect(normalizeEditPath('src/')).toMatchObject({ ok: false, reason: 'names a directory, not a file' });
    expect(normalizeEditPath('./')).toMatchObject({ ok: false });
    expect(normalizeEditPath('.')).toMatchObject({ ok: false, reason: 'is empty' });
  });
});

describe('describeFormat', () => {
  it('gives an example that parses back into the format it describes', () => {
    for (const format of ['search-replace', 'whole-file'] as const) {
      const text = describeFormat(format);
      const example = text.slice(text.indexOf('Example:'));
      const parsed = edits(parseEdits(example, format));
      expect(parsed).toHaveLength(1);
      expect(parsed[0]).toMatchObject({ kind: format, path: 'src/greet.ts' });
    }
  });
});
