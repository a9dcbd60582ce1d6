import { z } from 'zod';
import { EDIT_FORMATS } from '../edits/formats/index.js';
import { PROVIDERS, queueNames, type ProviderName } from './queues.js';
import { resolveProvider } from './providers.js';
import { DEFAULT_PROTECTED } from './file-rules.js';
import { BENCH_MODES } from '../stats/bench-measure.js';
import type { DraftSlotPlan, RunTarget } from '../contracts/target.js';
import type { RunInput } from './types.js';
import { copyEntry, workspacePathProblem } from './workspace-files.js';

// Validation at the boundary: the target repo's ouro.config.json and the
// CLI's flags are parsed here into a complete RunInput, so the workflow
// never sees a half-filled or ill-typed request.

const commaListOf = (error?: string) =>
  z
    .union([z.string(), z.array(z.string())], error ? { error } : undefined)
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
const commaList = commaListOf();
/** --link paths and --copy globs: relative to the repository, inside it. */
const workspacePaths = commaList.superRefine((paths, ctx) => {
  for (const p of paths) {
    const problem = workspacePathProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }
});

export const DraftSpecSchema = z.string().transform((spec, ctx) => {
  const out: Array<{ provider: ProviderName; count: number }> = [];
  for (const part of spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)(?::(\d+))?$/.exec(part);
    const provider = m?.[1] as ProviderName | undefined;
    if (!m || !provider || !PROVIDERS.includes(provider)) {
      ctx.addIssue({ code: 'custom', message: `"${part}": expected provider[:count] with provider one of ${PROVIDERS.join(', ')} (e.g. cerebras:6,local:2)` });
      return z.NEVER;
    }
    const count = m[2] ? Number(m[2]) : 1;
    if (count < 1 || count > 32) {
      ctx.addIssue({ code: 'custom', message: `"${part}": count must be between 1 and 32` });
      return z.NEVER;
    }
    out.push({ provider, count });
  }
  if (out.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'no drafts requested' });
    return z.NEVER;
  }
  return out;
});

/** The file in the target repository that holds its defaults for a run. */
export const CONFIG_FILE = 'ouro.config.json';

/** ouro.config.json in the target repository: the repo's defaults for a run. */
export const RepoConfigSchema = z
  .object({
    test: z.string().min(1).optional(),
    bench: z.string().min(1).optional(),
    files: commaList.optional(),
    protected: commaList.optional(),
    linkPaths: workspacePaths.optional(),
    /** Git-ignored files of the checkout copied into each workspace, read-only (a generated _version.py). */
    copy: workspacePaths.optional(),
    goal: z.string().min(1).optional(),
    drafts: z.string().optional(),
    rounds: z.number().int().min(1).max(50).optional(),
    benchRuns: z.number().int().min(1).max(200).optional(),
    benchMode: z.enum(BENCH_MODES).optional(),
    speedup: z.number().min(1).optional(),
    /** The goal is to make failing tests pass: a red baseline is the starting point, not an error. */
    fix: z.boolean().optional(),
    /** Tracked files the tests may write (all others are read-only while tests and benchmarks run). */
    writable: commaList.optional(),
    /** Refuse candidates whose benchmark decision is marked unreliable. */
    requireReliable: z.boolean().optional(),
    /** The longest model reply kept, in KiB. */
    maxReplyKb: z.number().int().min(1).max(1536).optional(),
    source: z.string().min(1).optional(),
    /** US dollars per million tokens, by model name: what `ouro evolve --max-cost` counts with. */
    prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict()).optional(),
  })
  .strict();
export type RepoConfig = z.infer<typeof RepoConfigSchema>;

// The messages are given for a missing value too (not only an empty one), since a flag that was
// never passed arrives as undefined and would otherwise get zod's generic "Invalid input".
const GOAL_REQUIRED = `a goal is required: --goal "what to achieve" (or "goal" in ${CONFIG_FILE})`;
const FILES_REQUIRED = `which files may the model change? --files src/x.ts (or "files" in ${CONFIG_FILE})`;
const TEST_REQUIRED = `a test command is required: --test "npm test" (or "test" in ${CONFIG_FILE})`;

