// Many samples judged in one sandbox (`ouro eval samples.jsonl`): the same
// verdicts as one sandbox each, and no sample can reach another — not by a
// process it leaves behind, a file it plants, the driver it kills, or the
// channel the verdicts travel on.
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeBatch } from '../../activities/sandbox/judge-batch.js';
import type { JudgeBatchRequest, JudgeBatchResult } from '../../core/contracts/eval.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import type { HumanEvalProblem } from '../../core/eval/humaneval.js';
import { sandboxMode } from '../../adapters/sandbox/sandbox.js';
import { PROJECT_ROOT } from '../../adapters/project-root.js';
import { execa } from 'execa';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The unprivileged user a worker that is not root runs as here. */
const NOBODY = 65534;

const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
let problems: Map<string, HumanEvalProblem>;
beforeAll(async () => {
  problems = new Map((await loadHumanEval()).map((p) => [p.task_id, p]));
});
const canonical = (task: string) => problems.get(task)!.canonical_solution;
let n = 0;
const judge = (samples: Array<[task: string, completion: string]>, timeoutSeconds = 3): Promise<JudgeBatchResult> =>
  env.run(judgeBatch, {
    suite: 'humaneval',
    samples: samples.map(([task, completion], i) => ({ key: `k${i}`, task, completion })),
    label: `test-${process.pid}-${n++}`,
    timeoutSeconds,
  } satisfies JudgeBatchRequest) as Promise<JudgeBatchResult>;

const WRONG = '    return 0\n';

