import { ApplicationFailure, Context } from '@temporalio/activity';
import { constants } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunTestsRequest, TestRunResult } from '../../core/contracts/sandbox.js';
import { parseTestCounts } from '../../core/gate/test-report.js';
import { planReport, type ReportPlan } from '../../core/gate/test-report-plan.js';
import { compareWithBase, parseReport, summarize, type IdentityCheck, type TestCase } from '../../core/gate/test-identity.js';
import { foldersOf, MAX_ABSENT, probesFromTrace, withoutCreated } from '../../core/gate/file-probes.js';
import { DEFAULT_LIMITS } from '../../core/sandbox/sandbox-args.js';
import { sandboxSetupFailure } from '../../core/sandbox/setup-failure.js';
import { git } from '../../adapters/git/git.js';
import { materialize, WorkspaceMismatch, type MaterializedWorkspace } from '../../adapters/git/patch.js';
import { runDir } from '../../adapters/git/worktrees.js';
import { configError } from '../../adapters/errors.js';
import type { WorkspaceSpec } from '../../core/contracts/workspace.js';
import { heartbeatEvery, runCommand } from '../../adapters/process/process.js';
import { hasStrace, sandboxed, sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { guardWorkspace, markRunUnderWay, verifyWorkspace } from '../../adapters/workspace-guard/guard.js';
import { ignoredInCheckout } from '../../adapters/git/ignored-in-checkout.js';
import { buildCacheScope, buildCachesIn, type BuildCacheScope } from './build-caches.js';
import { unbuiltTestsIn } from './unbuilt-tests.js';
import { checkRequiredTests, GoVerdictLines } from '../../core/gate/required-tests.js';
import {
  heldPastCollectionErrors,
  needsRunPastCollectionErrors,
  pastCollectionErrorsEnv,
  secondRunSeconds,
  whyMeasuredNothing,
} from '../../core/gate/unbuilt-base.js';

/** The most report text read back: a runner's JUnit file for tens of thousands of tests fits. */
const MAX_REPORT_BYTES = 32 * 1024 ** 2;
const BASE_TESTS_FILE = 'ouro-base-tests.json';
/** The failure type of a run whose sandbox could not be set up (an infrastructure failure: retried). */
export const SANDBOX_SETUP_FAILURE = 'SandboxSetupFailure';

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
  if (!req.workspace) {
    if (!req.dir) throw configError('runTests needs a workspace or a dir');
    const baseRecord = req.role === 'base' ? await recordIn(req.dir) : req.baseDir ? await recordIn(req.baseDir).catch(() => undefined) : undefined;
    const result = await testIn(req.dir, req, baseRecord, buildCacheScope(req));
    // A red base that wanted a git-ignored file of the user's checkout: say which, and the flag that supplies it.
    const ignoredMissing = req.role === 'base' && result.exitCode !== 0 ? await ignoredInCheckout(req.dir, result.output) : [];
    return ignoredMissing.length ? { ...result, ignoredMissing } : result;
  }
  const spec = req.workspace;
  const built = await rebuilt(spec, req.linkPaths);
  if ('refused' in built) return refusal(built.refused);
  try {
    const record = baseRecordFile(req.baseWorkspace ?? spec);
    // A candidate's tests are held to the base's as recorded on this host: a host that has not run the base yet does so first.
    if (req.role === 'candidate' && req.baseWorkspace && !existsSync(record)) await recordBaseHere(req, req.baseWorkspace, record);
    return { ...(await testIn(built.dir, req, record, buildCacheScope(req))), tree: built.tree };
  } finally {
    await built.remove();
  }
}

/** Where a base's test cases are kept on this host for the run's candidates: by run and base tree. */
function baseRecordFile(base: WorkspaceSpec): string {
  return join(runDir(base.runId), 'sandbox', `base-tests-${base.tree}.json`);
}

async function recordIn(dir: string): Promise<string> {
  return join(await git(dir, ['rev-parse', '--absolute-git-dir']), BASE_TESTS_FILE);
}

