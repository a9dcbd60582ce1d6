// `ouro train …`: the release-train group, the backlog's commands and the schedule's, with the group's
// own walkthrough in its help.
import { Option, type Command } from 'commander';
import { BUMPS } from '../../core/train/semver.js';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { baseUrlOption, benchModeOption, jsonOption, modelOption } from './options.js';

const trainModule = () => import('../commands/train.js');
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

/** After the group's help: what a train does, and a first session. */
const TRAIN_HELP = `
A train departs on its schedule, runs the backlog's tasks (each a self-coding run on its own branch),
cherry-picks the accepted commits onto the release branch (re-testing after each), verifies the whole
against the previous release (bisecting out a culprit), optionally waits for approval, then tags vX.Y.Z
with a CHANGELOG entry. Tasks that fail or conflict go back to the backlog with their reasons.

  ouro train add ./repo --goal "Make countPrimesBelow faster" --files src/primes.ts --priority 2
  ouro train create nightly --repo ./repo --every 6h --approval --bump minor
  ouro train trigger nightly && ouro train status nightly`;

export function registerTrain(program: Command): void {
  const train = program
    .command('train')
    .description('release trains: scheduled batches of self-coding runs that end in a tagged release')
    .addHelpText('after', TRAIN_HELP);

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
}
