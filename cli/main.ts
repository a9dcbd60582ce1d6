// The `ouro` program: its header and, in help order, the files that register its commands. Each of
// those loads its command's module only when that command runs (cli/program/lazy.ts).
import { Command } from 'commander';
import { registerSetup } from './program/setup.js';
import { registerInit } from './program/init.js';
import { registerDoctor } from './program/doctor.js';
import { registerRun } from './program/run.js';
import { registerEval } from './program/eval.js';
import { registerRunCommands } from './program/runs.js';
import { registerWorkers } from './program/workers.js';
import { registerEvolve } from './program/evolve.js';
import { registerCluster } from './program/cluster.js';
import { registerTrain } from './program/train.js';

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

registerSetup(program); // setup
registerInit(program); // init
registerDoctor(program); // doctor
registerRun(program); // run
registerEval(program); // eval, eval report
registerRunCommands(program); // status, list, cancel, hint
registerWorkers(program); // worker, dev
registerEvolve(program); // evolve and its status / report / stop / pause / resume / hint
registerCluster(program); // cluster up | down | status
registerTrain(program); // train add | backlog | create | list | status | pause | resume | trigger | backfill | approve | reject | history | delete

// The worker's SDK runtime is installed by the commands that run workers (worker, dev), when they run.
await program.parseAsync(process.argv);
