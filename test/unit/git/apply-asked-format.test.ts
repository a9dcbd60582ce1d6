// The apply activity, with real git, on a reply whose draft says it asked for SEARCH/REPLACE blocks
// (the embedded chat model): a whole-file block may create a file, never replace one, whatever
// format the slot names; a draft that says nothing is read as before.
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCandidate } from '../../../activities/git/workspace.js';
import type { ApplyRequest } from '../../../core/contracts/git.js';
import type { EditFormat } from '../../../core/edits/formats/index.js';

let scratch: string;
let repo: string;
let baseSha: string;
const saved = process.env.OURO_WORKSPACE_ROOT;
const git = async (cwd: string, ...args: string[]) => (await execa('git', args, { cwd })).stdout;

const BIG = Array.from({ length: 40 }, (_, i) => `def f${i}(x):\n    return x + ${i}\n`).join('\n');

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ouro-asked-format-'));
  repo = join(scratch, 'repo');
  await mkdir(join(repo, 'src'), { recursive: true });
  await writeFile(join(repo, 'src/big.py'), BIG);
  await writeFile(join(repo, 'src/untested.py'), 'LIMIT = 10\n');
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'add', '-A');
  await git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'base');
  baseSha = await git(repo, 'rev-parse', 'HEAD');
  process.env.OURO_WORKSPACE_ROOT = join(scratch, 'workspaces');
});

afterAll(async () => {
  if (saved === undefined) delete process.env.OURO_WORKSPACE_ROOT;
  else process.env.OURO_WORKSPACE_ROOT = saved;
  await rm(scratch, { recursive: true, force: true });
});

let n = 0;
const apply = (reply: string, format: EditFormat, askedFormat?: EditFormat) => {
  const req: ApplyRequest = {
    repo,
    runId: 'asked',
    baseSha,
    candidateId: `c${++n}`,
    reply,
    format,
    ...(askedFormat ? { askedFormat } : {}),
    allowed: ['**'],
    protectedPaths: [],
    linkPaths: [],
  };
  return applyCandidate(req);
};

const oneLine = (path: string) => `${path}\n\`\`\`python\npass\n\`\`\`\n`;
const REFUSED = {
  ok: false,
  status: 'malformed',
  message: expect.stringMatching(/asked for SEARCH\/REPLACE blocks: a whole-file block may only create a new file/),
};

describe('applying a reply asked for search-replace', () => {
  it('refuses whole-file blocks over existing files, under either slot format, and changes nothing', async () => {
    const replies = [
      `${oneLine('src/big.py')}\n${oneLine('src/untested.py')}`,
      oneLine('./src//untested.py'),
      '```python src/big.py\npass\n```\n',
      oneLine('SRC/Untested.py'),
      `${oneLine('src/brand_new.py')}\n${oneLine('src/untested.py')}`,
      `${oneLine('src/big.py')}=======\n>>>>>>> REPLACE\n`,
    ];
    for (const format of ['whole-file', 'search-replace'] as const) {
      for (const reply of replies) expect(await apply(reply, format, 'search-replace')).toEqual(REFUSED);
    }
    // The route this closes: the same replies, from a draft that says nothing, are applied as whole files.
    expect(await apply(replies[0]!, 'whole-file')).toMatchObject({ ok: true, changed: ['src/big.py', 'src/untested.py'] });
  });

  it('applies SEARCH/REPLACE blocks, and a whole file that creates a new one', async () => {
    const sr = 'src/big.py\n<<<<<<< SEARCH\ndef f7(x):\n    return x + 7\n=======\ndef f7(x):\n    return x + 8\n>>>>>>> REPLACE\n';
    expect(await apply(sr, 'whole-file', 'search-replace')).toMatchObject({ ok: true, changed: ['src/big.py'] });
    expect(await apply(oneLine('src/helpers.py'), 'whole-file', 'search-replace')).toMatchObject({ ok: true, changed: ['src/helpers.py'] });
  });
});
