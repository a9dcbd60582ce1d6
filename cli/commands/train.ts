// `ouro train …`: release trains are Temporal Schedules whose action is a
// ReleaseTrainWorkflow; the backlog is a file next to the repository's git
// data. Everything here is a thin shell over the client and lib/.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  WorkflowUpdateFailedError,
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
} from '@temporalio/client';
import { readBacklog, updateBacklog } from '../../adapters/stores/backlog-store.js';
import { gitOk } from '../../adapters/git/git.js';
import { addTask, requeueTask, TaskSpecSchema } from '../../core/train/backlog.js';
import { parseDuration } from '../../core/run/duration.js';
import { describeRide } from '../../core/train/release-notes.js';
import { buildTrainInput, SCHEDULE_PREFIX, scheduleId } from '../../core/train/input.js';
import type { TrainInput, TrainResult, TrainState } from '../../core/train/types.js';
import { trainDecisionUpdate, trainStatusQuery } from '../../workflows/definitions.js';
import { OURO_TRAIN } from '../../core/run/search-attributes.js';
import { CliError, connectClient, parsedInput, webUiLink } from '../client.js';
import { printJson } from '../render.js';

async function repoPath(repo: string | undefined): Promise<string> {
  const path = resolve(repo ?? '.');
  if (!existsSync(path)) throw new CliError(`repository not found: ${path}`, 2);
  if (!(await gitOk(path, ['rev-parse', '--git-dir']))) throw new CliError(`not a git repository: ${path}`, 2);
  return path;
}

/** The train's schedule and its description (which also proves it exists). */
async function schedule(client: Client, name: string): Promise<{ handle: ScheduleHandle; described: ScheduleDescription }> {
  const handle = client.schedule.getHandle(scheduleId(name));
  try {
    return { handle, described: await handle.describe() };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new CliError(`no train named "${name}" (ouro train list shows them)`, 2);
    throw err;
  }
}

// ---- backlog ----

export interface AddOptions {
  goal?: string;
  files?: string;
  test?: string;
  bench?: string;
  benchMode?: string;
  speedup?: string;
  fix?: boolean;
  drafts?: string;
  rounds?: string;
  priority?: string;
  id?: string;
  json?: boolean;
}

export async function trainAddCommand(repoArg: string | undefined, o: AddOptions): Promise<number> {
  const repo = await repoPath(repoArg);
  const spec = parsedInput(() =>
    TaskSpecSchema.parse({
      id: o.id,
      goal: o.goal,
      files: o.files,
      test: o.test,
      bench: o.bench,
      benchMode: o.benchMode,
      fix: o.fix,
      drafts: o.drafts,
      speedup: o.speedup === undefined ? undefined : Number(o.speedup),
      rounds: o.rounds === undefined ? undefined : Number(o.rounds),
      priority: o.priority === undefined ? undefined : Number(o.priority),
    }),
  );
  const id = spec.id ?? `task-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(2).toString('hex')}`;
  await updateBacklog(repo, (b) => {
    try {
      return { backlog: addTask(b, spec, { id, now: new Date(), source: 'cli' }), value: undefined };
    } catch (err) {
      throw new CliError((err as Error).message, 2);
    }
  });
  if (o.json) printJson({ id });
  else process.stdout.write(`added ${id} (priority ${spec.priority}) to the backlog of ${repo}\n`);
  return 0;
}

export async function trainBacklogCommand(repoArg: string | undefined, o: { json?: boolean; requeue?: string }): Promise<number> {
  const repo = await repoPath(repoArg);
  if (o.requeue) {
    const id = o.requeue;
    await updateBacklog(repo, (b) => {
      try {
        return { backlog: requeueTask(b, id), value: undefined };
      } catch (err) {
        throw new CliError((err as Error).message, 2);
      }
    });
  }
  const backlog = await readBacklog(repo);
  if (o.json) {
    printJson(backlog);
    return 0;
  }
  if (backlog.tasks.length === 0) process.stdout.write('the backlog is empty (ouro train add adds a task; so does ouro.backlog.json in the repository)\n');
  for (const t of backlog.tasks) {
    const last = t.history.at(-1);
    process.stdout.write(
      `${t.id.padEnd(24)} ${t.state.padEnd(8)} p${t.priority} tries ${t.attempts}  ${t.goal.slice(0, 60)}${t.release ? `  → ${t.release}` : ''}\n`,
    );
    if (last && t.state !== 'released') process.stdout.write(`${' '.repeat(26)}last: ${last.result} — ${last.reason.split('\n')[0]!.slice(0, 100)}\n`);
  }
  return 0;
}

// ---- schedules ----

export interface CreateOptions {
  repo?: string;
  every?: string;
  cron?: string;
  releaseBranch?: string;
  base?: string;
  parallel?: string;
  maxTasks?: string;
  maxAttempts?: string;
  bump?: string;
  approval?: boolean;
  approvalTimeout?: string;
  reminder?: string;
  drafts?: string;
  model?: string;
  baseUrl?: string;
  rounds?: string;
  test?: string;
  bench?: string;
  benchMode?: string;
  source?: string;
  paused?: boolean;
  json?: boolean;
}

