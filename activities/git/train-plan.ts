// The train's bookkeeping activities (ouro-git queue): decide what this
// train carries (plan) and record how each task's ride ended (settle).

import { z } from 'zod';
import { BacklogFileSchema, claimTasks, importTasks, settleTasks, type Settlement } from '../../core/train/backlog.js';
import { buildRunInput, RepoConfigSchema, SourceSchema, type RepoConfig } from '../../core/run/input.js';
import { describeIssues, formatZodError } from '../../core/run/validation.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';
import { latestTag } from '../../core/train/semver.js';
import type { TrainPlan } from '../../core/train/types.js';
import type { PlanTrainRequest } from '../../core/contracts/train.js';
import { updateBacklog } from '../../adapters/stores/backlog-store.js';
import { configError } from '../../adapters/errors.js';
import { git, gitOk } from '../../adapters/git/git.js';
import { assertRepo } from '../../adapters/git/worktrees.js';

export const BACKLOG_FILE = 'ouro.backlog.json';

/** A JSON file of the base commit, parsed by `schema`; absent → undefined; broken → a clear error. */
async function fileAt<T>(repo: string, sha: string, path: string, schema: z.ZodType<T>): Promise<T | undefined> {
  if (!(await gitOk(repo, ['cat-file', '-e', `${sha}:${path}`]))) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await git(repo, ['show', `${sha}:${path}`]));
  } catch (err) {
    throw configError(`${path} at ${sha.slice(0, 10)} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw configError(`${path} at ${sha.slice(0, 10)}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Resolves the release branch and the previous release, imports the repo's
 * backlog file, claims the tasks this train carries and turns each into a
 * complete run request (task fields over the train's flags over the repo's
 * ouro.config.json at the base). Retried, it returns the same claim.
 */
export async function planTrain(req: PlanTrainRequest): Promise<TrainPlan> {
  const { input } = req;
  await assertRepo(input.repo);
  const branchRef = `refs/heads/${input.releaseBranch}`;
  const existed = await gitOk(input.repo, ['rev-parse', '--verify', '--quiet', branchRef]);
  const ref = existed ? branchRef : input.baseRef;
  const baseSha = await git(input.repo, ['rev-parse', '--verify', `${ref}^{commit}`]).catch(() => {
    throw configError(`neither the release branch ${input.releaseBranch} nor the base "${input.baseRef}" names a commit in ${input.repo}`);
  });
  const tags = (await git(input.repo, ['tag', '--merged', baseSha, '--list', `${input.tagPrefix}*`])).split('\n').filter(Boolean);
  const previousTag = latestTag(tags, input.tagPrefix);
  const previousSha = previousTag ? await git(input.repo, ['rev-parse', `${previousTag}^{commit}`]) : undefined;

  const config: RepoConfig = (await fileAt(input.repo, baseSha, 'ouro.config.json', RepoConfigSchema)) ?? {};
  const file = await fileAt(input.repo, baseSha, BACKLOG_FILE, BacklogFileSchema);
  const flags = input.runFlags;
  const test = (flags.test as string | undefined) ?? config.test;
  if (!test) throw configError(`the train needs the repository's test command: "test" in ouro.config.json or --test on \`ouro train create\``);

  // Checked as a run's is: the train's own tests fetch its integrated commits from here.
  const sourceFlag = (flags.source as string | undefined) ?? config.source;
  const parsedSource = sourceFlag === undefined ? undefined : SourceSchema.safeParse(sourceFlag);
  if (parsedSource && !parsedSource.success) throw configError(`"source" ${JSON.stringify(sourceFlag)}: ${parsedSource.error.issues[0]?.message ?? 'invalid'}`);
  const source = parsedSource?.data;

  // Claimed last: a train that cannot start leaves the backlog as it was.
  const now = new Date(req.nowMs);
  const { imported, claimed } = await updateBacklog(input.repo, (b) => {
    const i = importTasks(b, file?.tasks ?? [], now);
    const c = claimTasks(i.backlog, req.train, input.maxTasks);
    return { backlog: c.backlog, value: { imported: i.added, claimed: c.claimed } };
  });
  const tasks = claimed.map((task) => {
    try {
      const own = {
        goal: task.goal,
        files: task.files,
        test: task.test,
        bench: task.bench,
        benchMode: task.benchMode,
        speedup: task.speedup,
        fix: task.fix,
        drafts: task.drafts,
        rounds: task.rounds,
      };
      // The task's own fields win, but only those it sets: an unset one must not erase the train's flag.
      const set = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
      const run = buildRunInput({ ...flags, ...set, repo: input.repo, base: baseSha }, config, process.env);
      return { task, input: run };
    } catch (err) {
      return { task, invalid: err instanceof z.ZodError ? formatZodError(err) : (err as Error).message };
    }
  });
  return {
    baseSha,
    releaseBranchExisted: existed,
    previousTag,
    previousSha,
    suite: {
      test,
      bench: (flags.bench as string | undefined) ?? config.bench,
      benchMode: (flags.benchMode as TrainPlan['suite']['benchMode'] | undefined) ?? config.benchMode ?? 'wall',
      benchRuns: Number(flags.benchRuns ?? config.benchRuns ?? 30),
      tolerance: Number(flags.tolerance ?? 0.02),
      protectedPaths: config.protected ?? DEFAULT_PROTECTED,
      linkPaths: config.linkPaths ?? ['node_modules'],
      ...(source ? { source } : {}),
    },
    tasks,
    imported,
  };
}

export async function settleTrain(req: { repo: string; train: string; settlements: Settlement[]; maxAttempts: number; nowMs: number }): Promise<void> {
  await updateBacklog(req.repo, (b) => ({
    backlog: settleTasks(b, req.train, req.settlements, { maxAttempts: req.maxAttempts, now: new Date(req.nowMs) }),
    value: undefined,
  }));
}
