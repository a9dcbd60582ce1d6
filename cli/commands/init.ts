// `ouro init`: finds a repository's test command (and benchmark), runs its tests once at HEAD in
// the sandbox, and writes ouro.config.json with what it found, so `ouro run` needs only a goal.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { detectRunner, type Detection } from '../../core/init/detect-runner.js';
import type { RepoTree } from '../../core/init/repo-tree.js';
import { baseVerdict, initConfig } from '../../core/init/init-outcome.js';
import { RepoConfigSchema, type RepoConfig } from '../../core/run/input.js';
import { workspacePathProblem } from '../../core/run/workspace-files.js';
import { headTail } from '../../core/views/excerpt.js';
import { git } from '../../adapters/git/git.js';
import { testCheckoutOnce } from '../../adapters/sandbox/checkout-tests.js';
import { CliError } from '../client.js';
import { CONFIG_FILE } from '../repo-config.js';
import { EXIT } from '../render.js';

export interface InitOptions {
  testCommand?: string;
  benchCommand?: string;
  link?: string[];
  force?: boolean;
  timeout?: string;
}

/** Folders a user-given test command may need, linked when the checkout has them. */
const DEPENDENCY_FOLDERS = ['node_modules', '.venv', 'venv'];

async function repositoryRoot(path: string): Promise<string> {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new CliError(`${path} is not a folder`, EXIT.usage);
  const top = await git(path, ['rev-parse', '--show-toplevel'], { allowFail: true });
  if (!top) throw new CliError(`${path} is not a git repository: ouro works on commits (git init && git add -A && git commit -m init)`, EXIT.usage);
  const head = await git(top, ['rev-parse', '--verify', '-q', 'HEAD^{commit}'], { allowFail: true });
  if (!head) throw new CliError(`${top} has no commit yet: commit your files first (ouro tests and changes commits)`, EXIT.usage);
  return top;
}

async function checkoutTree(repo: string): Promise<RepoTree> {
  const files = (await git(repo, ['ls-files', '-z'], { raw: true })).split('\0').filter(Boolean);
  return {
    files,
    read: (p) => {
      try {
        return readFileSync(join(repo, p), 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: (p) => existsSync(join(repo, p)),
  };
}

/** The existing config's other settings, kept under --force; one that does not parse is replaced whole. */
async function keptSettings(path: string): Promise<RepoConfig> {
  try {
    const parsed = RepoConfigSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function choose(detection: Detection, o: InitOptions, tree: RepoTree): { test: string; bench?: string; linkPaths: string[]; said: string[] } {
  const said: string[] = [];
  let test: string;
  let linkPaths: string[];
  if (o.testCommand?.trim()) {
    test = o.testCommand.trim();
    linkPaths = DEPENDENCY_FOLDERS.filter((f) => tree.exists(f));
    said.push(`test:  ${test} (--test-command)`);
  } else if (detection.test) {
    test = detection.test.command;
    linkPaths = detection.linkPaths;
    said.push(`test:  ${test} (from ${detection.test.evidence})`);
    for (const other of detection.others) said.push(`       also found ${other.evidence}: ${other.command} (pass --test-command to pick it)`);
  } else {
    const notes = detection.notes.map((n) => `\n  note: ${n}`).join('');
    throw new CliError(
      `no test runner found. Looked for:\n${detection.lookedFor.map((l) => `  - ${l}`).join('\n')}${notes}\nPass the command yourself: ouro init --test-command "make test"`,
      EXIT.usage,
    );
  }
  const bench = o.benchCommand?.trim() || detection.bench?.command;
  if (o.benchCommand?.trim()) said.push(`bench: ${bench} (--bench-command)`);
  else if (detection.bench) said.push(`bench: ${bench} (from ${detection.bench.evidence})`);
  else said.push('bench: none found (speed goals need one: --bench-command "<command>")');
  for (const l of o.link ?? []) {
    const problem = workspacePathProblem(l);
    if (problem) throw new CliError(`--link ${problem}`, EXIT.usage);
    if (!linkPaths.includes(l)) linkPaths = [...linkPaths, l];
  }
  if (linkPaths.length) said.push(`links: ${linkPaths.join(', ')} (shared into each workspace, read-only)`);
  for (const n of detection.notes) said.push(`note:  ${n}`);
  return { test, bench, linkPaths, said };
}

export async function initCommand(repoArg: string, o: InitOptions): Promise<number> {
  const repo = await repositoryRoot(resolve(repoArg));
  const configPath = join(repo, CONFIG_FILE);
  if (existsSync(configPath) && !o.force) throw new CliError(`${configPath} already exists: pass --force to replace its test, bench and linkPaths`, EXIT.usage);
  const timeout = Number(o.timeout ?? 300);
  if (!Number.isInteger(timeout) || timeout < 1) throw new CliError(`--timeout takes whole seconds (got ${o.timeout})`, EXIT.usage);
  const tree = await checkoutTree(repo);
  const found = choose(detectRunner(tree), o, tree);
  for (const line of found.said) process.stdout.write(`${line}\n`);
  process.stdout.write(`running the tests once at HEAD, in the sandbox…\n`);
  const run = await testCheckoutOnce(repo, found.test, found.linkPaths, timeout);
  const verdict = baseVerdict(run, timeout);
  const where = `at ${run.sha.slice(0, 10)} (sandbox: ${run.sandbox}, ${(run.durationMs / 1000).toFixed(1)} s)`;
  if (verdict.kind === 'did-not-run') {
    process.stdout.write(`${headTail(run.output.trim(), 3000)}\n`);
    throw new CliError(
      `${found.test}: ${verdict.summary} ${where}. ${CONFIG_FILE} was not written: install what the tests need, or pass the right one with --test-command`,
      EXIT.error,
    );
  }
  const config = { ...(o.force ? await keptSettings(configPath) : {}), ...initConfig(found) };
  if (!found.bench) delete config.bench;
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  process.stdout.write(`tests: ${verdict.summary} ${where}\n`);
  if (verdict.kind === 'failed') {
    process.stdout.write(
      `warning: the tests fail at HEAD: \`ouro run\` stops at a broken baseline unless it is a --fix run (whose goal is to make them pass)\n`,
    );
  }
  process.stdout.write(`wrote ${configPath}\nnext: ouro run --goal "…" --files "<globs the model may change>"\n`);
  return EXIT.ok;
}
