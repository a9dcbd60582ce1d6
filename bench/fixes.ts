// Fixes (issue 26): does `ouro run --fix` with the embedded coder model fix real bugs? Commits of
// the localisation corpora (bench/data/localise-*.jsonl), the ones bench/data/fixes-selection.json
// lists, replayed SWE-bench style:
//   1. the base: the parent's tree with the fix commit's test files in place, the one commit of a
//      fresh repository (no history). Its tests must fail there (the fix's tests expose the bug) and
//      pass at the fix itself; otherwise the commit is skipped, with why, and counted as skipped.
//   2. arm A: `ouro run --fix --goal <the commit message> --files <the fix's source files> --test
//      <the repository's own test command> --drafts local:1 --rounds <n> --wait --json`, the CLI as
//      a user runs it, against a dev server and the real workers (the embedded model among them)
//      in this process. Arm B: the same on a fresh copy of the base, without --files.
//   3. a committed run is checked outside Ouro: its commit, the fix's test files put back, the
//      repository's test command; "accepted" is exit 0. Recorded too: the outcome, the files arm B
//      chose and whether they held every source file the fix changed, tokens and wall time.
// One JSON line per arm per commit is appended to --out as it ends, so a cut-off run keeps what it
// measured, and --resume skips the commits and arms already there.
// Run: npm run bench:fixes [-- --limit 30 --repos tkem/cachetools,Masterminds/semver --rounds 1
//      --model qwen2.5-coder-1.5b --out /tmp/fixes.jsonl --resume --mirrors /work/.mirror --venvs /tmp/six]
//      npm run bench:fixes -- --table-from /tmp/fixes.jsonl   (the table of a run's lines)
import { execa } from 'execa';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { DEFAULT_EMBEDDED_MODEL_ID } from '../core/models/catalog.js';
import type { RunResult } from '../core/run/types.js';
import { startBenchStack } from './stack.js';
import { acceptedAtFix, copyOf, prepareBase, sourceTokens, tail, type Base } from './fixes/base.js';
import { loadCases, type FixCase } from './fixes/commits.js';
import { ARMS, renderTable, type Arm, type FixLine } from './fixes/table.js';

const { values: args } = parseArgs({
  options: {
    limit: { type: 'string' },
    repos: { type: 'string' },
    // One round: a round of the 1.5B is ~5 minutes on the shared 2-core machine, and on HumanEval
    // its rounds after the first added nothing (docs/figures.md).
    rounds: { type: 'string', default: '1' },
    model: { type: 'string', default: DEFAULT_EMBEDDED_MODEL_ID },
    out: { type: 'string', default: join(tmpdir(), 'fixes.jsonl') },
    resume: { type: 'boolean', default: false },
    arms: { type: 'string', default: ARMS.join(',') },
    mirrors: { type: 'string', default: '/work/.mirror' },
    venvs: { type: 'string', default: '/tmp/six' },
    selection: { type: 'string' },
    /** Only these commits (comma-separated fix shas or their prefixes), in the selection's order. */
    only: { type: 'string' },
    /** Only prepare each commit's base and say whether it would run (its tests fail there and pass at the fix). */
    screen: { type: 'boolean', default: false },
    /** Only print the table of a run's lines (a finished or a cut-off run). */
    'table-from': { type: 'string' },
  },
});

const say = (m: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] fixes: ${m}\n`);

const readLines = async (file: string): Promise<FixLine[]> =>
  existsSync(file)
    ? (await readFile(file, 'utf8'))
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as FixLine)
    : [];

type RunJson = Partial<RunResult> & { workflowId?: string; error?: string };

/** What every line says first: which commit, which arm, which model and rounds. */
function lineHead(c: FixCase, arm: Arm) {
  return { repo: c.repo, language: c.language, fix: c.fix, arm, model: args.model, maxRounds: Number(args.rounds) };
}

/** One arm on a fresh copy of the base, through the CLI; then the repository's own verdict on its commit. */
async function runArm(c: FixCase, base: Base, arm: Arm, address: string): Promise<FixLine> {
  const repo = await copyOf(base, arm);
  const id = `fixes-${c.fix.slice(0, 8)}-${arm}-${Date.now().toString(36)}`;
  const started = Date.now();
  const cli = await execa(
    'node',
    [
      join(PROJECT_ROOT, 'bin', 'ouro.js'),
      'run',
      repo,
      '--fix',
      '--goal',
      c.message,
      ...(arm === 'files' ? ['--files', c.sourceFiles.join(',')] : []),
      '--test',
      base.test,
      '--drafts',
      'local:1',
      '--rounds',
      args.rounds,
      '--id',
      id,
      '--wait',
      '--json',
    ],
    { reject: false, env: { TEMPORAL_ADDRESS: address, OURO_LOCAL_MODEL: args.model }, maxBuffer: 64 * 1024 * 1024 },
  );
  const wallSeconds = (Date.now() - started) / 1000;
  let result: RunJson;
  try {
    result = JSON.parse(cli.stdout) as RunJson;
  } catch {
    result = { error: `ouro run exited ${cli.exitCode} with no JSON: ${tail(`${cli.stdout}\n${cli.stderr}`)}` };
  }
  const chosen = result.context?.chosen?.map((f) => f.path);
  const sizes = await sourceTokens(c);
  const line: FixLine = {
    ...lineHead(c, arm),
    outcome: result.outcome ?? 'failed',
    committed: result.outcome === 'committed' && !!result.commitSha,
    accepted: false,
    ...(arm === 'chosen' ? { chosen: chosen ?? [], localised: !!chosen && c.sourceFiles.every((f) => chosen.includes(f)) } : {}),
    sourceFiles: c.sourceFiles,
    sourceTokens: sizes,
    baseFails: base.fails,
    rounds: result.rounds,
    tokens: result.tokens,
    wallSeconds,
    runId: id,
  };
  if (line.committed) {
    const verdict = await acceptedAtFix(c, repo, result.commitSha!, base.test);
    line.accepted = verdict.ok;
    if (!verdict.ok) line.why = `committed, refused by the repository's tests: ${tail(verdict.output, 4)}`;
  } else {
    const candidate = result.candidates?.find((k) => k.reason)?.reason;
    line.why = (result.error ?? result.baselineReason ?? result.unservedReason ?? candidate ?? tail(cli.stderr, 4)).slice(0, 600);
  }
  return line;
}

