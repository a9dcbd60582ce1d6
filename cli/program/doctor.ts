// `ouro doctor`: checks this machine (sandbox, strace, cgroups, the embedded model), the Temporal
// server and, through a worker, each configured provider.
import type { Command } from 'commander';
import { lazy } from './lazy.js';
import { exitWith } from './exit-with.js';

const doctorCommand = lazy(() => import('../commands/doctor.js'), 'doctorCommand');

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check the sandbox, strace, cgroups, the Temporal server, the embedded model and each provider (from a worker); exit 1 if a required check fails',
    )
    .argument('[repo]', 'repository whose ouro.config.json names the providers', '.')
    .option('-d, --drafts <spec>', 'the providers to check, as a run names them (default: the repository\'s "drafts", else local:2)')
    .action(exitWith((repo: string, o) => doctorCommand(repo, o)));
}
