// `ouro run`: one self-coding run, the loop's front door; every flag the run's input can take.
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { baseUrlOption, benchModeOption, editFormatOption, jsonOption, modelOption, preflightOption } from './options.js';

/** A repeatable option's values, in order. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

const runCommand = lazy(() => import('../commands/run.js'), 'runCommand');

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start a self-coding run on a repository (defaults come from its ouro.config.json)')
    .argument('[repo]', 'path to the target git repository', '.')
    .option('-g, --goal <text>', 'what the change should achieve')
    .option('-f, --files <globs>', 'comma-separated paths/globs the model may change (left out: Ouro chooses them once the base tests ran)')
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
    .option('--link <path>', 'link this untracked path of your checkout into each workspace (repeatable; adds to "linkPaths")', collect)
    .option('--copy <glob>', 'copy the git-ignored files matching this glob from your checkout into each workspace, read-only (repeatable)', collect)
    .option('--writable <globs>', 'comma-separated tracked files the tests may write (every other file stays read-only while they run)')
    .option('--max-reply-kb <n>', 'longest model reply kept, in KiB; a longer one fails that draft (default 256)')
    .option('--require-reliable', 'refuse a candidate whose benchmark decision is marked unreliable (noisy or drifting)')
    .option('--id <workflowId>', 'workflow id (default ouro-<repo>-<time>-<random>)')
    .addOption(preflightOption())
    .option('-w, --wait', 'follow progress until the run ends')
    .addOption(jsonOption())
    .action(exitWith((repo: string, o) => runCommand(repo, o)));
}
