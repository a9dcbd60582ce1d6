// `ouro init`: a repository's ouro.config.json from what its files say and one run of its tests.
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

const initCommand = lazy(() => import('../commands/init.js'), 'initCommand');

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('detect the test command (and benchmark), run the tests once in the sandbox, write ouro.config.json')
    .argument('[repo]', 'path to the git repository', '.')
    .option('--test-command <command>', 'the test command to use instead of the detected one')
    .option('--bench-command <command>', 'the benchmark command to use instead of the detected one')
    .option('--link <path>', 'also link this untracked path of the checkout into each workspace (repeatable)', collect)
    .option('--timeout <seconds>', 'wall-clock limit for the test run', '300')
    .option('--force', 'replace an existing ouro.config.json (its other settings are kept)')
    .action(exitWith((repo: string, o) => initCommand(repo, o)));
}
