// The commands over runs already started: look at one (status), find them (list), steer one (cancel, hint).
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { jsonOption } from './options.js';

const controlModule = () => import('../commands/control.js');
const statusCommand = lazy(() => import('../commands/status.js'), 'statusCommand');
const listCommand = lazy(() => import('../commands/list.js'), 'listCommand');
const cancelCommand = lazy(controlModule, 'cancelCommand');
const hintCommand = lazy(controlModule, 'hintCommand');

export function registerRunCommands(program: Command): void {
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
}
