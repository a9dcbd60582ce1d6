// A reply the embedded chat model was asked to write as SEARCH/REPLACE blocks may not replace a whole
// existing file through the whole-file fallback: every route a reply could take to it, refused.
import { describe, expect, it } from 'vitest';
import { hasWholeFilesToJudge, wholeFilesOverExisting } from '../../../core/edits/formats/asked-format.js';
import { parseEitherFormat, type EditFormat } from '../../../core/edits/formats/index.js';
import { assembleChatReply } from '../../../core/edits/chat-model/chat-reply.js';
import { chatFeedback } from '../../../core/edits/chat-model/chat-prompt.js';

const TRACKED = ['src/big.py', 'lib/util.py', 'README.md', 'café.py'];
const wipe = (path: string) => `${path}\n\`\`\`python\npass\n\`\`\`\n`;

/** What the apply step decides: the edits it goes on with, or its message. */
function judge(reply: string, slot: EditFormat, asked: EditFormat | undefined) {
  const parsed = parseEitherFormat(reply, asked ?? slot);
  if (!hasWholeFilesToJudge(parsed, asked)) return parsed;
  const error = wholeFilesOverExisting(parsed.edits, TRACKED);
  return error ? { ok: false as const, error } : parsed;
}

const REFUSED = { ok: false, error: expect.stringMatching(/asked for SEARCH\/REPLACE blocks: a whole-file block may only create a new file/) };

describe('a reply asked for search-replace, read at apply', () => {
  // Each reply is one the whole-file fallback reads as a whole existing file; each is refused whatever the slot's format.
  const hostile: [string, string][] = [
    ['several files, each a one-line block (no one-file forcing applies)', `${wipe('src/big.py')}\n${wipe('lib/util.py')}`],
    ['one file, one block, no SEARCH marker', wipe('src/big.py')],
    ['a file the prompt did not show, untested', wipe('README.md')],
    ['the path spelled with ./ and //', wipe('./src//big.py')],
    ['the path in the fence info string', '```python src/big.py\npass\n```\n'],
    ['the path after a label, in backticks', 'File: `lib/util.py`\n```python\npass\n```\n'],
    ['the path in another case (one file on a case-insensitive file system)', wipe('SRC/Big.py')],
    ['the path in decomposed Unicode (one file where names are normalised)', wipe('cafe\u0301.py')],
    ['divider and REPLACE markers without SEARCH, so search-replace fails and whole files parse', `${wipe('src/big.py')}=======\n>>>>>>> REPLACE\n`],
    ['a new file beside an existing one', `${wipe('src/new.py')}\n${wipe('lib/util.py')}`],
    ['a one-file chat reply without its forced start, assembled as the draft does', assembleChatReply(wipe('src/big.py'), 'src/big.py', 'search-replace')],
  ];

  for (const slot of ['whole-file', 'search-replace'] as const) {
    for (const [name, reply] of hostile) {
      it(`refuses ${name} (slot: ${slot})`, () => {
        // Without the draft's word, the fallback reads it as whole files: the route being closed.
        expect(judge(reply, slot, undefined)).toMatchObject({ ok: true, edits: expect.arrayContaining([expect.objectContaining({ kind: 'whole-file' })]) });
        expect(judge(reply, slot, 'search-replace')).toEqual(REFUSED);
      });
    }
  }

  it('names the file as the repository spells it and tells the model what to write instead', () => {
    const error = (judge(`${wipe('SRC/Big.py')}\n${wipe('lib/util.py')}`, 'whole-file', 'search-replace') as { error: string }).error;
    expect(error).toMatch(/^SRC\/Big\.py \(src\/big\.py in the repository\), lib\/util\.py exist, and this reply was asked for SEARCH\/REPLACE blocks/);
    expect(error).toContain("Change an existing file with SEARCH/REPLACE blocks that copy the lines to change: path/to/file.ext, then '<<<<<<< SEARCH'");
    // The next draft's feedback shows it.
    const feedback = chatFeedback([{ candidate: 'r1c1', status: 'malformed', message: error }], 1500);
    expect(feedback).toContain('Rejected (malformed): SRC/Big.py (src/big.py in the repository), lib/util.py exist');
    expect(feedback).toContain('Change an existing file with SEARCH/REPLACE blocks');
  });

  it('accepts SEARCH/REPLACE blocks, and a whole file that creates a new one', () => {
    const sr = 'src/big.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n';
    expect(judge(sr, 'whole-file', 'search-replace')).toMatchObject({ ok: true, edits: [{ kind: 'search-replace', path: 'src/big.py' }] });
    expect(judge(wipe('src/new_module.py'), 'whole-file', 'search-replace')).toMatchObject({
      ok: true,
      edits: [{ kind: 'whole-file', path: 'src/new_module.py' }],
    });
    expect(judge(`${wipe('a/one.py')}\n${wipe('b/two.py')}`, 'search-replace', 'search-replace')).toMatchObject({ ok: true });
  });

  it('reads a mixed reply as its SEARCH/REPLACE blocks: a whole-file block beside them is text, never a file', () => {
    const mixed = `src/big.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n\n${wipe('lib/util.py')}`;
    for (const asked of [undefined, 'search-replace'] as const) {
      expect(judge(mixed, 'whole-file', asked)).toEqual({
        ok: true,
        edits: [{ kind: 'search-replace', path: 'src/big.py', search: 'x = 1\n', replace: 'x = 2\n' }],
      });
    }
  });

  it('leaves replies asked for whole files, or with no format said (API drafts), as before', () => {
    expect(judge(wipe('src/big.py'), 'search-replace', 'whole-file')).toMatchObject({ ok: true, edits: [{ kind: 'whole-file' }] });
    expect(judge(wipe('src/big.py'), 'search-replace', undefined)).toMatchObject({ ok: true, edits: [{ kind: 'whole-file' }] });
    // Nothing to judge where no whole file was parsed.
    expect(hasWholeFilesToJudge({ ok: false, error: 'x' }, 'search-replace')).toBe(false);
    expect(wholeFilesOverExisting([{ kind: 'search-replace', path: 'src/big.py', search: 'a\n', replace: '' }], TRACKED)).toBeUndefined();
  });
});