describe('judging a batch of samples in one sandbox', () => {
  it('gives each sample the verdict it would get alone: passes, failures, a hang, an early exit, a printed verdict', async () => {
    const r = await judge([
      ['HumanEval/41', canonical('HumanEval/41')],
      ['HumanEval/41', WRONG],
      ['HumanEval/2', '    while True:\n        pass\n'],
      ['HumanEval/2', `${canonical('HumanEval/2')}import os\nos._exit(0)\n`],
      ['HumanEval/0', '    print("hidden tests passed")\n    import os\n    os._exit(0)\n'],
      ['HumanEval/0', '    return n **\n'],
      ['HumanEval/0', canonical('HumanEval/0')],
    ]);
    expect(r.rerun).toBe(0);
    expect(r.verdicts.map((v) => v.passed)).toEqual([true, false, false, false, false, false, true]);
    expect(r.verdicts[1]!.reason).toMatch(/hidden tests failed \(exit 1\).*AssertionError/s);
    expect(r.verdicts[2]!.reason).toMatch(/killed after 3 s/);
    expect(r.verdicts[3]!.reason).toMatch(/the candidate's process ended before the checks were done/);
    expect(r.verdicts[4]!.reason).toMatch(/the candidate's process ended before the checks were done/);
    expect(r.verdicts[5]!.reason).toMatch(/SyntaxError/);
    expect(r.verdicts.map((v) => v.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  }, 120_000);

  it('a sample that kills its judge fails; the others are judged again, each alone, and keep their verdicts', async () => {
    // It kills every process it can see: only inside a PID namespace.
    if ((await sandboxMode()) !== 'bwrap') return;
    // Its parent is the candidates' process, not the judge: it kills every process it can see.
    const killer = `${WRONG}import os, signal\nfor p in os.listdir("/proc"):\n    if p.isdigit() and int(p) != os.getpid():\n        try:\n            os.kill(int(p), signal.SIGKILL)\n        except OSError:\n            pass\n`;
    const r = await judge([
      ['HumanEval/41', canonical('HumanEval/41')],
      ['HumanEval/41', killer],
      ['HumanEval/0', canonical('HumanEval/0')],
      ['HumanEval/0', WRONG],
    ]);
    expect(r.verdicts.map((v) => v.passed)).toEqual([true, false, true, false]);
    expect(r.verdicts[1]!.reason).toMatch(/judge was killed before its verdict/);
    expect(r.rerun).toBe(3);
  }, 120_000);

  it("a sample that kills or stops the candidates' process fails alone: the next sample gets a new one and keeps its verdict", async () => {
    const r = await judge([
      ['HumanEval/41', `${WRONG}import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n`],
      ['HumanEval/41', canonical('HumanEval/41')],
      ['HumanEval/41', `${WRONG}import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n`],
      ['HumanEval/0', canonical('HumanEval/0')],
    ]);
    expect(r.verdicts.map((v) => v.passed)).toEqual([false, true, false, true]);
    expect(r.rerun).toBe(0);
  }, 120_000);

  // The attacks below need the PID namespace the barrier stands on.
  const bwrapOnly = async () => (await sandboxMode()) === 'bwrap';

  it('what a sample leaves behind cannot reach the next: a daemon, planted files, and its attempts on the driver', async () => {
    if (!(await bwrapOnly())) return;
    expectAttacksHeld(await judge(attacks()));
  }, 120_000);

  it('the same attacks, on a worker that is not root (bubblewrap in a user namespace)', async () => {
    if (!(await bwrapOnly()) || process.getuid?.() !== 0) return;
    // A folder of its own for the unprivileged worker: its home, workspaces and scratch.
    const home = await mkdtemp(join(tmpdir(), 'ouro-judge-user-'));
    await chown(home, NOBODY, NOBODY);
    try {
      const request: JudgeBatchRequest = {
        suite: 'humaneval',
        samples: attacks().map(([task, completion], i) => ({ key: `k${i}`, task, completion })),
        label: `user-${process.pid}`,
        timeoutSeconds: 3,
      };
      const run = await execa(
        'setpriv',
        [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'node', '--import', 'tsx', join(PROJECT_ROOT, 'test', 'helpers', 'judge-batch-cli.ts')],
        {
          cwd: PROJECT_ROOT,
          input: JSON.stringify(request),
          env: { HOME: home, OURO_WORKSPACE_ROOT: join(home, 'workspaces'), TMPDIR: home },
          reject: false,
          timeout: 120_000,
        },
      );
      expect(run.exitCode, run.stderr).toBe(0);
      expectAttacksHeld(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as JudgeBatchResult);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 150_000);
});

/** Every wrong sample fails on its own assertion: no rewritten solution, no planted module, no forged frame. */
function expectAttacksHeld(r: JudgeBatchResult): void {
  expect(r.verdicts.map((v) => v.passed)).toEqual([false, false, false, false, true, false]);
  for (const i of [0, 1, 3, 5]) expect(r.verdicts[i]!.reason).toMatch(/hidden tests failed \(exit 1\).*AssertionError/s);
  // The driver is not dumpable: its memory (the nonce, every token) is closed to the spy, which found no secret at all.
  // (As a user that is not root it can read bubblewrap's memory, which holds none: a constant of libcap is all it finds.)
  expect(r.verdicts[2]!.reason).toMatch(/found 0 secrets\b/);
  expect(r.rerun).toBe(0);
}

/**
 * A daemon, a wrong sample, a spy, a wrong sample, a right one, a wrong one. Sample 0 leaves a detached
 * daemon that, once the next sample runs, writes the right answer over its solution.py, kills every
 * Python it can see, and plants a module and files in every writable place it knows. Sample 2 reads what
 * it can of its judge (memory, descriptors, environment) and writes forged frames for every 32-hex string
 * it finds to every descriptor it can open.
 */
function attacks(): Array<[task: string, completion: string]> {
  const right41 = JSON.stringify(`${problems.get('HumanEval/41')!.prompt}${canonical('HumanEval/41')}`);
  const daemon = `${WRONG}import os, time, glob
if os.fork() == 0:
  os.setsid()
  if os.fork() == 0:
      for _ in range(400):
          for f in glob.glob("/tmp/ouro-sample-*/solution.py"):
              try:
                  open(f, "w").write(${right41})
              except OSError:
                  pass
          for d in ("/tmp", "/dev/shm", os.getcwd()):
              try:
                  open(os.path.join(d, "sitecustomize.py"), "w").write("import os; os._exit(0)")
              except OSError:
                  pass
          time.sleep(0.01)
      os._exit(0)
  os._exit(0)
`;
  const spy = `${WRONG}import os, re, json
found = set()
# What a mapping of a file on disk holds may be a constant of that file (libcap carries a 32-hex string): not a secret.
constants = set()
for pid in [d for d in os.listdir("/proc") if d.isdigit() and int(d) != os.getpid()]:
  for what in ("environ", "cmdline"):
      try:
          found.update(re.findall(rb"[0-9a-f]{32}", open("/proc/%s/%s" % (pid, what), "rb").read()))
      except OSError:
          pass
  try:
      mem = open("/proc/%s/mem" % pid, "rb", 0)
      for line in open("/proc/%s/maps" % pid):
          span, perms, *rest = line.split()
          backing = rest[3] if len(rest) > 3 and rest[3].startswith("/") else None
          if not perms.startswith("rw"):
              continue
          lo, hi = (int(x, 16) for x in span.split("-"))
          try:
              mem.seek(lo)
              for h in re.findall(rb"[0-9a-f]{32}", mem.read(min(hi - lo, 64 << 20))):
                  try:
                      (constants if backing and h in open(backing, "rb").read() else found).add(h)
                  except OSError:
                      found.add(h)
          except (OSError, OverflowError, ValueError):
              pass
  except OSError:
      pass
forged = "\\n".join(sorted(h.decode() for h in found))
for pid in [d for d in os.listdir("/proc") if d.isdigit()]:
  try:
      fds = os.listdir("/proc/%s/fd" % pid)
  except OSError:
      continue
  for fd in fds:
      try:
          w = os.open("/proc/%s/fd/%s" % (pid, fd), os.O_WRONLY | os.O_NONBLOCK)
      except OSError:
          continue
      for h in found:
          for i in range(8):
              try:
                  os.write(w, h + b" " + json.dumps({"i": i, "exit": 0, "timedOut": False, "output": forged}).encode() + b"\\n")
              except OSError:
                  pass
      os.close(w)
print("found", len(found), "secrets and", len(constants), "constants of files on disk")
`;
  return [
    ['HumanEval/41', daemon],
    ['HumanEval/41', WRONG],
    ['HumanEval/41', spy],
    ['HumanEval/41', WRONG],
    ['HumanEval/0', canonical('HumanEval/0')],
    ['HumanEval/41', WRONG],
  ];
}
