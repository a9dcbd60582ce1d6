import { describe, expect, it } from 'vitest';
import { doctorExitCode, doctorLines, type DoctorCheck } from '../../../core/doctor/report.js';
import {
  bubblewrapCheck,
  cgroupCheck,
  modelCheck,
  providerCheck,
  queuesCheck,
  sandboxStartCheck,
  straceCheck,
  temporalCheck,
  type SandboxFacts,
} from '../../../core/doctor/verdicts.js';

describe('doctorLines and doctorExitCode', () => {
  const checks: DoctorCheck[] = [
    { name: 'temporal', status: 'ok', detail: 'up', fix: 'never shown for ✓' },
    { name: 'provider gpu', status: 'fail', detail: 'nothing answers', fix: 'start it' },
    { name: 'strace', status: 'warn', detail: 'missing', fix: 'install it' },
  ];

  it('a mark per line, names aligned, the fix under each line that is not ✓, a summary', () => {
    expect(doctorLines(checks)).toEqual([
      '✓ temporal      up',
      '✗ provider gpu  nothing answers',
      '                fix: start it',
      '! strace        missing',
      '                fix: install it',
      '1 required check failed, 1 warning',
    ]);
  });

  it('exit 1 only for a ✗; warnings alone pass', () => {
    expect(doctorExitCode(checks)).toBe(1);
    const warnOnly = checks.filter((c) => c.status !== 'fail');
    expect(doctorExitCode(warnOnly)).toBe(0);
    expect(doctorLines(warnOnly).at(-1)).toBe('ready: every required check passed, 1 warning');
    expect(doctorLines([]).at(-1)).toBe('ready: every required check passed');
  });
});

describe('verdicts', () => {
  const sandbox = (over: Partial<SandboxFacts>): SandboxFacts => ({
    bwrapVersion: 'bubblewrap 0.8.0',
    wanted: 'auto',
    mode: 'bwrap',
    started: { ok: true, seconds: 0.2 },
    ...over,
  });

  it('bubblewrap: working, missing, present but without namespaces, refused, switched off', () => {
    expect(bubblewrapCheck(sandbox({})).status).toBe('ok');
    expect(bubblewrapCheck(sandbox({ bwrapVersion: undefined, mode: 'degraded' }))).toMatchObject({
      status: 'fail',
      fix: expect.stringMatching(/apt install bubblewrap/),
    });
    expect(bubblewrapCheck(sandbox({ mode: 'degraded' }))).toMatchObject({ status: 'fail', fix: expect.stringMatching(/unprivileged user namespaces/) });
    expect(bubblewrapCheck(sandbox({ mode: { error: 'bubblewrap is not usable here; OURO_SANDBOX=required' } })).detail).toMatch(
      /unusable: .*OURO_SANDBOX=required/,
    );
    expect(bubblewrapCheck(sandbox({ wanted: 'off', mode: 'degraded' })).status).toBe('warn');
  });

  it('sandbox: a command that ran, or why not', () => {
    expect(sandboxStartCheck(sandbox({})).detail).toBe('a sandboxed command ran in a fresh worktree (bwrap, 0.2 s)');
    expect(sandboxStartCheck(sandbox({ started: { ok: false, why: 'bwrap: Creating new namespace failed' } }))).toMatchObject({
      status: 'fail',
      detail: 'a sandboxed command did not start: bwrap: Creating new namespace failed',
    });
  });

  it('strace and cgroups are warnings, with the reason', () => {
    expect(straceCheck(true).status).toBe('ok');
    expect(straceCheck(false)).toMatchObject({ status: 'warn', fix: 'install strace 5.3 or later (apt install strace)' });
    expect(cgroupCheck({ root: true, off: false, made: 2 }).detail).toBe('a memory cgroup per run (cgroup v2)');
    expect(cgroupCheck({ root: false, off: false })).toMatchObject({ status: 'warn', fix: 'run the sandbox worker as root' });
    expect(cgroupCheck({ root: true, off: true }).detail).toMatch(/OURO_SANDBOX_CGROUP=off/);
    expect(cgroupCheck({ root: true, off: false }).detail).toMatch(/no writable cgroup hierarchy/);
  });

  it('temporal: up, down, namespace missing', () => {
    expect(temporalCheck('h:7233', 'default', { ok: true }).detail).toBe('h:7233 answers, namespace default');
    expect(temporalCheck('h:7233', 'default', { ok: false, why: 'refused' })).toMatchObject({ status: 'fail', fix: expect.stringMatching(/ouro dev/) });
    expect(temporalCheck('h:7233', 'x', { ok: false, why: 'not found', namespaceMissing: true }).fix).toMatch(/temporal operator namespace create x/);
  });

  it('embedded model: required only where local drafts are configured', () => {
    expect(modelCheck({ ok: false, why: 'not installed' }, true).status).toBe('fail');
    expect(modelCheck({ ok: false, why: 'not installed' }, false)).toMatchObject({ status: 'warn', detail: 'not installed (only local drafts need it)' });
    expect(modelCheck({ ok: true, label: 'm', path: '/p' }, true).detail).toBe('m (/p)');
  });

  it("providers: the worker's answer, named; no worker, a busy one, a check that could not run", () => {
    const answer = { worker: '9@box', provider: 'gpu' as const, ok: ['up'] };
    expect(providerCheck('gpu', { kind: 'answered', answer })).toEqual({ name: 'provider gpu', status: 'ok', detail: 'up [worker 9@box]' });
    expect(providerCheck('gpu', { kind: 'answered', answer: { ...answer, ok: [], problem: 'refused' } })).toMatchObject({
      status: 'fail',
      detail: 'refused [worker 9@box]',
    });
    expect(providerCheck('gpu', { kind: 'answered', answer: { ...answer, warning: 'model not listed' } })).toMatchObject({
      status: 'warn',
      fix: 'model not listed',
    });
    expect(providerCheck('gpu', { kind: 'unserved', queue: 'ouro-draft-gpu' })).toMatchObject({
      status: 'warn',
      fix: 'start one: ouro worker --queues ouro-draft-gpu (or `ouro dev`)',
    });
    expect(providerCheck('gpu', { kind: 'not-picked-up', seconds: 10 }).status).toBe('warn');
    expect(providerCheck('gpu', { kind: 'error', why: 'unknown workflow type' }).status).toBe('fail');
  });

  it('workers: the queues nobody polls, with the command that serves them', () => {
    expect(queuesCheck([], ['a', 'b']).detail).toBe('a, b served');
    expect(queuesCheck(['b', 'c'], ['a', 'b', 'c'])).toMatchObject({
      status: 'warn',
      detail: 'no worker polls b, c',
      fix: expect.stringContaining('ouro worker --queues b,c'),
    });
  });
});
