import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { SelfCodingWorkflow } from '../../workflows/self-coding/workflow.js';
import { buildRunInput } from '../../core/run/input.js';
import type { RunInput } from '../../core/run/types.js';
import { OURO_BEST_SPEEDUP, OURO_OUTCOME, OURO_PROVIDERS, OURO_REPO, OURO_ROUND } from '../../core/run/search-attributes.js';
import { CliError, connectClient, parsedInput, webUiLink } from '../client.js';
import { readRepoConfig } from '../repo-config.js';
import { preflight } from '../preflight.js';
import { askWorkers } from '../provider-check.js';
import { checkLocalModel } from '../local-check.js';
import { printJson } from '../render.js';
import { follow } from './follow.js';
import { warnUnservedQueues } from '../queue-check.js';
import { editableInstallWarnings } from '../../adapters/sandbox/editable-check.js';

export interface RunOptions {
  goal?: string;
  files?: string;
  test?: string;
  bench?: string;
  drafts?: string;
  model?: string;
  baseUrl?: string;
  editFormat?: string;
  temperature?: string;
  rounds?: string;
  base?: string;
  branch?: string;
  speedup?: string;
  benchRuns?: string;
  benchMode?: string;
  tolerance?: string;
  testTimeout?: string;
  heartbeat?: string;
  queueWait?: string;
  source?: string;
  hint?: string[];
  fix?: boolean;
  writable?: string;
  link?: string[];
  copy?: string[];
  requireReliable?: boolean;
  maxReplyKb?: string;
  id?: string;
  preflight: boolean;
  wait?: boolean;
  json?: boolean;
}

export function newRunId(repo: string): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `ouro-${basename(repo).replace(/[^A-Za-z0-9_-]/g, '')}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export async function resolveRunInput(repoArg: string | undefined, o: RunOptions): Promise<RunInput> {
  const repo = resolve(repoArg ?? '.');
  if (!existsSync(repo)) throw new CliError(`repository not found: ${repo}`, 2);
  const config = await readRepoConfig(repo);
  return parsedInput(() =>
    buildRunInput(
      {
        repo,
        goal: o.goal,
        files: o.files,
        test: o.test,
        bench: o.bench,
        drafts: o.drafts,
        model: o.model,
        baseUrl: o.baseUrl,
        editFormat: o.editFormat,
        temperature: o.temperature,
        rounds: o.rounds,
        base: o.base,
        branch: o.branch,
        speedup: o.speedup,
        benchRuns: o.benchRuns,
        benchMode: o.benchMode,
        tolerance: o.tolerance,
        testTimeout: o.testTimeout,
        heartbeat: o.heartbeat,
        queueWait: o.queueWait,
        source: o.source,
        hints: o.hint,
        fix: o.fix,
        writable: o.writable,
        link: o.link,
        copy: o.copy,
        requireReliable: o.requireReliable,
        maxReplyKb: o.maxReplyKb,
        queuePrefix: process.env.OURO_QUEUE_PREFIX,
      },
      config,
      process.env,
      { mayChooseFiles: true },
    ),
  );
}

export async function startRun(client: Client, input: RunInput, workflowId: string) {
  const providers = [...new Set(input.drafts.map((d) => d.provider))];
  const slots = input.drafts.map((d) => `${d.count}× ${d.provider}/${d.model}`).join(', ');
  return client.workflow.start<typeof SelfCodingWorkflow>('SelfCodingWorkflow', {
    taskQueue: input.queues.workflow,
    workflowId,
    args: [input],
    typedSearchAttributes: [
      { key: OURO_REPO, value: input.repo },
      { key: OURO_OUTCOME, value: 'running' },
      { key: OURO_ROUND, value: 0 },
      { key: OURO_BEST_SPEEDUP, value: 0 },
      { key: OURO_PROVIDERS, value: providers },
    ],
    staticSummary: `${input.goal.split('\n')[0]!.slice(0, 100)} · ${basename(input.repo)}`,
    staticDetails: [
      `**repo** \`${input.repo}\` at \`${input.baseRef}\``,
      `**goal** ${input.goal}`,
      `**files** ${input.files.length ? input.files.join(', ') : 'none named: Ouro chooses them once the base tests ran (see the details)'}`,
      `**tests** \`${input.testCommand}\`${input.benchCommand ? ` · **bench** \`${input.benchCommand}\`` : ''}`,
      `**drafts per round** ${slots} · **rounds** ${input.maxRounds}${input.speedupGoal ? ` · **speedup goal** ${input.speedupGoal}×` : ''}`,
    ].join('\n\n'),
  });
}

export async function runCommand(repoArg: string | undefined, o: RunOptions): Promise<number> {
  const resolved = await resolveRunInput(repoArg, o);
  for (const w of editableInstallWarnings(resolved.testCommand, process.env.PATH ?? '', resolved.repo)) process.stderr.write(`ouro: warning: ${w}\n`);
  const client = await connectClient();
  // --json keeps stderr for what needs the user: the worker's all-clear is not said, its warnings are.
  const say = (line: string) => (!o.json || line.startsWith('warning:') ? process.stderr.write(`ouro: ${line}\n`) : undefined);
  // The preflight's answer carries the embedded model's window from the worker that runs it.
  const input = o.preflight
    ? { ...resolved, drafts: await preflight(resolved.drafts, process.env, checkLocalModel, askWorkers(client, resolved.queues), say) }
    : resolved;
  const unserved = await warnUnservedQueues(client, input);
  if (unserved) process.stderr.write(`${unserved}\n`);
  const workflowId = o.id ?? newRunId(input.repo);
  const handle = await startRun(client, input, workflowId);
  const link = webUiLink(workflowId, client.options.namespace);
  if (!o.wait) {
    if (o.json) printJson({ workflowId, runId: handle.firstExecutionRunId, webUi: link });
    else process.stdout.write(`started ${workflowId}\nWeb UI: ${link}\nfollow: ouro status ${workflowId} --wait\n`);
    return 0;
  }
  if (!o.json) process.stdout.write(`started ${workflowId}\nWeb UI: ${link}\n`);
  return follow(client, workflowId, { json: o.json });
}
