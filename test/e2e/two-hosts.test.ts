// Sandbox hosts that do not hold the repository, the way two machines would:
// the git worker (in this process) holds the repository; two sandbox workers,
// each in its own process and mount namespace with a tmpfs over the
// repository's folder (they cannot read it), with their own workspace and
// mirror folders, fetch it over git:// from a `git daemon` and rebuild each
// candidate from its patch. Candidates are tested on both; one sandbox worker
// is SIGKILLed mid-test and the other finishes; exactly one commit. A release
// train does the same: its integrated commits are tested and benchmarked on a
// sandbox host that cannot read the repository.
import { execa, type ResultPromise } from 'execa';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../dev/ports.js';
import type { HistoryEvent } from '../helpers/harness.js';
import {
  gitLines,
  historyOf,
  PROJECT_ROOT,
  queueNames,
  recordHistory,
  resultOf,
  startedActivities,
  startTestRun,
  startWorkers,
  testClient,
  testInput,
  uniquePrefix,
  useFakeProvider,
  useSuiteServer,
  waitFor,
  when,
} from '../helpers/harness.js';
import { portOpen } from '../../dev/dev-server.js';
import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { addTasks, startTrain, trainInput, trainResult } from '../helpers/train.js';

const TAP_CHECK =
  'if grep -qx fixed flag.txt; then printf "# pass 1\\n# fail 0\\n"; else printf "flag.txt is not fixed\\n# pass 0\\n# fail 1\\n"; exit 1; fi\n';
const usable = process.getuid?.() === 0 && (await execa('unshare', ['-m', 'true'], { reject: false })).exitCode === 0;
if (!usable) console.warn('two-hosts.test.ts: skipped (needs root to give each sandbox worker its own mount namespace)');

const fake = useFakeProvider();
let scratch: string;
let repo: string;
let daemon: ResultPromise | undefined;
let source: string;

/** A repository of one commit holding `files`, in the folder the git daemon serves. */
async function servedRepo(dir: string, files: Record<string, string>, message: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const git = (...a: string[]) => execa('git', a, { cwd: dir });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', message);
  return dir;
}

beforeAll(async () => {
  useSuiteServer();
  scratch = await mkdtemp(join(tmpdir(), 'ouro-two-hosts-'));
  repo = await servedRepo(join(scratch, 'served', 'app'), { 'flag.txt': 'broken\n', 'check.sh': TAP_CHECK }, 'broken flag');
  const port = await freePort();
  daemon = execa('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${dirname(repo)}`, '--listen=127.0.0.1', `--port=${port}`, dirname(repo)], {
    reject: false,
  });
  await waitFor(
    when(() => portOpen(port)),
    'git daemon',
  );
  source = `git://127.0.0.1:${port}/${basename(repo)}`;
});

afterAll(async () => {
  daemon?.kill('SIGTERM');
  await daemon;
  await rm(scratch, { recursive: true, force: true });
});

/** A sandbox worker on "another host": its own folders, and the served repositories' folder hidden under a tmpfs. */
function sandboxHost(prefix: string, name: string): ResultPromise {
  const root = join(scratch, name);
  const script = `mount -t tmpfs -o size=1m none '${dirname(repo)}' && exec node --import tsx '${join(PROJECT_ROOT, 'worker', 'main.ts')}' '${queueNames(prefix).sandbox}'`;
  return execa('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
    cwd: PROJECT_ROOT,
    env: {
      OURO_QUEUE_PREFIX: prefix,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      OURO_LOG_LEVEL: 'ERROR',
      OURO_WORKSPACE_ROOT: join(root, 'workspaces'),
      OURO_MIRROR_ROOT: join(root, 'mirrors'),
      OURO_SANDBOX_CONCURRENCY: '1',
    },
    reject: false,
    all: true,
  });
}

// CommonJS: its namespaces come through the default export.
const { TaskQueueType, TaskQueueKind } = proto.temporal.api.enums.v1;

/** How many workers recently polled an activity queue (Temporal lists each poller by its identity). */
async function sandboxPollers(queue: string): Promise<number> {
  const client = await testClient();
  const res = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: queue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return new Set((res.pollers ?? []).map((p) => p.identity)).size;
}

/** The workers that ran the last attempt of each retried test (history keeps only a retried activity's last attempt). */
function retriedTestsRanOn(events: HistoryEvent[]): string[] {
  const scheduled = new Map<string, string>();
  for (const e of events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a) scheduled.set(String(e.eventId), a.activityType?.name ?? '');
  }
  return events.flatMap((e) => {
    const s = e.activityTaskStartedEventAttributes;
    return s && scheduled.get(String(s.scheduledEventId)) === 'runTests' && (s.attempt ?? 1) > 1 ? [s.identity ?? ''] : [];
  });
}