/** Flags of `ouro run` after commander (strings), plus the repo's config. */
/** Where sandbox hosts fetch a repository from (`--source`, "source" in ouro.config.json). */
export const SourceSchema = z
  .string()
  .regex(
    /^(?:\/|file:\/\/|git:\/\/|ssh:\/\/|https?:\/\/|[\w.-]+@[\w.-]+:)/,
    'a path or a URL sandbox hosts can fetch: /abs/path, file://, git://, ssh://, https://, or user@host:path',
  );

/** --files: required, except for `ouro run`, whose files Ouro may choose once the base's tests ran. */
const FILES_FLAG = {
  required: commaListOf(FILES_REQUIRED).pipe(z.array(z.string()).min(1, FILES_REQUIRED)),
  optional: commaList.optional(),
};

function runFlagsSchema<F extends keyof typeof FILES_FLAG>(files: F) {
  return z
    .object({
      repo: z.string().min(1),
      goal: z.string({ error: GOAL_REQUIRED }).trim().min(1, GOAL_REQUIRED),
      files: FILES_FLAG[files],
      test: z.string({ error: TEST_REQUIRED }).trim().min(1, TEST_REQUIRED),
      bench: z.string().trim().min(1).optional(),
      protected: commaList.optional(),
      linkPaths: workspacePaths.default(['node_modules']),
      /** --link: linked besides linkPaths. */
      link: workspacePaths.optional(),
      /** --copy and "copy": git-ignored files copied from the checkout, read-only. */
      copy: workspacePaths.optional(),
      drafts: DraftSpecSchema,
      model: z.string().min(1).optional(),
      baseUrl: z.url().optional(),
      editFormat: z.enum(EDIT_FORMATS).optional(),
      temperature: z.coerce.number().min(0).max(2).optional(),
      rounds: z.coerce.number().int().min(1).max(50).default(3),
      base: z.string().min(1).default('HEAD'),
      branch: z
        .string()
        .regex(/^[A-Za-z0-9._/-]+$/, 'branch names may use letters, digits, . _ / -')
        .optional(),
      speedup: z.coerce.number().min(1).optional(),
      benchRuns: z.coerce.number().int().min(2).max(200).default(30),
      benchMode: z.enum(BENCH_MODES).default('wall'),
      tolerance: z.coerce.number().min(0).max(1).default(0.02),
      testTimeout: z.coerce.number().int().min(1).default(300),
      benchTimeout: z.coerce.number().int().min(1).default(600),
      draftTimeout: z.coerce.number().int().min(1).default(600),
      heartbeat: z.coerce.number().int().min(1).default(30),
      queueWait: z.coerce.number().int().min(1).default(600),
      queuePrefix: z.string().default(''),
      hints: z.array(z.string()).default([]),
      fix: z.boolean().default(false),
      writable: commaList.optional(),
      requireReliable: z.boolean().default(false),
      // Under Temporal's 2 MB payload limit, with room for the rest of the result.
      maxReplyKb: z.coerce.number().int().min(1).max(1536).default(256),
      source: SourceSchema.optional(),
    })
    .superRefine((f, ctx) => {
      // Caught before any draft: a speed goal with nothing to measure it could never be met.
      if (f.speedup !== undefined && !f.bench)
        ctx.addIssue({
          code: 'custom',
          path: ['speedup'],
          message: `a speedup needs a benchmark to measure it: add --bench "<command>" (or "bench" in ${CONFIG_FILE})`,
        });
      if (f.requireReliable && !f.bench)
        ctx.addIssue({ code: 'custom', path: ['requireReliable'], message: 'there is no benchmark decision to require reliable: add --bench "<command>"' });
    });
}
export const RunFlagsSchema = runFlagsSchema('required');
export const RunFlagsChoosingSchema = runFlagsSchema('optional');
export type RunFlags = z.input<typeof RunFlagsSchema>;

export interface BuildOptions {
  /** No --files is a run whose files Ouro chooses (`ouro run`); searches, evals and trains still need them. */
  mayChooseFiles?: boolean;
}

