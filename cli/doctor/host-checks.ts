// The facts `ouro doctor` gathers on this host: bubblewrap and one real sandboxed command, strace,
// a memory cgroup, the embedded model. They are this machine's: run the doctor where the sandbox
// and draft workers run. What the facts mean is core's (core/doctor/verdicts.ts).
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupFacts, SandboxFacts } from '../../core/doctor/verdicts.js';
import { testCheckoutOnce } from '../../adapters/sandbox/checkout-tests.js';
import { hasStrace, sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { runCgroup } from '../../adapters/sandbox/cgroup.js';
import { localModel } from '../../adapters/model/local-model.js';

async function bwrapVersion(): Promise<string | undefined> {
  const r = await execa('bwrap', ['--version'], { reject: false });
  return r.exitCode === 0 ? String(r.stdout).trim() : undefined;
}

/** One command, `true`, run the way a run's base is tested: a worktree of a one-commit repository, the guard, the sandbox. */
async function startOne(): Promise<SandboxFacts['started']> {
  const repo = await mkdtemp(join(tmpdir(), 'ouro-doctor-'));
  try {
    const g = (...args: string[]) => execa('git', ['-c', 'user.email=doctor@ouro', '-c', 'user.name=ouro doctor', ...args], { cwd: repo });
    await g('init', '-q');
    await writeFile(join(repo, 'README'), 'ouro doctor\n');
    await g('add', 'README');
    await g('commit', '-qm', 'doctor');
    const run = await testCheckoutOnce(repo, 'true', [], 30);
    if (run.exitCode === 0) return { ok: true, seconds: run.durationMs / 1000 };
    return { ok: false, why: run.output.trim().split('\n')[0] || `exit ${run.exitCode ?? run.signal ?? '?'}` };
  } catch (err) {
    return { ok: false, why: (err as Error).message.split('\n')[0]! };
  } finally {
    await rm(repo, { recursive: true, force: true });
  }
}

export async function sandboxFacts(): Promise<SandboxFacts> {
  const mode = await sandboxMode().catch((err: unknown) => ({ error: (err as Error).message }));
  return { bwrapVersion: await bwrapVersion(), wanted: (process.env.OURO_SANDBOX ?? 'auto').toLowerCase(), mode, started: await startOne() };
}

export async function cgroupFacts(): Promise<CgroupFacts> {
  const root = process.getuid?.() === 0;
  const off = process.env.OURO_SANDBOX_CGROUP === 'off';
  if (!root || off) return { root, off };
  const cg = await runCgroup(64 * 1024 ** 2);
  if (!cg) return { root, off };
  await cg.remove();
  // v1 keeps memory cgroups under their controller's own mount.
  return { root, off, made: cg.procs.startsWith('/sys/fs/cgroup/memory/') ? 1 : 2 };
}

export const straceFound = hasStrace;

export function modelFound(): { ok: true; label: string; path: string } | { ok: false; why: string } {
  try {
    const m = localModel();
    return { ok: true, label: m.label, path: m.path };
  } catch (err) {
    return { ok: false, why: (err as Error).message };
  }
}
