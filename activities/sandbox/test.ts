import { Context } from '@temporalio/activity';
import { constants } from 'node:fs';
import { chmod, mkdtemp, open, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { parseTestCounts } from '../../core/gate/test-report.js';
import { planReport, type ReportPlan } from '../../core/gate/test-report-plan.js';
import { compareWithBase, parseReport, summarize, type IdentityCheck, type TestCase } from '../../core/gate/test-identity.js';
import { foldersOf, probesFromTrace, withoutCreated, type ProbeSet } from '../../core/gate/file-probes.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { git } from '../../adapters/git/git.js';
import { heartbeatEvery, runCommand } from '../../adapters/process/process.js';
import { guardWorkspace, hasStrace, sandboxed, sandboxMode, verifyWorkspace } from '../../adapters/sandbox/sandbox.js';

export interface RunTestsRequest {
  dir: string;
  command: string;
  timeoutSeconds: number;
  label: string;
  /** Globs whose files may not be created or changed by a run (tests, config…). */
  protectedPaths: string[];
  /**
   * `base`: record what the run looks for (strace) and its tests, for the candidates to be held to;
   * `candidate`: compare its tests with those recorded for `baseDir`. Absent: neither (older callers).
   */
  role?: 'base' | 'candidate';
  /** The base's workspace (for a candidate). */
  baseDir?: string;
  /** What the base's run looked for and did not find: a candidate's run may not create it. */
  probes?: ProbeSet;
  /** Tracked files (globs) the tests may write; restored after the run. */
  writable?: string[];
}

/** The most report text read back: a runner's JUnit file for tens of thousands of tests fits. */
const MAX_REPORT_BYTES = 32 * 1024 ** 2;
const BASE_TESTS_FILE = 'ouro-base-tests.json';

/** The base's package.json scripts, read from git (the candidate cannot change them: protected). */
async function baseScripts(dir: string): Promise<Record<string, string> | undefined> {
  const text = await git(dir, ['show', 'HEAD:package.json'], { allowFail: true, raw: true });
  try {
    const scripts = (JSON.parse(text) as { scripts?: unknown }).scripts;
    return scripts && typeof scripts === 'object' ? (scripts as Record<string, string>) : undefined;
  } catch {
    return undefined;
  }
}

/** The runner's report, read without following links (the run could have planted one) and size-capped. */
async function readReportFile(path: string): Promise<string | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_REPORT_BYTES) return undefined;
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function parseCases(plan: ReportPlan, text: string | undefined, workspaces: string[]): { cases?: TestCase[]; note?: string } {
  const runner = plan.runner ? `${plan.runner} ` : '';
  if (text === undefined) {
    return {
      note: plan.runner
        ? `${plan.runner} wrote no report`
        : 'no structured report: Ouro adds one for vitest, jest, node --test and pytest run directly or as an npm script',
    };
  }
  try {
    return { cases: parseReport(plan.format, text, workspaces) };
  } catch (err) {
    return { note: `the ${runner}report could not be read (${(err as Error).message.slice(0, 200)})` };
  }
}

/** Runs the target's test command in a workspace, sandboxed; a red suite is a result, not an error. */
export async function runTests(req: RunTestsRequest): Promise<TestRunResult> {
  const ctx = Context.current();
  const guard = await guardWorkspace(req.dir, {
    protectedGlobs: req.protectedPaths,
    writable: req.writable,
    probes: req.probes,
    reference: req.role === 'base',
  });
  if (guard.poison) {
    return {
      exitCode: null,
      timedOut: false,
      durationMs: 0,
      output: '',
      counts: undefined,
      violations: [guard.poison],
      sandbox: await sandboxMode(),
      passed: false,
    };
  }
  // The runner writes its report where the sandbox may write; the trace is written by strace, outside it.
  const reportDir = await mkdtemp(join(tmpdir(), 'ouro-report-'));
  const traceDir = await mkdtemp(join(tmpdir(), 'ouro-trace-'));
  try {
    await chmod(reportDir, 0o777);
    const reportFile = join(reportDir, 'report');
    const plan = planReport(req.command, await baseScripts(req.dir), reportFile);
    const traceTo = req.role === 'base' && (await hasStrace()) ? join(traceDir, 'trace') : undefined;
    const sandbox = await sandboxed(req.dir, plan.command, guard, DEFAULT_LIMITS, { env: plan.env, writableDirs: [reportDir], traceTo });
    let result;
    let outOfMemory = false;
    try {
      result = await runCommand({
        command: plan.command,
        argv: sandbox,
        cwd: req.dir,
        timeoutMs: req.timeoutSeconds * 1000,
        signal: ctx.cancellationSignal,
        onTick: (ms) => ctx.heartbeat({ label: req.label, elapsedMs: Math.round(ms) }),
        tickMs: heartbeatEvery(ctx),
      });
    } finally {
      ({ outOfMemory } = await sandbox.release());
    }
    const violations = await verifyWorkspace(req.dir, guard);
    // A cancelled run must not be reported as a verdict.
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    const counts = parseTestCounts(result.output);
    const workspaces = [req.dir, await realpath(req.dir)];
    const { cases, note } = parseCases(plan, await readReportFile(reportFile), workspaces);
    const report = cases ? summarize(plan.format, cases) : undefined;
    const out: TestRunResult = {
      ...result,
      counts,
      violations,
      sandbox: sandbox.mode,
      passed: result.exitCode === 0 && (counts?.failed ?? 0) === 0 && violations.length === 0,
      report,
      reportNote: note,
      ...(outOfMemory ? { outOfMemory } : {}),
    };
    if (req.role === 'base') {
      const gitDir = await git(req.dir, ['rev-parse', '--absolute-git-dir']);
      await writeFile(join(gitDir, BASE_TESTS_FILE), JSON.stringify({ cases: cases ?? null, note: note ?? null }));
      if (traceTo) {
        const log = await readFile(traceTo, 'utf8').catch(() => '');
        const seen = probesFromTrace(log, { roots: workspaces, ignore: [...guard.links.keys()], tracked: guard.files });
        out.probes = withoutCreated(seen, guard.created, foldersOf(guard.files));
      } else {
        out.probesNote = "strace is not installed: only the protected globs keep runner configuration the base's";
      }
    }
    if (req.role === 'candidate' && req.baseDir) out.identity = await identityAgainstBase(req.baseDir, cases, note);
    return out;
  } finally {
    await rm(reportDir, { recursive: true, force: true });
    await rm(traceDir, { recursive: true, force: true });
  }
}

async function identityAgainstBase(baseDir: string, cases: TestCase[] | undefined, note: string | undefined): Promise<IdentityCheck> {
  const gitDir = await git(baseDir, ['rev-parse', '--absolute-git-dir']).catch(() => undefined);
  const saved = gitDir
    ? await readFile(join(gitDir, BASE_TESTS_FILE), 'utf8').then(
        (t) => JSON.parse(t) as { cases: TestCase[] | null; note: string | null },
        () => undefined,
      )
    : undefined;
  if (!saved?.cases) return { method: 'count', note: saved?.note ?? "the base's tests were not recorded on this host" };
  // The base's runner wrote a report and this run's did not: none of the base's tests is shown to have passed.
  if (!cases) return { ...compareWithBase(saved.cases, []), note: `no report from this run (${note ?? 'none written'})` };
  return compareWithBase(saved.cases, cases);
}
