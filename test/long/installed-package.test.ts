// Ouro as a user installs it: `npm pack`, a global install of the tarball into a temporary prefix,
// and the installed `ouro` in a fresh repository outside the clone, with a home of its own so that
// nothing of the user's state is read or written. Only the Temporal CLI that set-up installed is
// lent to it (OURO_TEMPORAL_BIN), so the test downloads no server; npm installs from its cache.
import { execa, type ResultPromise } from 'execa';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../../dev/fake-openai.js';
import { freePort } from '../../dev/ports.js';
import { scriptedRunArgs } from '../../dev/scripted-run.js';
import { findTemporalCli } from '../../scripts/temporal-cli.js';
import { gitLines, PROJECT_ROOT } from '../helpers/harness.js';

const BUGGY_SUM = 'export function sumTo(n) {\n  let s = 0;\n  for (let i = 1; i < n; i++) s += i;\n  return s;\n}\n';
const FIXED_SUM = BUGGY_SUM.replace('i < n', 'i <= n');
const SUM_TESTS = `import test from 'node:test';
import assert from 'node:assert/strict';
import { sumTo } from '../src/sum.js';

test('sums 1..3', () => assert.equal(sumTo(3), 6));
test('sums nothing below 1', () => assert.equal(sumTo(0), 0));
`;

let work: string;
let fake: FakeOpenAI | undefined;
let dev: ResultPromise | undefined;

/** The environment without what the clone, npm's own run or the suite put there: npm_*, OURO_*, TEMPORAL_*, XDG_*, and PATH entries inside the clone. */
function outsideEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(npm_|OURO_|TEMPORAL_|XDG_)/i.test(k)) env[k] = v;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((p) => p && p !== PROJECT_ROOT && !p.startsWith(`${PROJECT_ROOT}${sep}`))
    .join(delimiter);
  return env;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ouro-installed-'));
});

afterAll(async () => {
  dev?.kill('SIGINT');
  await dev?.catch(() => undefined);
  await fake?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed and installed ouro', () => {
  it('npm pack → npm i -g → ouro --help, ouro init, ouro dev and a scripted ouro run commit in a fresh repository', async () => {
    // The tarball: prepack builds dist/; the installed tool runs compiled JavaScript and ships no sources.
    const pack = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: PROJECT_ROOT, env: outsideEnv(), extendEnv: false });
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    const shipped = packed!.files.map((f) => f.path);
    expect(shipped).toEqual(expect.arrayContaining(['bin/ouro.js', 'dist/cli/main.js', 'dist/workflows/index.js', 'data/mbpp/mbpp.jsonl', 'package.json']));
    expect(shipped.filter((p) => /^(core|adapters|activities|workflows|worker|dev|cli|scripts|test|bench|\.ouro)\//.test(p))).toEqual([]);

    const prefix = join(work, 'prefix');
    const installed = await execa(
      'npm',
      ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, packed!.filename)],
      { cwd: work, env: outsideEnv(), extendEnv: false, reject: false, all: true },
    );
    expect(installed.exitCode, installed.all).toBe(0);

    // A user's machine: its own home (so the XDG defaults, ~/.local/share/ouro and ~/.cache/ouro), the prefix's bin on PATH.
    const home = join(work, 'home');
    await mkdir(home);
    const temporal = await findTemporalCli();
    expect(temporal, 'set-up installs the Temporal CLI').toBeTruthy();
    const [port, uiPort] = [await freePort(), await freePort()];
    const env = {
      ...outsideEnv(),
      HOME: home,
      PATH: `${join(prefix, 'bin')}${delimiter}${outsideEnv().PATH}`,
      OURO_TEMPORAL_BIN: temporal!,
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    };

    // A fresh repository far from the clone: a bug node's own test runner finds.
    const repo = join(work, 'repo');
    await mkdir(join(repo, 'src'), { recursive: true });
    await mkdir(join(repo, 'test'));
    await writeFile(
      join(repo, 'package.json'),
      `${JSON.stringify({ name: 'fresh', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
    );
    await writeFile(join(repo, 'src', 'sum.js'), BUGGY_SUM);
    await writeFile(join(repo, 'test', 'sum.test.js'), SUM_TESTS);
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=User', '-c', 'user.email=user@localhost', ...args], { cwd: repo });
    await git('init', '-q', '-b', 'main');
    await git('add', '-A');
    await git('commit', '-qm', 'a sum with a bug');
    const ouro = (args: string[]) => execa('ouro', args, { cwd: repo, env, extendEnv: false, reject: false, all: true });

    const help = await ouro(['--help']);
    expect(help.exitCode, help.all).toBe(0);
    for (const cmd of ['run', 'init', 'status', 'dev', 'worker']) expect(help.stdout).toContain(cmd);

    // ouro init finds `npm test` (node:test), runs it once in the sandbox (red: the bug) and writes the config.
    const init = await ouro(['init']);
    expect(init.exitCode, init.all).toBe(0);
    expect(JSON.parse(await readFile(join(repo, 'ouro.config.json'), 'utf8'))).toMatchObject({ test: 'npm test' });

    // ouro dev: the installed Temporal CLI's dev server and a worker bundled from the installed dist/.
    dev = execa('ouro', ['dev', '--port', String(port), '--ui-port', String(uiPort)], { cwd: repo, env, extendEnv: false, reject: false, all: true });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      dev!.all!.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (seen.includes('ready:')) resolve();
      });
      void dev!.then(() => reject(new Error(`ouro dev exited before it was ready:\n${seen}`)));
    });

    fake = await startFakeOpenAI();
    fake.script('r1c1', [{ content: `Here is the fix.\n\nsrc/sum.js\n\`\`\`js\n${FIXED_SUM}\`\`\`\n` }]);
    const run = await ouro([
      'run',
      '.',
      '--goal',
      'Fix sumTo so every test passes',
      '--files',
      'src/sum.js',
      '--fix',
      ...scriptedRunArgs(fake.url, ['--wait', '--json']),
    ]);
    expect(run.exitCode, run.all).toBe(0);
    const result = JSON.parse(run.stdout) as { outcome: string; branch: string; commitSha: string; workflowId: string };
    expect(result.outcome).toBe('committed');
    expect(await gitLines(repo, 'log', '--format=%H', '-1', result.branch)).toEqual([result.commitSha]);
    expect((await git('show', `${result.commitSha}:src/sum.js`)).stdout).toBe(FIXED_SUM.trimEnd());
    const status = await ouro(['status', result.workflowId, '--json']);
    expect(status.exitCode, status.all).toBe(0);

    // What it installed and recorded went to the home's XDG folders, none of it into the clone.
    const data = join(home, '.local', 'share', 'ouro');
    expect(existsSync(join(data, 'temporal.sqlite'))).toBe(true);
    expect(existsSync(join(data, `dev-server-${port}.json`))).toBe(true);
    expect(readdirSync(join(home, '.cache', 'ouro')).some((f) => /^workflows-.*\.js$/.test(f))).toBe(true);
    expect(existsSync(join(PROJECT_ROOT, '.ouro', `dev-server-${port}.json`))).toBe(false);
  }, 900_000);
});