/** A workspace spec made real here, heartbeating while a cold mirror fetches; a patch or tree that does not match is a refusal. */
async function rebuilt(spec: WorkspaceSpec, linkPaths: string[] | undefined): Promise<MaterializedWorkspace | { refused: string }> {
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat({ label: spec.label, phase: 'materializing' }), heartbeatEvery(ctx));
  try {
    return await materialize(spec, linkPaths);
  } catch (err) {
    if (err instanceof WorkspaceMismatch) return { refused: err.message };
    throw err;
  } finally {
    clearInterval(beat);
  }
}

async function refusal(reason: string): Promise<TestRunResult> {
  return { exitCode: null, timedOut: false, durationMs: 0, output: '', counts: undefined, violations: [reason], sandbox: await sandboxMode(), passed: false };
}

async function recordBaseHere(req: RunTestsRequest, base: WorkspaceSpec, record: string): Promise<void> {
  const built = await rebuilt({ ...base, label: `${base.label}-record` }, req.linkPaths);
  if ('refused' in built) throw new Error(`the base could not be rebuilt on this host: ${built.refused}`);
  try {
    await mkdir(dirname(record), { recursive: true });
    const asBase = { ...req, role: 'base' as const, label: `${req.label} (the base, recorded on this host)`, probes: undefined };
    const result = await testIn(built.dir, asBase, record, buildCacheScope({ ...asBase, workspace: base }));
    // Only a base measured past its collection errors goes unrecorded, when that second run measured nothing:
    // a candidate must not be held by count alone (its other tests unheld), so this is an error, not a verdict.
    if (!existsSync(record))
      throw new Error(`the base could not be recorded on this host: ${result.unbuiltTestsNote ?? 'its run past its collection errors measured nothing'}`);
  } finally {
    await built.remove();
  }
}

/** `past-collection-errors`: a base's second run, its pytest collection errors not stopping the session (core/gate/unbuilt-base.ts). */
type BasePass = 'first' | 'past-collection-errors';

