// `ouro setup`: installs what the npm packages do not bring (the Temporal CLI, the embedded model,
// bubblewrap, HumanEval's data) into Ouro's state folder. In a clone `npm run setup` is the same thing;
// an installed tool has no npm scripts, so it needs a command of its own.
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { CliError } from '../cli-error.js';

const setup = lazy(() => import('../../scripts/setup.js'), 'setup');

export function registerSetup(program: Command): void {
  program
    .command('setup')
    .description('install what is missing: the Temporal CLI, the embedded model, bubblewrap, HumanEval data (quick when all are there)')
    .option('-m, --model <ids>', 'embedded models to install, comma-separated (default: the one the worker would run)')
    .action(
      exitWith(async (o: { model?: string }) => {
        try {
          await setup({ models: o.model });
          return 0;
        } catch (err) {
          // A download or an install that failed is said in one line, not a stack.
          throw new CliError(`set-up stopped: ${err instanceof Error ? err.message : String(err)}`, 1);
        }
      }),
    );
}
