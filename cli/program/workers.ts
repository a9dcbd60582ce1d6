// `ouro worker` and `ouro dev`: the commands that host workers, so the ones that pick the embedded model.
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';
import { LOCAL_MODEL_HELP } from './options.js';

const workerCommand = lazy(() => import('../commands/worker.js'), 'workerCommand');
const devCommand = lazy(() => import('../commands/dev.js'), 'devCommand');

export function registerWorkers(program: Command): void {
  program
    .command('worker')
    .description("run a worker for some or all of Ouro's task queues")
    .option('-q, --queues <names>', 'comma-separated: ouro, ouro-git, ouro-sandbox, ouro-draft-{openai,cerebras,gpu,local} (default: all)')
    .option('--local-model <name>', LOCAL_MODEL_HELP)
    .action(
      exitWith(async ({ localModel, ...o }) => {
        (await import('../local-check.js')).applyLocalModelFlag(localModel);
        return workerCommand(o);
      }),
    );

  program
    .command('dev')
    .description('start a local Temporal dev server (SQLite in its data folder) and a worker for every queue')
    .option('--port <port>', 'Temporal frontend port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .option('--db <file>', 'SQLite file (default <data folder>/temporal.sqlite: docs/configuration.md)')
    .option('--local-model <name>', LOCAL_MODEL_HELP)
    .action(
      exitWith(async ({ localModel, ...o }) => {
        (await import('../local-check.js')).applyLocalModelFlag(localModel);
        return devCommand(o);
      }),
    );
}