describe.skipIf(!usable)('sandbox hosts without the repository', () => {
  it('a run whose candidates are rebuilt and tested on two such hosts, one SIGKILLed mid-test: one commit', async () => {
    const prefix = uniquePrefix();
    const q = queueNames(prefix);
    // The git host: workflows, git and drafts, where the repository is.
    const gitHost = await startWorkers(q, [q.workflow, q.git, q.draft.gpu]);
    const hostA = sandboxHost(prefix, 'host-a');
    const hostB = sandboxHost(prefix, 'host-b');
    try {
      // Both hosts polling before the run starts: a late one would leave both tests to the other, one after the other.
      await waitFor(async () => ((await sandboxPollers(q.sandbox)) >= 2 ? true : undefined), 'both sandbox hosts polling', 60_000);
      // The right fix from every draft; each candidate's test announces itself and takes a while.
      fake.setDefault(() => ({ content: 'flag.txt\n```\nfixed\n```\n' }));
      const token = `${Date.now() % 100000}`;
      const test = `case "$PWD" in */r1c*) sleep 4.${token};; esac; sh check.sh`;
      const input = testInput(repo, prefix, fake.url, { drafts: 'gpu:2', heartbeat: 3, test, source, editFormat: 'whole-file', files: 'flag.txt' });
      const handle = await startTestRun(input, `two-hosts-${prefix}`);
      // Both candidates' tests at once, so one on each host (each has one slot).
      await waitFor(
        async () => ((await execa('pgrep', ['-c', '-x', '-f', `sleep 4.${token}`], { reject: false })).stdout.trim() === '2' ? true : undefined),
        'a candidate test on each sandbox host',
        60_000,
        50,
      );
      hostA.kill('SIGKILL');
      const killed = await hostA;
      expect(killed.signal).toBe('SIGKILL');
      const result = await resultOf(handle);
      expect(result.outcome).toBe('committed');
      // Exactly one commit, on the run's branch, holding the fix.
      expect(await gitLines(repo, 'log', '--all', '--format=%H', `--grep=Ouro-Run: ${handle.workflowId}`)).toHaveLength(1);
      expect(await gitLines(repo, 'show', `${result.branch}:flag.txt`)).toEqual(['fixed']);
      // The killed host's test ran again on the other (history keeps a retried activity's last attempt only).
      const retriedOn = retriedTestsRanOn(await historyOf(handle));
      expect(retriedOn.length).toBeGreaterThanOrEqual(1);
      for (const identity of retriedOn) expect(identity.startsWith(`${hostB.pid}@`), identity).toBe(true);
      // Each host rebuilt workspaces from its own mirror, fetched over git://, and cleaned them up.
      for (const host of ['host-a', 'host-b']) {
        expect((await readdir(join(scratch, host, 'mirrors'))).filter((m) => m.endsWith('.git'))).toHaveLength(1);
      }
      // No workspace is left on the surviving host: only the base's recorded tests.
      const left = await readdir(join(scratch, 'host-b', 'workspaces', handle.workflowId, 'sandbox'));
      expect(left.filter((f) => !/^base-tests-[0-9a-f]{40}\.json$/.test(f))).toEqual([]);
      // Candidates as patches, a test retried on another host: replayed in CI from now on.
      await recordHistory(handle, 'two-hosts');
    } finally {
      hostB.kill('SIGTERM');
      await hostB;
      await gitHost.stop();
    }
  }, 240_000);

  it('a release train tests and benchmarks its integrated commits on such a host: released', async () => {
    const prefix = uniquePrefix();
    const q = queueNames(prefix);
    const app = await servedRepo(
      join(dirname(repo), 'trainapp'),
      {
        'flag.txt': 'fixed\n',
        'notes.txt': 'old\n',
        'check.sh': TAP_CHECK,
        // A steady metric: the benchmark's verdict (no change) cannot turn on this machine's noise.
        'bench.sh': `echo '{"name": "bytes", "value": 100, "unit": "B"}'\n`,
        'ouro.config.json': JSON.stringify({
          test: 'sh check.sh',
          bench: 'sh bench.sh',
          benchMode: 'metrics',
          benchRuns: 4,
          files: ['notes.txt'],
          source: `${dirname(source)}/trainapp`,
          linkPaths: [],
        }),
      },
      'notes',
    );
    await addTasks(app, [{ id: 'notes', goal: '[N] Update the notes', files: ['notes.txt'] }]);
    const gitHost = await startWorkers(q, [q.workflow, q.git, q.draft.gpu]);
    const host = sandboxHost(prefix, 'train-host');
    try {
      fake.setDefault(() => ({ content: 'notes.txt\n```\nnew\n```\n' }));
      const handle = await startTrain(trainInput(app, prefix, fake.url, { run: { editFormat: 'whole-file' } }));
      const result = await trainResult(handle);
      expect(result.outcome, result.reason).toBe('released');
      expect(await gitLines(app, 'show', 'v0.1.0:notes.txt')).toEqual(['new']);
      // The train's own tests (the integrated change, the release suite) and its benchmark ran on that host, given as
      // data: the integrated head (the release commit's parent), against the base the train started from.
      const [head] = await gitLines(app, 'rev-parse', 'v0.1.0^');
      const [base] = await gitLines(app, 'rev-parse', 'main');
      const events = await historyOf(handle);
      const requests = (type: string) =>
        startedActivities(events, type).map((s) => {
          expect(s.identity.startsWith(`${host.pid}@`), s.identity).toBe(true);
          const [payload] = s.scheduled.activityTaskScheduledEventAttributes?.input?.payloads ?? [];
          return defaultPayloadConverter.fromPayload<Record<string, { source?: string; baseSha?: string } | undefined>>(payload!);
        });
      const tests = requests('runTests');
      expect(tests).toHaveLength(2);
      for (const t of tests) expect([t.dir, t.workspace?.source, t.workspace?.baseSha]).toEqual([undefined, `${dirname(source)}/trainapp`, head]);
      const [bench, ...more] = requests('runBenchmark');
      expect(more).toEqual([]);
      expect([bench!.candidateDir, bench!.candidateWorkspace?.baseSha, bench!.baseWorkspace?.baseSha]).toEqual([undefined, head, base]);
      // The commits it pinned for the hosts are gone with it.
      expect(await gitLines(app, 'for-each-ref', 'refs/ouro/trains')).toEqual([]);
      await recordHistory(handle, 'train-two-hosts');
    } finally {
      host.kill('SIGTERM');
      await host;
      await gitHost.stop();
    }
  }, 240_000);
});
