// On the cluster, the server process is SIGKILLed mid-run and started again on
// the same PostgreSQL database: the run goes on and commits exactly once. (The
// dev-server suite does the same with its SQLite file: test/long/server-restart.test.ts.)
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { startTemporalServer, stopTemporalServer } from '../../dev/cluster.js';
import {
  exampleRepo,
  gitLines,
  resultOf,
  startTestRun,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSharedWorkers,
  waitFor,
  when,
} from '../helpers/harness.js';

const prefix = uniquePrefix();
useSharedWorkers(prefix);
const fake = useFakeProvider();

async function running(cmd: string): Promise<boolean> {
  return (await execa('pgrep', ['-x', '-f', cmd], { reject: false })).exitCode === 0;
}

describe('the cluster server restarted', () => {
  it("a run survives the Temporal server process SIGKILLed during the candidate's test: one commit", async () => {
    const root = inject('clusterRoot');
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: GOOD_REPLY }]);
    const testSleep = `sleep 3.${Date.now() % 100000}`;
    const input = testInput(repo, prefix, fake.url, {
      drafts: 'gpu:1',
      heartbeat: 5,
      test: `case "$PWD" in */r1c1) ${testSleep};; esac; ./node_modules/.bin/vitest run`,
    });
    const handle = await startTestRun(input, `cluster-restart-${prefix}`);
    await waitFor(
      when(() => running(testSleep)),
      "the candidate's test",
      90_000,
      50,
    );
    await stopTemporalServer(root, 'SIGKILL');
    const down = Date.now();
    await startTemporalServer(root);
    process.stderr.write(`[cluster] server back in ${((Date.now() - down) / 1000).toFixed(1)} s\n`);
    const result = await resultOf(handle);
    expect(result.outcome).toBe('committed');
    expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`)).toHaveLength(1);
    expect(await gitLines(repo, 'rev-list', `main..${result.branch}`)).toEqual([result.commitSha]);
  }, 300_000);
});
