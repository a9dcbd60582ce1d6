import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOpenAI, type FakeOpenAI } from '../../dev/fake-openai.js';
import { GOOD_REPLY } from '../../dev/scripted-replies.js';
import { exampleRepo, gitLines, PROJECT_ROOT, queueNames, recordHistory, startWorkers, testClient, uniquePrefix, useSuiteServer } from '../helpers/harness.js';
import { freePort } from '../../dev/ports.js';
import { defaultPayloadConverter } from '@temporalio/common';
import type { EvalInput } from '../../core/eval/types.js';
import { scriptedRunArgs } from '../../dev/scripted-run.js';

// The `ouro` command as a user runs it: a child process, flags, exit codes, --json.
let fake: FakeOpenAI;
let prefix: string;
let address: string;
let stopWorkers: () => Promise<void>;

beforeAll(async () => {
  ({ address } = useSuiteServer());
  fake = await startFakeOpenAI();
  prefix = uniquePrefix();
  ({ stop: stopWorkers } = await startWorkers(queueNames(prefix)));
});

afterAll(async () => {
  await stopWorkers?.();
  await fake?.close();
});

function ouro(args: string[], env: Record<string, string> = {}) {
  return execa('node', [join(PROJECT_ROOT, 'bin', 'ouro.js'), ...args], {
    reject: false,
    env: { TEMPORAL_ADDRESS: address, OURO_QUEUE_PREFIX: prefix, OPENAI_API_KEY: '', CEREBRAS_API_KEY: '', ...env },
  });
}

