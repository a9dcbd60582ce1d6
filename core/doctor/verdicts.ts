// What each of `ouro doctor`'s findings means, as a check with its fix. The CLI gathers the facts
// (cli/doctor/); the judgement is here, where it is tested without a machine to break.

import type { ProviderCheckOutcome } from '../run/provider-check.js';
import type { DoctorCheck } from './report.js';

export interface SandboxFacts {
  /** `bwrap --version`'s answer, or undefined when it is not installed. */
  bwrapVersion?: string;
  /** OURO_SANDBOX: off forces the degraded mode, required refuses to run without bubblewrap. */
  wanted: string;
  /** The mode the sandbox chose (after its own probe), or why it could not choose. */
  mode: 'bwrap' | 'degraded' | { error: string };
  /** One real sandboxed command (a worktree, the workspace guard, the sandbox), or why it did not run. */
  started: { ok: true; seconds: number } | { ok: false; why: string };
}

const INSTALL_BWRAP = 'install bubblewrap (apt install bubblewrap, dnf install bubblewrap); or accept limits-only isolation with OURO_SANDBOX=off';

export function bubblewrapCheck(f: SandboxFacts): DoctorCheck {
  const name = 'bubblewrap';
  if (f.wanted === 'off') return { name, status: 'warn', detail: 'off (OURO_SANDBOX=off): candidate code runs with limits only', fix: 'unset OURO_SANDBOX' };
  if (!f.bwrapVersion) return { name, status: 'fail', detail: 'not installed: candidate code would run with limits only', fix: INSTALL_BWRAP };
  if (typeof f.mode === 'object') return { name, status: 'fail', detail: `${f.bwrapVersion}, unusable: ${f.mode.error}`, fix: INSTALL_BWRAP };
  if (f.mode === 'degraded') {
    return {
      name,
      status: 'fail',
      detail: `${f.bwrapVersion} is installed but cannot make its namespaces here`,
      fix: 'allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or the AppArmor rule for bwrap), or run the sandbox worker as root',
    };
  }
  return { name, status: 'ok', detail: `${f.bwrapVersion}, namespaces work` };
}

export function sandboxStartCheck(f: SandboxFacts): DoctorCheck {
  const name = 'sandbox';
  const mode = typeof f.mode === 'string' ? f.mode : 'none';
  if (!f.started.ok) {
    return {
      name,
      status: 'fail',
      detail: `a sandboxed command did not start: ${f.started.why}`,
      fix: 'see the reason above; OURO_SANDBOX=off runs without bubblewrap',
    };
  }
  return { name, status: 'ok', detail: `a sandboxed command ran in a fresh worktree (${mode}, ${f.started.seconds.toFixed(1)} s)` };
}

export function straceCheck(found: boolean): DoctorCheck {
  return found
    ? { name: 'strace', status: 'ok', detail: "installed: the base's run records what it looks for" }
    : {
        name: 'strace',
        status: 'warn',
        detail: "not installed (or too old for --seccomp-bpf): only the protected globs keep the runner's configuration the base's",
        fix: 'install strace 5.3 or later (apt install strace)',
      };
}

export interface CgroupFacts {
  root: boolean;
  off: boolean;
  /** The version of the memory cgroup one run got, or undefined when none could be made. */
  made?: 1 | 2;
}

export function cgroupCheck(f: CgroupFacts): DoctorCheck {
  const name = 'cgroups';
  if (f.made) return { name, status: 'ok', detail: `a memory cgroup per run (cgroup v${f.made})` };
  const why = f.off ? 'off (OURO_SANDBOX_CGROUP=off)' : !f.root ? 'not running as root' : 'no writable cgroup hierarchy with a memory controller';
  return {
    name,
    status: 'warn',
    detail: `no memory cgroup per run (${why}): memory is limited per process only`,
    fix: f.off
      ? 'unset OURO_SANDBOX_CGROUP'
      : !f.root
        ? 'run the sandbox worker as root'
        : 'mount cgroup v2 writable with the memory controller (or v1 memory)',
  };
}

export function temporalCheck(address: string, namespace: string, reached: { ok: true } | { ok: false; why: string; namespaceMissing?: boolean }): DoctorCheck {
  const name = 'temporal';
  if (reached.ok) return { name, status: 'ok', detail: `${address} answers, namespace ${namespace}` };
  if (reached.namespaceMissing) {
    return {
      name,
      status: 'fail',
      detail: `${address} answers, but namespace ${namespace} does not exist (${reached.why})`,
      fix: `create it (temporal operator namespace create ${namespace}) or set TEMPORAL_NAMESPACE`,
    };
  }
  return {
    name,
    status: 'fail',
    detail: `${address} does not answer (${reached.why})`,
    fix: 'start one with `ouro dev`, or set TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE / TEMPORAL_API_KEY for another',
  };
}

/** The embedded model on this host: required where local drafts are configured. */
export function modelCheck(found: { ok: true; label: string; path: string } | { ok: false; why: string }, localConfigured: boolean): DoctorCheck {
  const name = 'embedded model';
  if (found.ok) return { name, status: 'ok', detail: `${found.label} (${found.path})` };
  return {
    name,
    status: localConfigured ? 'fail' : 'warn',
    detail: localConfigured ? found.why : `${found.why} (only local drafts need it)`,
    fix: 'ouro setup (in a clone: npm run setup), or set OURO_LOCAL_MODEL to a GGUF file',
  };
}

/** A provider as a worker serving its draft queue sees it (the preflight's check). */
export function providerCheck(
  provider: string,
  outcome: ProviderCheckOutcome | { kind: 'unserved'; queue: string } | { kind: 'error'; why: string },
): DoctorCheck {
  const name = `provider ${provider}`;
  switch (outcome.kind) {
    case 'unserved':
      return {
        name,
        status: 'warn',
        detail: `no worker serves ${outcome.queue}: nothing to ask`,
        fix: `start one: ouro worker --queues ${outcome.queue} (or \`ouro dev\`)`,
      };
    case 'not-picked-up':
      return {
        name,
        status: 'warn',
        detail: `no worker took the check within ${outcome.seconds} s (all busy?)`,
        fix: 'run ouro doctor again when the workers are idle',
      };
    case 'error':
      return {
        name,
        status: 'fail',
        detail: `the check could not run: ${outcome.why}`,
        fix: 'restart the workers with this version of Ouro (they register the check)',
      };
    case 'answered': {
      const a = outcome.answer;
      if (a.problem) return { name, status: 'fail', detail: `${a.problem} [worker ${a.worker}]` };
      if (a.warning) return { name, status: 'warn', detail: `${a.ok.join('; ')} [worker ${a.worker}]`, fix: a.warning };
      return { name, status: 'ok', detail: `${a.ok.join('; ')} [worker ${a.worker}]` };
    }
  }
}

/** The queues a run needs besides the draft queues, by whether a worker polls them. */
export function queuesCheck(unserved: string[], all: string[]): DoctorCheck {
  if (!unserved.length) return { name: 'workers', status: 'ok', detail: `${all.join(', ')} served` };
  return {
    name: 'workers',
    status: 'warn',
    detail: `no worker polls ${unserved.join(', ')}`,
    fix: `ouro worker --queues ${unserved.join(',')} (or \`ouro dev\` for all of them on this machine)`,
  };
}
