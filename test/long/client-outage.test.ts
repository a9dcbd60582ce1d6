// `ouro run --wait` outlives an outage of its Temporal server. The CLI runs
// as a user runs it (a child process); while the candidate's test runs, the
// dev server is SIGKILLed, left down for 20 s and started again on the same
// SQLite file and port. The run goes on (its workers reconnect), and the CLI
// says once that it lost the server, then reports the run's real outcome:
// committed, exit 0, not "run … failed".
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queueNames } from '../../core/run/queues.js';
import { startDevServer, type DevServer } from '../../dev/dev-server.js';
import { startFakeOpenAI } from '../../dev/fake-openai.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { freePort } from '../../dev/ports.js';
import { installRuntime } from '../../worker/runtime.js';
import { createWorkers } from '../../worker/workers.js';
import { exampleRepo, gitLines, PROJECT_ROOT, uniquePrefix, waitFor, when } from '../helpers/harness.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-client-outage-'));
let server: DevServer | undefined;
afterAll(async () => {
  await server?.stop();
  await rm(scratch, { recursive: true, force: true });
});

async function running(cmd: string): Promise<boolean> {
  return (await execa('pgrep', ['-x', '-f', cmd], { reject: false })).exitCode === 0;
}

describe('a server outage under `ouro run --wait`', () => {
  it('the CLI rides out 20 s without its server and reports the committed run', async () => {
    installRuntime();
    const port = await freePort();
    const dbFile = join(scratch, 'temporal.sqlite');
    server = await startDevServer({ port, headless: true, dbFile });
    process.env.TEMPORAL_ADDRESS = server.address;
    const prefix = uniquePrefix();
    const fake = await startFakeOpenAI();
    const q = queueNames(prefix);
    const workers = await createWorkers([q.workflow, q.git, q.sandbox, q.draft.gpu], q, { shutdownGraceTime: '1 second' });
    const runningWorkers = workers.run();
    try {
      const repo = await exampleRepo();
      fake.script('r1c1', [{ content: GOOD_REPLY }]);
      const testSleep = `sleep 3.${Date.now() % 100000}${Math.floor(Math.random() * 9)}`;
      const id = `run-outage-${prefix}`;
      const cli = execa(
        'node',
        [
          join(PROJECT_ROOT, 'bin', 'ouro.js'),
          'run',
          repo,
          '--drafts',
          'gpu:1',
          '--base-url',
          fake.url,
          '--model',
          'fake-model',
          '--rounds',
          '1',
          '--bench-runs',
          '6',
          '--heartbeat',
          '3',
          '--test',
          `case "$PWD" in */r1c1) ${testSleep};; esac; ./node_modules/.bin/vitest run`,
          '--id',
          id,
          '--wait',
        ],
        { reject: false, env: { TEMPORAL_ADDRESS: server.address, OURO_QUEUE_PREFIX: prefix, OPENAI_API_KEY: '', CEREBRAS_API_KEY: '' } },
      );
      await waitFor(
        when(() => running(testSleep)),
        "the candidate's test",
        120_000,
        50,
      );
      server.process.kill('SIGKILL');
      await server.process.catch(() => {});
      await new Promise((r) => setTimeout(r, 20_000));
      server = await startDevServer({ port, headless: true, dbFile });
      const out = await cli;
      expect(out.stderr.match(/lost the Temporal server at 127\.0\.0\.1:\d+/g), out.stderr).toHaveLength(1);
      expect(out.stderr).toMatch(/retrying for up to 10 minutes/);
      expect(out.stderr).not.toMatch(/run .* failed/);
      expect(out.stdout, out.stderr).toMatch(/committed/);
      expect(out.exitCode, out.stdout + out.stderr).toBe(0);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${id}`)).toHaveLength(1);
    } finally {
      await workers.shutdown();
      await runningWorkers.catch(() => {});
      await workers.connection.close();
      await fake.close();
      await server?.stop();
      server = undefined;
    }
  }, 300_000);
});