/** Merges flags over the repo's config and resolves providers into a complete RunInput. */
export function buildRunInput(
  flags: Record<string, unknown>,
  config: RepoConfig,
  env: Record<string, string | undefined>,
  options: BuildOptions = {},
): RunInput {
  const merged = {
    goal: config.goal,
    files: config.files,
    test: config.test,
    bench: config.bench,
    protected: config.protected,
    linkPaths: config.linkPaths,
    drafts: config.drafts ?? 'local:2',
    rounds: config.rounds,
    benchRuns: config.benchRuns,
    benchMode: config.benchMode,
    speedup: config.speedup,
    fix: config.fix,
    writable: config.writable,
    requireReliable: config.requireReliable,
    maxReplyKb: config.maxReplyKb,
    source: config.source,
    copy: config.copy,
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  };
  // The config's copies and the flags' add up, as the flags' links add to linkPaths.
  if (config.copy && flags.copy !== undefined) merged.copy = [...config.copy, ...(Array.isArray(flags.copy) ? flags.copy : [flags.copy])];
  const f = options.mayChooseFiles ? RunFlagsChoosingSchema.parse(merged) : RunFlagsSchema.parse(merged);
  const linkPaths = [...new Set([...f.linkPaths, ...(f.link ?? []), ...(f.copy ?? []).map(copyEntry)])];
  const drafts: DraftSlotPlan[] = f.drafts.map(({ provider, count }) => {
    const r = resolveProvider(
      provider,
      { model: provider === 'local' ? undefined : f.model, baseUrl: provider === 'local' ? undefined : f.baseUrl, editFormat: f.editFormat },
      env,
    );
    return {
      provider,
      count,
      model: r.model,
      baseUrl: r.baseUrl,
      ...(r.baseUrlFrom ? { baseUrlFrom: r.baseUrlFrom } : {}),
      apiKeyVar: r.apiKeyVar,
      editFormat: r.editFormat,
      maxOutputTokens: r.maxOutputTokens,
      temperature: f.temperature ?? r.temperature,
    };
  });
  return {
    repo: f.repo,
    baseRef: f.base,
    goal: f.goal,
    // Empty: chosen once the base's tests ran (workflows/self-coding/context.ts).
    files: f.files ?? [],
    protectedPaths: f.protected ?? DEFAULT_PROTECTED,
    testCommand: f.test,
    baselineMayFail: f.fix,
    benchCommand: f.bench,
    benchRuns: f.benchRuns,
    benchMode: f.benchMode,
    speedupGoal: f.speedup,
    regressionTolerance: f.tolerance,
    drafts,
    maxRounds: f.rounds,
    targetBranch: f.branch,
    linkPaths,
    timeouts: {
      draftSeconds: f.draftTimeout,
      testSeconds: f.testTimeout,
      benchSeconds: f.benchTimeout,
      heartbeatSeconds: f.heartbeat,
      draftQueueSeconds: f.queueWait,
    },
    queues: queueNames(f.queuePrefix),
    hints: f.hints,
    ...(f.writable?.length ? { writable: f.writable } : {}),
    ...(f.requireReliable ? { requireReliable: true } : {}),
    maxReplyBytes: f.maxReplyKb * 1024,
    ...(f.source ? { source: f.source } : {}),
  };
}

/**
 * The target a run input carries (core/contracts/target.ts), field for field: what an evolve
 * search takes from the run it is built on. Optional fields come only when the run has them.
 */
export function targetOf(run: RunTarget): RunTarget {
  return {
    repo: run.repo,
    ...(run.source ? { source: run.source } : {}),
    baseRef: run.baseRef,
    goal: run.goal,
    files: run.files,
    protectedPaths: run.protectedPaths,
    testCommand: run.testCommand,
    ...(run.benchCommand ? { benchCommand: run.benchCommand } : {}),
    benchMode: run.benchMode,
    benchRuns: run.benchRuns,
    drafts: run.drafts,
    linkPaths: run.linkPaths,
    timeouts: run.timeouts,
    queues: run.queues,
    ...(run.writable ? { writable: run.writable } : {}),
    ...(run.maxReplyBytes ? { maxReplyBytes: run.maxReplyBytes } : {}),
  };
}
