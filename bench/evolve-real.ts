// Evolve's worth, measured with a real model: real `ouro evolve` searches (a
// real dev server, a real worker, the embedded coder model drafting, every
// program applied, tested and benchmarked in the sandbox) on bundled tasks
// with known optima or records, for each strategy at an EQUAL number of
// drafts:
//   evolve  — the archive search (MAP-Elites grid, rank-weighted parents, inspirations);
//   greedy  — a hill-climber: always mutate the best program so far;
//   sample  — independent drafts from the base, the best kept.
// Tasks (examples/): circle-packing (26 circles in the unit square, maximise
// the sum of radii; record ≈ 2.636) and tsp (12-city random instances drawn
// from the benchmark's seed; 1.0 = the exact optimum by Held-Karp).
// Every search's best program is scored again afterwards by the task's own
// evaluator, in the sandbox, at its commit: the table's "best" is that
// value, not the search's ratio to the base.
// Prints, per task and strategy, the best reached (median and range over
// seeds), drafts, and the share of drafts that scored (passed apply, tests
// and the evaluator), then where the drafts went (given back unchanged,
// tests failed, scored as, below or above the base). Each finished search is appended to --out as a JSON
// line as it ends, so a cut-off run keeps what it measured.
// Run: npm run bench:evolve-real [-- --seeds 3 --drafts 8 --model qwen2.5-coder-0.5b --tasks circle-packing,tsp]
//      npm run bench:evolve-real -- --table-from /tmp/evolve-real.jsonl   (the table of a run's lines)
import { execa } from 'execa';
import { appendFile, cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { testCheckoutOnce } from '../adapters/sandbox/checkout-tests.js';
import { connectClient } from '../cli/client.js';
import { evolveCommand } from '../cli/commands/evolve.js';
import { programById } from '../core/evolve/archive.js';
import { SEARCH_STRATEGIES, type EvolveState, type SearchStrategy } from '../core/evolve/types.js';
import { median } from '../core/stats/bench-stats.js';
import { parseMetricLines } from '../core/stats/bench-measure.js';
import { startBenchStack } from './stack.js';
import { evolveArchiveQuery } from '../workflows/definitions.js';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    drafts: { type: 'string', default: '8' },
    model: { type: 'string', default: 'qwen2.5-coder-0.5b' },
    tasks: { type: 'string', default: 'circle-packing,tsp' },
    strategies: { type: 'string', default: SEARCH_STRATEGIES.join(',') },
    'bench-runs': { type: 'string', default: '3' },
    out: { type: 'string', default: join(tmpdir(), 'evolve-real.jsonl') },
    /** Only print the table of a run's lines (a finished or a cut-off run). */
    'table-from': { type: 'string' },
  },
});

interface Task {
  name: string;
  folder: string;
  metric: string;
  /** How the best program is scored again: the evaluator over fixed seeds, the mean of its metric. */
  rescore: string;
  /** The best known value, for the table. */
  record: string;
}

const TASKS: Record<string, Task> = {
  'circle-packing': {
    name: 'circle-packing',
    folder: 'examples/evolve-circle-packing',
    metric: 'sum_radii',
    rescore: 'node bench/evaluate.mjs',
    record: '2.63598 (ShinkaEvolve; AlphaEvolve 2.63586)',
  },
  tsp: {
    name: 'tsp',
    folder: 'examples/evolve-tsp',
    metric: 'optimality',
    rescore: 'for s in 101 102 103 104 105 106 107 108; do OURO_BENCH_SEED=$s node bench/evaluate.mjs || exit 1; done',
    record: '1 (the exact optimum)',
  },
};

interface Outcome {
  task: string;
  strategy: SearchStrategy;
  seed: number;
  model: string;
  drafts: number;
  scored: number;
  /** Drafts by how they ended (scored, malformed, tests-failed, …), and the first failure's reason, clipped. */
  outcomes: Record<string, number>;
  firstFailure?: string;
  /** Drafts given back unchanged (refused at apply: "the edits leave every file unchanged"). */
  unchanged?: number;
  /** Scored drafts by their score against the base: as the base (within 1e-9), below it, above it. */
  scoredVsBase?: { same: number; worse: number; better: number };
  /** Each failure's first line (clipped) and how many drafts ended with it. */
  reasons?: Record<string, number>;
  best: { id: string; ratio: number; value: number };
  base: number;
  wallSeconds: number;
  evolveId: string;
}