export async function trainInputFromOptions(name: string, o: CreateOptions): Promise<TrainInput> {
  const repo = await repoPath(o.repo);
  return parsedInput(() =>
    buildTrainInput({
      name,
      repo,
      releaseBranch: o.releaseBranch,
      base: o.base,
      parallel: o.parallel,
      maxTasks: o.maxTasks,
      maxAttempts: o.maxAttempts,
      bump: o.bump as never,
      approval: o.approval,
      approvalTimeout: o.approvalTimeout,
      reminder: o.reminder,
      queuePrefix: process.env.OURO_QUEUE_PREFIX,
      run: { drafts: o.drafts, model: o.model, baseUrl: o.baseUrl, rounds: o.rounds, test: o.test, bench: o.bench, benchMode: o.benchMode, source: o.source },
    }),
  );
}

export async function trainCreateCommand(name: string, o: CreateOptions): Promise<number> {
  if (!o.every && !o.cron) throw new CliError('when should the train depart? --every 6h or --cron "0 6 * * 1-5"', 2);
  if (o.every && parseDuration(o.every) === undefined) throw new CliError(`--every: expected a duration such as 30m, 6h or 1d, got "${o.every}"`, 2);
  const input = await trainInputFromOptions(name, o);
  const client = await connectClient();
  await client.schedule
    .create({
      scheduleId: scheduleId(name),
      spec: o.every ? { intervals: [{ every: `${parseDuration(o.every)!}s` }] } : { cronExpressions: [o.cron!] },
      action: {
        type: 'startWorkflow',
        workflowType: 'ReleaseTrainWorkflow',
        workflowId: scheduleId(name),
        taskQueue: input.queues.workflow,
        args: [input],
        typedSearchAttributes: [{ key: OURO_TRAIN, value: name }],
      },
      // Two trains never integrate at once: a departure while one runs is skipped, not queued.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
      state: { paused: !!o.paused, note: o.paused ? 'created paused' : undefined },
    })
    .catch((err: Error) => {
      if (/already/i.test(err.message)) throw new CliError(`a train named "${name}" exists already`, 2);
      throw err;
    });
  if (o.json) printJson({ schedule: scheduleId(name), input });
  else {
    process.stdout.write(
      `train ${name} created: departs ${o.every ? `every ${o.every}` : `on "${o.cron}"`}${o.paused ? ' (paused)' : ''}; releases to ${input.releaseBranch}\n`,
    );
    process.stdout.write(`schedule: ${webUiLink(scheduleId(name)).replace('/workflows/', '/schedules/')}\n`);
  }
  return 0;
}

