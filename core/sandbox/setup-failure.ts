// bubblewrap sets up the sandbox (mounts, namespaces) before it runs the
// command, and when that fails it prints "bwrap: ..." and exits 1, as a test
// suite that fails may. The two are told apart by bwrap's --json-status-fd:
// bwrap writes {"exit-code": N} there only when the command was started. A
// run whose command never started says nothing about the code under test (a
// workspace that vanished, a bind that could not be made): it is the
// host's failure, to be retried, never a red suite.

export interface SandboxedExit {
  /** The sandbox's mode: only bubblewrap sets anything up. */
  mode: 'bwrap' | 'degraded';
  exitCode: number | null;
  timedOut: boolean;
  /** What bwrap wrote to its status fd; undefined when the file was never made (bwrap was not reached). */
  status: string | undefined;
  output: string;
}

/** Whether bwrap's status says the command was started (an "exit-code" entry). */
export function commandStarted(status: string): boolean {
  return /"exit-code"\s*:/.test(status);
}

/** bwrap's own message when it failed before starting the command; undefined when the command ran (or may have). */
export function sandboxSetupFailure(exit: SandboxedExit): string | undefined {
  // A timeout or a kill (no exit code) stops bwrap before it can write the exit code: that run did start.
  if (exit.mode !== 'bwrap' || exit.timedOut || exit.exitCode === null || exit.exitCode === 0) return undefined;
  // No status at all: what starts bwrap (joining the run's memory cgroup, opening the status file) failed first.
  if (exit.status === undefined) return `the sandbox was not started: ${exit.output.trim().slice(0, 300) || `exit code ${exit.exitCode}`}`;
  if (exit.exitCode !== 1 || commandStarted(exit.status)) return undefined;
  const own = exit.output
    .split('\n')
    .filter((l) => l.startsWith('bwrap: '))
    .slice(0, 3);
  return (own.length ? own.join('; ') : exit.output.trim().slice(0, 300)) || 'bwrap exited 1 before starting the command';
}
