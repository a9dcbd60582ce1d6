// The localisation corpus (issue 26, "How to measure"): from git repositories, the commits whose
// message says they fix something and that change 1–3 existing non-test source files plus at least
// one test file (typo, lint, docs and revert commits left out; docs/, examples/, benches/ are not
// library code). Rerunnable on anyone's clones:
//   npm run bench:localise-corpus -- <repo-dir>... [--list repos.json] [--per-repo 20] [--out bench/data/localise-corpus.jsonl]
// repos.json: ["<dir>", ...] or [{ "name": "owner/repo", "dir": "<dir>" }, ...]. A dir's name is
// taken from its origin remote, or from a /work/.mirror/<owner>+<name>/repo path, or its folder.

import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { languageOf } from '../adapters/repo-map/languages.js';
import { skippedByPath } from '../adapters/repo-map/skip.js';
import { isTestPath } from '../core/context/test-paths.js';
import type { CorpusEntry } from './localise/corpus.js';

const FIX_MESSAGE = /\b(fix(e[sd]|ing)?|bug|issue #|closes|resolves?)\b/i;
/** Fixes of text or tooling, not of behaviour, and reverts: no goal a user would hand to a draft. Judged on the subject alone. */
const NOT_A_BEHAVIOUR_FIX = /^revert\b|\b(typos?|spelling|lints?|clippy|rustfmt|formatting|docs?|documentation|readme|changelog|ci|bump)\b/i;
/** Code that ships no behaviour: documentation builds, examples, benchmarks. */
const NOT_LIBRARY_CODE = /(^|\/)(docs?|examples?|benches|benchmarks?)\//;
const DEFAULT_OUT = join(PROJECT_ROOT, 'bench', 'data', 'localise-corpus.jsonl');

interface RepoArg {
  name: string;
  dir: string;
}

async function parseArgs(argv: string[]): Promise<{ repos: RepoArg[]; perRepo: number; out: string }> {
  const repos: RepoArg[] = [];
  let perRepo = 20;
  let out = DEFAULT_OUT;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--per-repo') perRepo = Number(argv[++i]);
    else if (a === '--out') out = argv[++i]!;
    else if (a === '--list') {
      const list = z.array(z.union([z.string(), z.object({ name: z.string(), dir: z.string() })])).parse(JSON.parse(await readFile(argv[++i]!, 'utf8')));
      for (const item of list) repos.push(typeof item === 'string' ? { name: await repoName(item), dir: item } : item);
    } else repos.push({ name: await repoName(a), dir: a });
  }
  if (repos.length === 0) throw new Error('usage: localise-corpus <repo-dir>... [--list repos.json] [--per-repo N] [--out file.jsonl]');
  return { repos, perRepo, out };
}

async function repoName(dir: string): Promise<string> {
  const url = (await execa('git', ['config', '--get', 'remote.origin.url'], { cwd: dir, reject: false })).stdout.trim();
  const fromUrl = /[/:]([^/:]+\/[^/]+?)(\.git)?$/.exec(url)?.[1];
  if (fromUrl) return fromUrl;
  const mirror = /([^/]+)\+([^/]+)\/repo\/?$/.exec(dir);
  return mirror ? `${mirror[1]}/${mirror[2]}` : basename(dir);
}

/** Every fix-looking single-parent commit, newest first, with its files' statuses. */
async function fixCommits(dir: string): Promise<{ sha: string; parent: string; message: string; files: [string, string][] }[]> {
  const { stdout } = await execa(
    'git',
    ['log', '--no-merges', '--no-renames', '-E', '-i', `--grep=${FIX_MESSAGE.source}`, '--format=%x1e%H%x1f%P%x1f%B%x1f', '--name-status', 'HEAD'],
    { cwd: dir, maxBuffer: 512 * 1024 * 1024 },
  );
  const commits = [];
  for (const record of stdout.split('\x1e').slice(1)) {
    const [sha, parents, message, names] = record.split('\x1f');
    const parentList = (parents ?? '').trim().split(' ').filter(Boolean);
    const subject = (message ?? '').trim().split('\n')[0] ?? '';
    if (!sha || parentList.length !== 1 || !FIX_MESSAGE.test(message ?? '') || NOT_A_BEHAVIOUR_FIX.test(subject)) continue;
    const files = (names ?? '')
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((p): p is [string, string] => p.length === 2 && !!p[0] && !!p[1]);
    commits.push({ sha, parent: parentList[0]!, message: (message ?? '').trim(), files });
  }
  return commits;
}

function entryOf(repo: string, c: Awaited<ReturnType<typeof fixCommits>>[number]): CorpusEntry | undefined {
  const code = c.files.filter(([, path]) => languageOf(path) && !skippedByPath(path, 0) && !NOT_LIBRARY_CODE.test(path));
  const sources = code.filter(([, path]) => !isTestPath(path));
  const tests = code.filter(([, path]) => isTestPath(path));
  // A source file the fix added or deleted cannot be found at the parent: only modified ones.
  if (sources.length < 1 || sources.length > 3 || sources.some(([status]) => status !== 'M') || tests.length < 1) return undefined;
  const language = languageOf(sources[0]![1])!.language;
  return {
    repo,
    language,
    parent: c.parent,
    fix: c.sha,
    message: c.message,
    sourceFiles: sources.map(([, p]) => p),
    testFiles: tests.map(([, p]) => p),
  };
}

async function main(): Promise<void> {
  const { repos, perRepo, out } = await parseArgs(process.argv.slice(2));
  const lines: string[] = [];
  for (const repo of repos) {
    const entries = (await fixCommits(repo.dir)).map((c) => entryOf(repo.name, c)).filter((e): e is CorpusEntry => !!e);
    const kept = entries.slice(0, perRepo);
    console.log(`${repo.name}: ${entries.length} fix commits qualify, ${kept.length} kept`);
    lines.push(...kept.map((e) => JSON.stringify(e)));
  }
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, lines.join('\n') + '\n');
  console.log(`${lines.length} commits from ${repos.length} repositories -> ${out}`);
}

await main();
