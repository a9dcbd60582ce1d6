import { describe, expect, it } from 'vitest';
import { commandStarted, sandboxSetupFailure } from '../../../core/sandbox/setup-failure.js';

const started = '{ "child-pid": 14233, "mnt-namespace": 4026532245 }\n{ "exit-code": 1 }\n';
const notStarted = '{ "child-pid": 14236, "mnt-namespace": 4026532245 }\n';
const bwrapSaid = "bwrap: Can't find source path /tmp/ouro-0/abc/run/base: No such file or directory\n";

describe("bubblewrap's own failures", () => {
  it('a bwrap that exited 1 before starting the command is a setup failure, with its message', () => {
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 1, timedOut: false, status: notStarted, output: bwrapSaid })).toBe(
      "bwrap: Can't find source path /tmp/ouro-0/abc/run/base: No such file or directory",
    );
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 1, timedOut: false, status: '', output: '' })).toMatch(/before starting/);
  });

  it('a suite that printed "bwrap: ..." and exited 1 after starting is a red suite, not a setup failure', () => {
    expect(commandStarted(started)).toBe(true);
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 1, timedOut: false, status: started, output: 'bwrap: fake\n' })).toBeUndefined();
  });

  it('no status file at all (joining the memory cgroup failed before bwrap) is a setup failure too', () => {
    const output = 'sh: 1: cannot create /sys/fs/cgroup/ouro/run-3/cgroup.procs: Directory nonexistent\n';
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 2, timedOut: false, status: undefined, output })).toBe(
      `the sandbox was not started: ${output.trim()}`,
    );
  });

  it('a pass, a timeout, a kill, another exit code after bwrap or the degraded sandbox never count as a setup failure', () => {
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 0, timedOut: false, status: undefined, output: '' })).toBeUndefined();
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: null, timedOut: false, status: undefined, output: '' })).toBeUndefined();
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: null, timedOut: true, status: notStarted, output: '' })).toBeUndefined();
    expect(sandboxSetupFailure({ mode: 'bwrap', exitCode: 137, timedOut: false, status: notStarted, output: '' })).toBeUndefined();
    expect(sandboxSetupFailure({ mode: 'degraded', exitCode: 1, timedOut: false, status: '', output: bwrapSaid })).toBeUndefined();
  });
});
