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
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { scriptedRunArgs } from '../../dev/scripted-run.js';
import { exampleRepo, gitLines, pidOf, PROJECT_ROOT, waitFor, when } from '../helpers/harness.js';
import { withDevServerAndWorkers } from '../helpers/own-server.js';

const scratch = await mkdtemp(join(tmpdir(), 'ouro-client-outage-'));
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('a server outage under `ouro run --wait`', () => {
  it('the CLI rides out 20 s without its server and reports the committed run', async () => {
    await withDevServerAndWorkers(scratch, async ({ address, prefix, fake, restart }) => {
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
          ...scriptedRunArgs(fake.url, ['--bench-runs', '6', '--heartbeat', '3', '--id', id, '--wait']),
          '--test',
          `case "$PWD" in */r1c1) ${testSleep};; esac; ./node_modules/.bin/vitest run`,
        ],
        { reject: false, env: { TEMPORAL_ADDRESS: address, OURO_QUEUE_PREFIX: prefix, OPENAI_API_KEY: '', CEREBRAS_API_KEY: '' } },
      );
      await waitFor(
        when(async () => (await pidOf(testSleep)) > 0),
        "the candidate's test",
        120_000,
        50,
      );
      await restart({ kill: true, downMs: 20_000 });
      const out = await cli;
      expect(out.stderr.match(/lost the Temporal server at 127\.0\.0\.1:\d+/g), out.stderr).toHaveLength(1);
      expect(out.stderr).toMatch(/retrying for up to 10 minutes/);
      expect(out.stderr).not.toMatch(/run .* failed/);
      expect(out.stdout, out.stderr).toMatch(/committed/);
      expect(out.exitCode, out.stdout + out.stderr).toBe(0);
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${id}`)).toHaveLength(1);
    });
  }, 300_000);
});