async function screen(cases: FixCase[]): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'ouro-fixes-screen-'));
  let runs = 0;
  for (const c of cases) {
    const screened = await prepareBase(c, scratch);
    if ('base' in screened) runs++;
    say(
      `${c.repo} ${c.fix.slice(0, 8)}: ${'base' in screened ? `runs, the base's ${screened.base.fails} fail (${screened.base.test})` : `skipped: ${screened.skipped.replaceAll('\n', ' | ')}`}`,
    );
    await rm(screened.folder, { recursive: true, force: true });
  }
  await rm(scratch, { recursive: true, force: true });
  say(`${runs} of ${cases.length} would run`);
}

async function main(): Promise<void> {
  process.env.OURO_FIXES_VENVS = args.venvs;
  const repos = args.repos?.split(',').map((r) => r.trim());
  const arms = args.arms.split(',').map((a) => {
    if (!(ARMS as readonly string[]).includes(a)) throw new Error(`unknown arm ${a}: one of ${ARMS.join(', ')}`);
    return a as Arm;
  });
  let cases = (await loadCases(args.mirrors, args.selection)).filter((c) => !repos || repos.includes(c.repo));
  const only = args.only?.split(',').map((f) => f.trim());
  if (only) cases = cases.filter((c) => only.some((f) => c.fix.startsWith(f)));
  if (args.limit) cases = cases.slice(0, Number(args.limit));
  const done = new Set(args.resume ? (await readLines(args.out)).map((l) => `${l.fix}:${l.arm}`) : []);
  const todo = cases.filter((c) => arms.some((a) => !done.has(`${c.fix}:${a}`)));

  if (args.screen) return screen(todo);
  const stack = await startBenchStack('ouro-fixes-', args.model);
  const { scratch } = stack;
  // A stopped run leaves no dev server behind; its lines so far are in --out, for --resume.
  const stop = (signal: string) => {
    say(`${signal}: stopping (resume with --resume --out ${args.out})`);
    void stack.stopServer().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  say(`${todo.length} of ${cases.length} commits to run (arms ${arms.join(', ')}), model ${args.model}, ${args.rounds} rounds × 1 draft; lines in ${args.out}`);
  try {
    for (const c of todo) {
      const screened = await prepareBase(c, scratch);
      for (const arm of arms.filter((a) => !done.has(`${c.fix}:${a}`))) {
        const line: FixLine =
          'skipped' in screened
            ? {
                ...lineHead(c, arm),
                skipped: screened.skipped,
                sourceFiles: c.sourceFiles,
              }
            : await runArm(c, screened.base, arm, stack.address);
        await appendFile(args.out, `${JSON.stringify(line)}\n`);
        say(
          `${c.repo} ${c.fix.slice(0, 8)} ${arm}: ${
            line.skipped
              ? `skipped (${line.skipped.split('\n')[0]})`
              : `${line.outcome}${line.committed ? (line.accepted ? ', accepted' : ', NOT accepted') : ''}${line.chosen ? `, chose ${line.chosen.join(' ')}${line.localised ? '' : ' (missed)'}` : ''}, ${Math.round(line.wallSeconds ?? 0)} s, load ${loadavg()[0]!.toFixed(1)}${line.why ? ` — ${line.why.split('\n')[0]!.slice(0, 160)}` : ''}`
          }`,
        );
      }
      await rm(screened.folder, { recursive: true, force: true });
    }
  } finally {
    await stack.stop();
  }
  process.stdout.write(`\n${await tableOf(args.out)}\n`);
}

/** The table, each line's source files sized at its parent (a whole-file reply must hold them). */
async function tableOf(file: string): Promise<string> {
  const cases = new Map((await loadCases(args.mirrors, args.selection)).map((c) => [c.fix, c]));
  const lines = await readLines(file);
  for (const line of lines) {
    const c = cases.get(line.fix);
    // Sized again, not read from the line: older lines counted 4 characters a token, the product counts 3.
    if (c) line.sourceTokens = await sourceTokens(c);
  }
  return renderTable(lines);
}

if (args['table-from']) process.stdout.write(`${await tableOf(args['table-from'])}\n`);
else await main();