describe('ouro CLI', () => {
  it('prints help for the program and for each command', async () => {
    const top = await ouro(['--help']);
    expect(top.exitCode).toBe(0);
    for (const cmd of ['run', 'status', 'list', 'cancel', 'hint', 'worker', 'dev']) expect(top.stdout).toContain(cmd);
    const run = await ouro(['run', '--help']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/--drafts <spec>/);
  });

  it('rejects bad input with exit code 2 and names the fix', async () => {
    const repo = await exampleRepo();
    const noGoal = await ouro(['run', repo, '--goal', '', '--drafts', 'gpu:1']);
    expect(noGoal.exitCode).toBe(2);
    expect(noGoal.stderr).toMatch(/--goal: a goal is required/);
    const badDrafts = await ouro(['run', repo, '--drafts', 'gpt:2']);
    expect(badDrafts.exitCode).toBe(2);
    expect(badDrafts.stderr).toMatch(/"gpt:2": expected provider\[:count\]/);
    // eval --redo: only with the id of an earlier eval, and only run outcomes.
    const [noId, notOutcome, empty] = await Promise.all([
      ouro(['eval', 'humaneval', '--redo', 'no-worker', '--no-preflight']),
      ouro(['eval', 'humaneval', '--id', 'e1', '--redo', 'no-worker,passed', '--no-preflight']),
      ouro(['eval', 'humaneval', '--id', 'e1', '--redo', ' , ', '--no-preflight']),
    ]);
    expect([noId.exitCode, notOutcome.exitCode, empty.exitCode]).toEqual([2, 2, 2]);
    expect(noId.stderr).toMatch(/--redo runs again rows of an earlier eval: give its --id/);
    expect(notOutcome.stderr).toMatch(/--redo: not a run outcome: passed \(one or more of no-worker, failed, /);
    expect(empty.stderr).toMatch(/--redo: no outcome given/);
    // --local-model: a catalogue name or a GGUF that exists, checked before any worker starts.
    const [badModel, noFile] = await Promise.all([ouro(['worker', '--local-model', 'qwen-9000']), ouro(['dev', '--local-model', '/nonexistent/x.gguf'])]);
    expect([badModel.exitCode, noFile.exitCode]).toEqual([2, 2]);
    expect(badModel.stderr).toMatch(
      /--local-model takes one of qwen2\.5-coder-1\.5b, qwen2\.5-coder-0\.5b, smollm2-135m or a path to a GGUF file; got qwen-9000/,
    );
    expect(noFile.stderr).toMatch(/got \/nonexistent\/x\.gguf/);
  });

  it('evolve: every search flag reaches the search, and a bad one is refused with exit 2', async () => {
    const repo = await exampleRepo();
    const search = ['evolve', repo, '--drafts', 'gpu:1', '--bench', 'node bench.js', '--no-preflight'];
    // --max-cost alone is a budget: refused only because the model has no price (the flag arrived).
    const cost = await ouro([...search, '--max-cost', '1']);
    expect(cost.exitCode).toBe(2);
    expect(cost.stderr).toMatch(/--max-cost needs a price for/);
    const cases: Array<[string[], RegExp]> = [
      [['--max-drafts', '3', '--features', 'colour'], /a feature is size, diff or metric:<name>/],
      [['--max-drafts', '3', '--features', 'size,size'], /a feature is named twice/],
      [['--max-drafts', '3', '--metric', 'a b'], /a metric name is letters, digits/],
      [['--max-drafts', '3', '--explore', '2'], /explore/],
      [['--max-drafts', '3', '--migrate-every', '-1'], /migrateEvery|migrate-every/],
    ];
    for (const [flags, message] of cases) {
      const r = await ouro([...search, ...flags]);
      expect(r.exitCode, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('eval judges a samples file on the queues of its OURO_QUEUE_PREFIX and prints the rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ouro-cli-samples-'));
    const file = join(dir, 'samples.jsonl');
    await writeFile(file, ['    return True\n', '    return False\n'].map((c) => JSON.stringify({ task_id: 'HumanEval/0', completion: c })).join('\n') + '\n');
    const r = await ouro(['eval', file, '--suite', 'humaneval', '--json', '--id', `cli-samples-${prefix}`, '--out', join(dir, 'rows.jsonl')]);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { results: string };
    const rows = (await readFile(out.results, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { sample: number; verdict: string });
    // Neither constant answer is right for every hidden check.
    expect(rows.map((row) => [row.sample, row.verdict]).sort()).toEqual([
      [0, 'failed'],
      [1, 'failed'],
    ]);
    // A built-in suite's runs cut a hanging test after 30 s, not the 300 s of a run.
    const started = await (await testClient()).workflow.getHandle(`cli-samples-${prefix}`).fetchHistory();
    const [input] = started.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads!.map((p) => defaultPayloadConverter.fromPayload<EvalInput>(p));
    expect(input!.run.timeouts.testSeconds).toBe(30);
  }, 60_000);

  it('refuses to start without a key or with an unreachable URL, before any workflow exists: bad input, exit 2', async () => {
    const repo = await exampleRepo();
    const noKey = await ouro(['run', repo, '--drafts', 'openai:1']);
    expect(noKey.exitCode).toBe(2);
    // The suite's worker answers for its queue: the key is missing where the drafts would run.
    expect(noKey.stderr).toMatch(/openai needs an API key, and OPENAI_API_KEY is not set on the worker: export it where the worker runs.*\[checked on worker /);
    const noCerebrasKey = await ouro(['run', repo, '--drafts', 'cerebras:1']);
    expect(noCerebrasKey.exitCode).toBe(2);
    expect(noCerebrasKey.stderr).toMatch(/cerebras needs an API key, and CEREBRAS_API_KEY is not set on the worker/);
    const deadPort = await freePort();
    const dead = await ouro(['run', repo, '--drafts', 'gpu:1', '--base-url', `http://127.0.0.1:${deadPort}/v1`]);
    expect(dead.exitCode).toBe(2);
    expect(dead.stderr).toMatch(/gpu: nothing answers at http:\/\/127\.0\.0\.1:\d+\/v1/);
    const list = await ouro(['list', '--repo', repo, '--json']);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('run --wait --json commits a fix that git log shows; status and list find the run', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: GOOD_REPLY }]);
    // The example's benchmark is part of the run; a few pairs do (up to the default 30 pairs took a minute here).
    const run = await ouro(['run', repo, ...scriptedRunArgs(fake.url, ['--bench-runs', '6', '--wait', '--json'])]);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result.candidates).toEqual([expect.objectContaining({ status: 'committed' })]);
    expect(run.exitCode).toBe(0);
    expect(result.outcome).toBe('committed');
    expect(await gitLines(repo, 'log', '--format=%H', '-1', result.branch)).toEqual([result.commitSha]);

    const status = await ouro(['status', result.workflowId, '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout).result.commitSha).toBe(result.commitSha);
    // The suite's server is headless: no link to a UI that is not there.
    const statusText = await ouro(['status', result.workflowId]);
    expect(statusText.stdout).toContain(`Web UI: none known for ${address} (`);
    expect(statusText.stdout).not.toContain('8233');

    // Visibility is eventually consistent: give the list a moment.
    let listed: Array<{ workflowId: string; outcome: string }> = [];
    for (let i = 0; i < 20 && !listed.some((r) => r.outcome === 'committed'); i++) {
      listed = JSON.parse((await ouro(['list', '--repo', repo, '--json'])).stdout);
      if (!listed.some((r) => r.outcome === 'committed')) await new Promise((r) => setTimeout(r, 250));
    }
    expect(listed).toEqual([expect.objectContaining({ workflowId: result.workflowId, outcome: 'committed' })]);
    // As a person reads it: headed columns, and how long the run took.
    const table = (await ouro(['list', '--repo', repo])).stdout.trimEnd().split('\n');
    expect(table[0]).toMatch(/^RUN +STATE +OUTCOME +ROUND +BEST +STARTED +DURATION$/);
    expect(table[1]).toMatch(new RegExp(`^${result.workflowId} +COMPLETED +committed +1 .* \\d+(m \\d\\d)?s$`));
  });

  it('exits 3 when no candidate passes, and 1 for an unknown run id', async () => {
    const repo = await exampleRepo();
    fake.script('r1c1', [{ content: 'no edits here' }]);
    const run = await ouro(['run', repo, '--drafts', 'gpu:1', '--base-url', fake.url, '--model', 'fake-model', '--rounds', '1', '--wait']);
    expect(run.exitCode).toBe(3);
    // Every queue it needs is served: no warning.
    expect(run.stderr).not.toMatch(/no worker has polled/);
    expect(run.stdout).toMatch(/outcome: no-candidate-passed/);
    expect(run.stdout).toMatch(/r1c1 .* malformed/);
    const missing = await ouro(['status', 'no-such-run']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no run with id no-such-run/);
  });

  it('warns before starting when no worker serves a draft queue, and the run ends no-worker (exit 6) after --queue-wait', async () => {
    // Workers for everything but the gpu drafts' queue.
    const lonely = uniquePrefix();
    const q = queueNames(lonely);
    const { stop } = await startWorkers(q, [q.workflow, q.git, q.sandbox]);
    try {
      const repo = await exampleRepo();
      const id = `no-worker-${lonely}`;
      const started = Date.now();
      const run = await ouro(
        ['run', repo, '--drafts', 'gpu:2', '--base-url', fake.url, '--model', 'fake-model', '--rounds', '3', '--queue-wait', '3', '--id', id, '--wait'],
        { OURO_QUEUE_PREFIX: lonely },
      );
      expect(run.stderr).toMatch(/no worker has polled this task queue lately/);
      expect(run.stderr).toContain(`${q.draft.gpu} (gpu drafts): its drafts wait 3 s, then the run ends no-worker`);
      expect(run.stderr).not.toContain(q.sandbox);
      expect(run.exitCode).toBe(6);
      expect(run.stdout).toMatch(/outcome: no-worker/);
      // Round 2 found its one queue unserved and drafted nothing: one round, not two.
      expect(run.stdout).toMatch(/^rounds: {2}1, /m);
      // The workflow's own result (--json, the Web UI) counts it so too, not only the CLI's text.
      expect(((await (await testClient()).workflow.getHandle(id).result()) as { rounds: number }).rounds).toBe(1);
      expect(run.stdout).toContain(`why:     no worker took the draft from task queue ${q.draft.gpu} within 3 s`);
      // One round's wait, not three: the later rounds leave the unserved slot out.
      expect(Date.now() - started).toBeLessThan(45_000);
      expect([...new Set(run.stdout.match(/r\dc\d/g))].sort()).toEqual(['r1c1', 'r1c2']);
      expect(await gitLines(repo, 'branch', '--list', 'ouro/*')).toEqual([]);
      await recordHistory((await testClient()).workflow.getHandle(id), 'no-worker');
    } finally {
      await stop();
    }
  });
});