const say = (m: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] evolve-real: ${m}\n`);

/** A fresh git repository holding the task's files, its only commit the base. */
async function taskRepo(task: Task): Promise<string> {
  const repo = join(await mkdtemp(join(tmpdir(), `ouro-evolve-real-${task.name}-`)), 'repo');
  await cp(join(PROJECT_ROOT, task.folder), repo, { recursive: true });
  const g = (...a: string[]) => execa('git', ['-C', repo, ...a]);
  await g('init', '-q', '-b', 'main');
  await g('add', '-A');
  await g('-c', 'user.name=ouro-bench', '-c', 'user.email=bench@ouro.invalid', 'commit', '-qm', 'base');
  return repo;
}

/** The task's evaluator on a program's commit, in the sandbox: the mean of its metric over the rescore command's runs. */
async function rescore(repo: string, sha: string, task: Task): Promise<number> {
  const dir = join(await mkdtemp(join(tmpdir(), 'ouro-evolve-rescore-')), 'at');
  await execa('git', ['-C', repo, 'worktree', 'add', '-q', '--detach', dir, sha]);
  try {
    const run = await testCheckoutOnce(dir, task.rescore, [], 300);
    if (run.exitCode !== 0) throw new Error(`the evaluator refused ${sha.slice(0, 8)}: ${run.output.slice(-300)}`);
    const values = run.output
      .split('\n')
      .map((line) => parseMetricLines(line)[task.metric]?.value)
      .filter((v): v is number => v !== undefined);
    if (!values.length) throw new Error(`the evaluator printed no ${task.metric}`);
    return values.reduce((a, b) => a + b, 0) / values.length;
  } finally {
    await execa('git', ['-C', repo, 'worktree', 'remove', '--force', dir]);
  }
}

async function search(task: Task, strategy: SearchStrategy, seed: number): Promise<Outcome> {
  const repo = await taskRepo(task);
  const evolveId = `evolve-real-${task.name}-${strategy}-s${seed}-${Date.now().toString(36)}`;
  const started = Date.now();
  await evolveCommand(repo, {
    files: task.folder.includes('circle') ? 'src/pack.mjs' : 'src/tour.mjs',
    metric: task.metric,
    benchRuns: args['bench-runs'],
    drafts: 'local:1',
    parallel: '1',
    islands: '1',
    maxDrafts: args.drafts,
    strategy,
    id: evolveId,
    preflight: false,
    wait: true,
    json: true,
  });
  const wallSeconds = (Date.now() - started) / 1000;
  const client = await connectClient();
  const state = (await client.workflow.getHandle(evolveId).query(evolveArchiveQuery)) as EvolveState;
  const best = programById(state, state.bestId);
  const base = await rescore(repo, state.baseSha, task);
  const value = best.id === 'base' ? base : await rescore(repo, best.sha, task);
  await rm(join(repo, '..'), { recursive: true, force: true });
  return {
    task: task.name,
    strategy,
    seed,
    model: args.model,
    drafts: state.spent.drafts,
    scored: state.evaluations.filter((e) => e.outcome === 'scored').length,
    outcomes: state.evaluations.reduce<Record<string, number>>((n, e) => ({ ...n, [e.outcome]: (n[e.outcome] ?? 0) + 1 }), {}),
    firstFailure: state.evaluations.find((e) => e.outcome !== 'scored')?.reason?.slice(0, 300),
    ...draftFates(state),
    best: { id: best.id, ratio: best.score, value },
    base,
    wallSeconds,
    evolveId,
  };
}

/** What became of the drafts: copies, scored programs against the base, and the failures' reasons. */
function draftFates(state: EvolveState): Pick<Outcome, 'unchanged' | 'scoredVsBase' | 'reasons'> {
  const scores = state.evaluations.filter((e) => e.outcome === 'scored').map((e) => e.score ?? 1);
  const reasons: Record<string, number> = {};
  for (const e of state.evaluations) {
    if (e.outcome === 'scored') continue;
    const key =
      `${e.outcome}: ${(e.reason ?? '').split('\n').find((l) => /Error|leaves|overlap|expected|unchanged|not /.test(l)) ?? (e.reason ?? '').split('\n')[0]}`.slice(
        0,
        140,
      );
    reasons[key] = (reasons[key] ?? 0) + 1;
  }
  return {
    unchanged: state.evaluations.filter((e) => /leave every file unchanged/.test(e.reason ?? '')).length,
    scoredVsBase: {
      same: scores.filter((s) => Math.abs(s - 1) <= 1e-9).length,
      worse: scores.filter((s) => s < 1 - 1e-9).length,
      better: scores.filter((s) => s > 1 + 1e-9).length,
    },
    reasons,
  };
}

const fmt = (v: number) => v.toFixed(4);

function table(outcomes: Outcome[]): string {
  const rows = [
    '| task | strategy | best reached: median (range) over seeds | base | seeds | drafts each | valid share | record |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const task of [...new Set(outcomes.map((o) => o.task))]) {
    for (const strategy of SEARCH_STRATEGIES) {
      const mine = outcomes.filter((o) => o.task === task && o.strategy === strategy);
      if (!mine.length) continue;
      const best = mine.map((o) => o.best.value);
      const drafts = mine.reduce((n, o) => n + o.drafts, 0);
      const scored = mine.reduce((n, o) => n + o.scored, 0);
      rows.push(
        `| ${task} | ${strategy} | ${fmt(median(best))} (${fmt(Math.min(...best))}–${fmt(Math.max(...best))}) | ${fmt(mine[0]!.base)} | ${mine.length} | ${[...new Set(mine.map((o) => o.drafts))].join('/')} | ${scored}/${drafts} (${Math.round((100 * scored) / drafts)}%) | ${TASKS[task]!.record} |`,
      );
    }
  }
  return rows.join('\n');
}

/** Where the drafts went, per task and strategy: given back unchanged, other refusals, tests failed, scored as, below or above the base. */
function fateTable(outcomes: Outcome[]): string {
  const rows = [
    '| task | strategy | drafts | given back unchanged | other malformed or refused | tests failed | other failures | scored: = / < / > base |',
    '|---|---|---|---|---|---|---|---|',
  ];
  const pct = (n: number, of: number) => `${n} (${Math.round((100 * n) / Math.max(1, of))}%)`;
  for (const task of [...new Set(outcomes.map((o) => o.task))]) {
    for (const strategy of SEARCH_STRATEGIES) {
      const mine = outcomes.filter((o) => o.task === task && o.strategy === strategy);
      if (!mine.length) continue;
      const sum = (f: (o: Outcome) => number) => mine.reduce((n, o) => n + f(o), 0);
      const drafts = sum((o) => o.drafts);
      // Lines written before the fates were kept cannot tell a copy from another malformed reply, nor a scored program's side of the base.
      const known = mine.every((o) => o.unchanged !== undefined && o.scoredVsBase !== undefined);
      const unchanged = sum((o) => o.unchanged ?? 0);
      const refused = sum((o) => (o.outcomes.malformed ?? 0) + (o.outcomes.refused ?? 0)) - unchanged;
      const tests = sum((o) => o.outcomes['tests-failed'] ?? 0);
      const other = sum((o) => (o.outcomes['bench-failed'] ?? 0) + (o.outcomes['draft-failed'] ?? 0));
      const scored = sum((o) => o.scored);
      const vs = known ? ` (${(['same', 'worse', 'better'] as const).map((k) => sum((o) => o.scoredVsBase![k])).join(' / ')})` : ' (not recorded)';
      rows.push(
        `| ${task} | ${strategy} | ${drafts} | ${known ? pct(unchanged, drafts) : 'not recorded'} | ${pct(refused, drafts)} | ${pct(tests, drafts)} | ${pct(other, drafts)} | ${pct(scored, drafts)}${vs} |`,
      );
    }
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const tasks = args.tasks.split(',').map((t) => {
    const task = TASKS[t.trim()];
    if (!task) throw new Error(`unknown task ${t}: one of ${Object.keys(TASKS).join(', ')}`);
    return task;
  });
  const strategies = args.strategies.split(',').map((s) => {
    if (!(SEARCH_STRATEGIES as readonly string[]).includes(s.trim())) throw new Error(`unknown strategy ${s}: one of ${SEARCH_STRATEGIES.join(', ')}`);
    return s.trim() as SearchStrategy;
  });
  const seeds = Number(args.seeds);
  const stack = await startBenchStack('ouro-evolve-real-', args.model);
  const outcomes: Outcome[] = [];
  say(`${seeds} seeds × ${strategies.length} strategies × ${tasks.length} tasks, ${args.drafts} drafts each, model ${args.model}; lines in ${args.out}`);
  try {
    // Seeds outermost: a run cut short still holds every strategy of every task for the seeds it finished.
    for (let seed = 1; seed <= seeds; seed++) {
      for (const task of tasks) {
        for (const strategy of strategies) {
          const outcome = await search(task, strategy, seed);
          outcomes.push(outcome);
          await appendFile(args.out, `${JSON.stringify(outcome)}\n`);
          say(
            `${task.name} ${strategy} seed ${seed}: best ${outcome.best.id} ${fmt(outcome.best.value)} (base ${fmt(outcome.base)}), ${outcome.scored}/${outcome.drafts} scored ${JSON.stringify(outcome.outcomes)}, ${Math.round(outcome.wallSeconds)} s`,
          );
        }
      }
    }
  } finally {
    await stack.stop();
  }
  process.stdout.write(`\n${table(outcomes)}\n\n${fateTable(outcomes)}\n`);
}

if (args['table-from']) {
  const lines = (await readFile(args['table-from'], 'utf8')).split('\n').filter((l) => l.trim());
  const outcomes = lines.map((l) => JSON.parse(l) as Outcome);
  process.stdout.write(`${table(outcomes)}\n\n${fateTable(outcomes)}\n`);
} else {
  await main();
}