export async function trainListCommand(o: { json?: boolean }): Promise<number> {
  const client = await connectClient();
  const rows = [];
  for await (const s of client.schedule.list()) {
    if (!s.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
    rows.push({
      name: s.scheduleId.slice(SCHEDULE_PREFIX.length),
      paused: s.state.paused,
      note: s.state.note,
      next: s.info.nextActionTimes[0]?.toISOString(),
      recent: s.info.recentActions.at(-1)?.action.workflow.workflowId,
    });
  }
  if (o.json) printJson(rows);
  else if (rows.length === 0) process.stdout.write('no trains (ouro train create NAME --repo PATH --every 6h)\n');
  else for (const r of rows) process.stdout.write(`${r.name.padEnd(20)} ${r.paused ? 'paused ' : 'active '} next ${r.next ?? '-'}  last ${r.recent ?? '-'}\n`);
  return 0;
}

/** The train workflow this schedule is running now, if any. */
async function runningTrain(client: Client, d: ScheduleDescription): Promise<string | undefined> {
  // runningActions can lag behind a fresh departure: check the latest one's own status too
  // (with overlap SKIP, no older departure can still be running).
  const latest = d.info.recentActions.at(-1)?.action.workflow.workflowId;
  const ids = [...d.info.runningActions.map((a) => a.workflow.workflowId), ...(latest ? [latest] : [])];
  for (const id of ids) {
    const status = await client.workflow
      .getHandle(id)
      .describe()
      .then(
        (w) => w.status.name,
        () => undefined,
      );
    if (status === 'RUNNING') return id;
  }
  return undefined;
}

export async function trainStatusCommand(name: string, o: { json?: boolean }): Promise<number> {
  const client = await connectClient();
  const { described: d } = await schedule(client, name);
  const running = await runningTrain(client, d);
  const last = running ?? d.info.recentActions.at(-1)?.action.workflow.workflowId;
  let state: (TrainState & { name: string; trainId: string }) | undefined;
  if (last)
    state = await client.workflow
      .getHandle(last)
      .query(trainStatusQuery)
      .catch(() => undefined);
  if (o.json) {
    printJson({
      name,
      paused: d.state.paused,
      note: d.state.note,
      next: d.info.nextActionTimes[0],
      running,
      skippedOverlap: d.info.numActionsSkippedOverlap,
      train: state,
    });
    return 0;
  }
  process.stdout.write(
    `train ${name}: ${d.state.paused ? `paused${d.state.note ? ` (${d.state.note})` : ''}` : 'active'}; next departure ${d.info.nextActionTimes[0]?.toISOString() ?? '-'}\n`,
  );
  if (!state) {
    process.stdout.write('no train has departed yet (ouro train trigger departs one now)\n');
    return 0;
  }
  process.stdout.write(
    `${running ? 'running' : 'last'}: ${state.trainId}  stage ${state.stage}${state.outcome ? `, outcome ${state.outcome}` : ''}${state.tag ? `, ${state.tag}` : ''}\n`,
  );
  for (const r of state.rides) process.stdout.write(`  ${describeRide(r)}\n`);
  if (state.stage === 'awaiting-approval') process.stdout.write(`waiting for approval: ouro train approve ${name} | ouro train reject ${name} --reason "…"\n`);
  process.stdout.write(`${webUiLink(state.trainId)}\n`);
  return 0;
}

export async function trainPauseCommand(name: string, pause: boolean, o: { note?: string }): Promise<number> {
  const client = await connectClient();
  const { handle } = await schedule(client, name);
  if (pause) await handle.pause(o.note ?? 'paused from the ouro CLI');
  else await handle.unpause(o.note ?? 'resumed from the ouro CLI');
  process.stdout.write(`train ${name} ${pause ? 'paused' : 'resumed'}\n`);
  return 0;
}

export async function trainTriggerCommand(name: string): Promise<number> {
  const client = await connectClient();
  const { handle } = await schedule(client, name);
  // The client's trigger() defaults to ALLOW_ALL (and the scheduler then does not even track the run):
  // ask for SKIP explicitly, so a train already under way is never doubled.
  await handle.trigger(ScheduleOverlapPolicy.SKIP);
  process.stdout.write(`train ${name}: departure requested (skipped if a train of ${name} is still running)\n`);
  return 0;
}

export async function trainBackfillCommand(name: string, o: { from: string; to: string }): Promise<number> {
  const start = new Date(o.from);
  const end = new Date(o.to);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start)
    throw new CliError('--from and --to must be ISO times with --from before --to', 2);
  const client = await connectClient();
  await (await schedule(client, name)).handle.backfill([{ start, end, overlap: ScheduleOverlapPolicy.BUFFER_ONE }]);
  process.stdout.write(
    `train ${name}: departures due between ${start.toISOString()} and ${end.toISOString()} requested; one runs at a time and at most one more waits behind it (buffer-one), the rest are skipped\n`,
  );
  return 0;
}

export async function trainDecideCommand(name: string, approve: boolean, o: { reason?: string; by?: string }): Promise<number> {
  const client = await connectClient();
  const id = await runningTrain(client, (await schedule(client, name)).described);
  if (!id) throw new CliError(`train ${name} has no train running`, 2);
  try {
    const answer = await client.workflow
      .getHandle(id)
      .executeUpdate(trainDecisionUpdate, { args: [{ approve, by: o.by ?? process.env.USER, reason: o.reason }] });
    process.stdout.write(`${answer}\n`);
    return 0;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new CliError(err.cause?.message ?? err.message, 2);
    throw err;
  }
}

export async function trainHistoryCommand(name: string, o: { limit?: string; json?: boolean }): Promise<number> {
  const client = await connectClient();
  await schedule(client, name);
  const rows = [];
  const limit = Number(o.limit ?? 20);
  for await (const w of client.workflow.list({ query: `WorkflowType = 'ReleaseTrainWorkflow' AND OuroTrain = '${name.replace(/'/g, '')}'` })) {
    if (rows.length >= limit) break;
    let result: TrainResult | undefined;
    if (w.status.name === 'COMPLETED')
      result = (await client.workflow
        .getHandle(w.workflowId, w.runId)
        .result()
        .catch(() => undefined)) as TrainResult | undefined;
    // A train that continued as new shows up once per run; keep the run that ended it.
    if (w.status.name === 'CONTINUED_AS_NEW') continue;
    rows.push({
      id: w.workflowId,
      status: w.status.name,
      started: w.startTime.toISOString(),
      outcome: result?.outcome,
      tag: result?.tag,
      rides: result?.rides.map(describeRide),
    });
  }
  if (o.json) printJson(rows);
  else if (rows.length === 0) process.stdout.write(`train ${name} has not departed yet\n`);
  else
    for (const r of rows)
      process.stdout.write(
        `${r.started}  ${r.id}  ${r.status}${r.outcome ? ` ${r.outcome}` : ''}${r.tag ? ` ${r.tag}` : ''}\n${(r.rides ?? []).map((x) => `    ${x}\n`).join('')}`,
      );
  return 0;
}

export async function trainDeleteCommand(name: string): Promise<number> {
  const client = await connectClient();
  await (await schedule(client, name)).handle.delete();
  process.stdout.write(`train ${name} deleted (running trains finish; the backlog is kept)\n`);
  return 0;
}