async function testIn(
  dir: string,
  req: RunTestsRequest,
  baseRecord: string | undefined,
  cacheScope: BuildCacheScope,
  pass: BasePass = 'first',
): Promise<TestRunResult> {
  const ctx = Context.current();
  const guard = await guardWorkspace(dir, {
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
    const plan = planReport(req.command, await baseScripts(dir), reportFile);
    const traceTo = req.role === 'base' && (await hasStrace()) ? join(traceDir, 'trace') : undefined;
    await markRunUnderWay(guard);
    // The base's build caches, read by the candidates through a private view of their own (./build-caches.ts).
    const caches = await buildCachesIn(dir, plan.command, cacheScope, guard);
    // A base that builds cold says why, at warn (the worker's default level) and in the run's history.
    for (const note of caches?.warmUpNotes ?? []) ctx.log.warn(note);
    const sandbox = await sandboxed(dir, plan.command, guard, DEFAULT_LIMITS, {
      env: pass === 'past-collection-errors' ? pastCollectionErrorsEnv({ ...plan.env, ...caches?.env }) : { ...plan.env, ...caches?.env },
      writableDirs: [reportDir],
      writableAt: caches?.binds,
      hide: caches?.hide,
      traceTo,
    }).catch(async (err: unknown) => {
      await caches?.release();
      throw err;
    });
    // The required tests' verdicts are read from the whole run, not the excerpt `output` keeps.
    // A base's too: should go's tests not build, its count is read from the whole run, as the candidates' outside count is.
    const verdicts = (req.role === 'candidate' && req.requiredTests?.runner === 'go') || req.role === 'base' ? new GoVerdictLines() : undefined;
    let result;
    let outOfMemory = false;
    let bwrapStatus: string | undefined;
    try {
      result = await runCommand({
        command: plan.command,
        argv: sandbox,
        cwd: dir,
        timeoutMs: req.timeoutSeconds * 1000,
        signal: ctx.cancellationSignal,
        onTick: (ms) => ctx.heartbeat({ label: req.label, elapsedMs: Math.round(ms) }),
        tickMs: heartbeatEvery(ctx),
        ...(verdicts ? { onData: (d: string) => verdicts.push(d) } : {}),
      });
    } finally {
      ({ outOfMemory, bwrapStatus } = await sandbox.release());
      await caches?.release();
    }
    const setupFailure = sandboxSetupFailure({ ...result, mode: sandbox.mode, status: bwrapStatus });
    if (setupFailure && !ctx.cancellationSignal.aborted) {
      // The tests never started: nothing is known of the code, so this is the host's failure, retried, never a red suite (a broken base).
      await verifyWorkspace(dir, guard).catch(() => undefined);
      throw ApplicationFailure.retryable(`the sandbox could not start the tests (${setupFailure}); retrying`, SANDBOX_SETUP_FAILURE);
    }
    const violations = await verifyWorkspace(dir, guard);
    // A cancelled run must not be reported as a verdict.
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
    const counts = parseTestCounts(result.output);
    const workspaces = [dir, await realpath(dir)];
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
      ...(caches?.warmUpNotes.length ? { buildCacheNotes: caches.warmUpNotes } : {}),
    };
    if (req.role === 'base' && result.exitCode !== 0 && !result.timedOut) Object.assign(out, await unbuiltTestsIn(dir, result.output, req.protectedPaths));
    if (req.role === 'base' && out.unbuiltTests?.runner === 'go' && verdicts) {
      // The excerpt's cut middle would leave the base's count short of the candidates' whole-run one.
      const whole = parseTestCounts(verdicts.text());
      if (whole?.runner === 'go') out.counts = whole;
    }
    if (req.role === 'candidate' && req.requiredTests) out.required = checkRequiredTests(req.requiredTests, verdicts?.text() ?? result.output, cases);
    if (req.role === 'base') {
      // A first run that is to be measured again past its collection errors records nothing: a candidate reading it
      // meanwhile (or after this activity died) would be held to its load error only. The second run records only
      // what holds the candidates.
      const recordsHere = pass === 'first' ? !needsRunPastCollectionErrors(out) : whyMeasuredNothing(out) === undefined;
      if (baseRecord && !recordsHere) await rm(baseRecord, { force: true });
      if (baseRecord && recordsHere) {
        // Written aside and renamed: a candidate's test on this host reads a whole record or none.
        const aside = `${baseRecord}.${process.pid}.${Date.now()}.tmp`;
        await writeFile(aside, JSON.stringify({ cases: cases ?? null, note: note ?? null }));
        await rename(aside, baseRecord);
      }
      if (traceTo) {
        const log = await readFile(traceTo, 'utf8').catch(() => '');
        const seen = probesFromTrace(log, { roots: workspaces, ignore: [...guard.links.keys()], tracked: guard.files });
        out.probes = withoutCreated(seen, guard.created, foldersOf(guard.files));
        // Probes travel in workflow history, so they are capped: what lies past the cap only the protected globs keep.
        if (seen.truncated)
          out.probesNote = `the base's run looked for more than ${MAX_ABSENT} absent paths: only the first ${MAX_ABSENT} are kept from a candidate, the rest only by the protected globs`;
      } else {
        out.probesNote = "strace is not installed: only the protected globs keep runner configuration the base's";
      }
    }
    if (req.role === 'candidate' && (req.baseDir || req.baseWorkspace)) out.identity = await identityAgainstBase(baseRecord, cases, note);
    // pytest stopped at the collection error, so no other test ran: measured again past it, whose record holds the candidates.
    if (req.role === 'base' && pass === 'first' && needsRunPastCollectionErrors(out)) {
      const again = {
        ...req,
        label: `${req.label} (again, past its collection errors)`,
        timeoutSeconds: secondRunSeconds(req.timeoutSeconds, out.durationMs),
      };
      return heldPastCollectionErrors(out, await testIn(dir, again, baseRecord, cacheScope, 'past-collection-errors'));
    }
    return out;
  } finally {
    await rm(reportDir, { recursive: true, force: true });
    await rm(traceDir, { recursive: true, force: true });
  }
}

async function identityAgainstBase(record: string | undefined, cases: TestCase[] | undefined, note: string | undefined): Promise<IdentityCheck> {
  const saved = record
    ? await readFile(record, 'utf8').then(
        (t) => JSON.parse(t) as { cases: TestCase[] | null; note: string | null },
        () => undefined,
      )
    : undefined;
  if (!saved?.cases) return { method: 'count', note: saved?.note ?? "the base's tests were not recorded on this host" };
  // The base's runner wrote a report and this run's did not: none of the base's tests is shown to have passed.
  if (!cases) return { ...compareWithBase(saved.cases, []), note: `no report from this run (${note ?? 'none written'})` };
  return compareWithBase(saved.cases, cases);
}
