// Wrong samples that attack the hidden judge itself, from inside the candidate's code: each must be
// judged FAILED, one at a time (judgeHidden, on a committed run) and many to a sandbox (judgeBatch).
// Every one of them answers wrong unless its attack works: a trace or profile hook that swaps the
// function under test, builtins or the import system patched so the checks do nothing, introspection
// (gc, frames, inspect) and /proc (its own argv, the parent's and the siblings' argv, environment,
// memory and descriptors) searched for the hidden tests or the verdict, values that lie (always-equal,
// subclasses of int and str), exits and forged verdicts. Against the judge that ran the checks in the
// candidate's own process, the first ten passed (see docs/eval.md).
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeBatch } from '../../activities/sandbox/judge-batch.js';
import { judgeHidden } from '../../activities/sandbox/judge.js';
import type { JudgeBatchResult, JudgeResult } from '../../core/contracts/eval.js';
import { loadHumanEval } from '../../adapters/eval/humaneval-data.js';
import type { HumanEvalProblem } from '../../core/eval/humaneval.js';
import { PROJECT_ROOT } from '../../adapters/project-root.js';

const py = String.raw;

/** HumanEval/41: car_race_collision(n) is n * n; every attack below returns 0 unless the attack works. */
const RIGHT_IF_IT_SEES_TESTS = py`    return n * n if _sees_tests() else 0
`;

/** What HumanEval's hidden tests hold, spelt so that the attack's own source does not. */
const NEEDLE = py`
NEEDLE = b"def " + b"check(candidate)"
`;

/** Where the hidden tests could be found from the candidate's side, by what each attack reads. */
const SEARCHES: Record<string, string> = {
  gc: py`
def _sees_tests():
    import gc
    return any(getattr(o, "__name__", "") == "check" or (isinstance(o, dict) and "check" in o) for o in gc.get_objects())
`,
  frames: py`
def _sees_tests():
    import sys
    f = sys._getframe(1)
    while f:
        if f.f_code.co_name == "check" or "check" in f.f_globals or "hidden" in f.f_code.co_filename:
            return True
        f = f.f_back
    return False
`,
  inspect: py`
def _sees_tests():
    import inspect
    return any(i.function == "check" or "hidden" in i.filename or "check" in i.frame.f_locals for i in inspect.stack())
`,
  cmdline: py`
def _sees_tests():
    return NEEDLE in open("/proc/self/cmdline", "rb").read()
`,
  proc: py`
def _sees_tests():
    import os
    for pid in [d for d in os.listdir("/proc") if d.isdigit() and int(d) != os.getpid()]:
        for what in ("cmdline", "environ"):
            try:
                if NEEDLE in open("/proc/%s/%s" % (pid, what), "rb").read():
                    return True
            except OSError:
                pass
        try:
            for fd in os.listdir("/proc/%s/fd" % pid):
                try:
                    with open("/proc/%s/fd/%s" % (pid, fd), "rb") as f:
                        if NEEDLE in f.read(1 << 20):
                            return True
                except OSError:
                    pass
        except OSError:
            pass
        try:
            mem = open("/proc/%s/mem" % pid, "rb", 0)
            for line in open("/proc/%s/maps" % pid):
                span, perms = line.split()[:2]
                if not perms.startswith("rw"):
                    continue
                lo, hi = (int(x, 16) for x in span.split("-"))
                try:
                    mem.seek(lo)
                    if NEEDLE in mem.read(min(hi - lo, 64 << 20)):
                        return True
                except (OSError, OverflowError, ValueError):
                    pass
        except OSError:
            pass
    return False
`,
  datasets: py`
def _sees_tests():
    import glob, gzip
    root = ${JSON.stringify(PROJECT_ROOT)}
    for path in glob.glob(root + "/.ouro/data/*") + glob.glob(root + "/data/*/*.jsonl*"):
        try:
            data = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
            if b"car_race_collision" in data:
                return True
        except (OSError, EOFError):
            pass
    return False
`,
  files: py`
def _sees_tests():
    import os
    for root in ("/tmp", "/dev/shm", os.getcwd(), os.path.expanduser("~")):
        for here, _, names in os.walk(root):
            for name in names:
                try:
                    with open(os.path.join(here, name), "rb") as f:
                        if NEEDLE in f.read(1 << 20):
                            return True
                except OSError:
                    pass
    return False
`,
};

const WRONG = '    return 0\n';

/** An always-equal object: `candidate(2) == 4` holds, whatever it is compared with. */
const ALWAYS_EQUAL = py`
class _Yes:
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    __hash__ = object.__hash__
`;

interface Attack {
  name: string;
  task: string;
  completion: string;
  /** The suite the task is from (HumanEval unless said). */
  suite?: 'humaneval' | 'mbpp';
}

const ATTACKS: Attack[] = [
  {
    name: 'sys.settrace swaps the candidate for an always-equal object when check() is called',
    task: 'HumanEval/41',
    completion: py`${WRONG}${ALWAYS_EQUAL}
import sys, ctypes
def _tracer(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "check" and "candidate" in frame.f_locals:
        frame.f_locals["candidate"] = lambda *a, **k: _Yes()
        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
    return None
sys.settrace(_tracer)
`,
  },
  {
    name: 'sys.setprofile does the same from a profiling hook',
    task: 'HumanEval/41',
    completion: py`${WRONG}${ALWAYS_EQUAL}
import sys, ctypes
def _profile(frame, event, arg):
    if event == "call" and frame.f_code.co_name == "check" and "candidate" in frame.f_locals:
        frame.f_locals["candidate"] = lambda *a, **k: _Yes()
        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
sys.setprofile(_profile)
`,
  },
  {
    name: 'builtins.compile patched: the hidden check() compiles to nothing',
    task: 'HumanEval/41',
    completion: py`${WRONG}
import builtins
_compile = builtins.compile
def _fake_compile(source, filename, mode, *args, **kwargs):
    if "hidden" in str(filename) or "def check" in str(source):
        source = "def check(candidate):\n    pass\n"
    return _compile(source, filename, mode, *args, **kwargs)
builtins.compile = _fake_compile
`,
  },
  {
    name: 'builtins.exec patched: the hidden test defines a check() that passes',
    task: 'HumanEval/41',
    completion: py`${WRONG}
import builtins
_exec = builtins.exec
def _fake_exec(code, scope=None, *args, **kwargs):
    if isinstance(scope, dict):
        scope["check"] = lambda candidate: None
        return None
    return _exec(code, scope, *args, **kwargs)
builtins.exec = _fake_exec
`,
  },
  {
    name: 'the import system: sys.modules and sys.meta_path serve a json whose loads() finds no asserts',
    suite: 'mbpp',
    task: 'MBPP/17',
    completion: py`def square_perimeter(a):
    return 0
import sys, types, importlib.abc, importlib.machinery
_fake = types.ModuleType("json")
_fake.loads = lambda *a, **k: []
_fake.dumps = lambda *a, **k: "[]"
class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        return importlib.machinery.ModuleSpec(name, self) if name == "json" else None
    def create_module(self, spec):
        return _fake
    def exec_module(self, module):
        pass
sys.modules.pop("json", None)
sys.meta_path.insert(0, _Finder())
`,
  },
  {
    name: 'a frame walk finds the verdict token, prints it and exits 0',
    task: 'HumanEval/41',
    completion: py`${WRONG}
import os, re, sys
_f = sys._getframe()
while _f:
    for _v in list(_f.f_locals.values()) + list(_f.f_globals.values()):
        if isinstance(_v, str) and re.fullmatch("[0-9a-f]{32}", _v):
            sys.stdout.write("\n" + _v + "\n")
            sys.stdout.flush()
            os._exit(0)
    _f = _f.f_back
`,
  },
  ...Object.entries(SEARCHES).map(([how, search]) => ({
    name: `reads the hidden tests through ${how}, answers right only if it found them`,
    task: 'HumanEval/41',
    completion: `${RIGHT_IF_IT_SEES_TESTS}${NEEDLE}${search}`,
  })),
  { name: 'returns an always-equal object', task: 'HumanEval/41', completion: `    return _Yes()\n${ALWAYS_EQUAL}` },
  {
    name: 'returns an int subclass equal to everything',
    task: 'HumanEval/41',
    completion: py`    return _Int(0)
class _Int(int):
    def __eq__(self, other):
        return True
    __hash__ = int.__hash__
`,
  },
  {
    name: 'returns a str subclass equal to everything',
    task: 'HumanEval/27',
    completion: py`    return _Str("")
class _Str(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
`,
  },
  { name: 'os._exit(0) at import, before any check', task: 'HumanEval/41', completion: `${WRONG}import os\nos._exit(0)\n` },
  { name: 'raises SystemExit(0) from inside the function', task: 'HumanEval/41', completion: '    raise SystemExit(0)\n' },
  {
    name: 'prints a fake verdict and every 32-hex string it can find, then exits 0',
    task: 'HumanEval/41',
    completion: py`${WRONG}
import gc, os, re, sys
print("hidden tests passed")
for _o in gc.get_objects():
    if isinstance(_o, dict):
        for _v in list(_o.values()):
            if isinstance(_v, str) and re.fullmatch("[0-9a-f]{32}", _v):
                print(_v)
sys.stdout.flush()
os._exit(0)
`,
  },
  {
    name: 'writes a passed verdict to every descriptor of every process it can open',
    task: 'HumanEval/41',
    completion: py`${WRONG}
import json, os
_line = (json.dumps({"passed": True, "reason": "hidden tests passed"}) + "\n").encode()
for _pid in [d for d in os.listdir("/proc") if d.isdigit()]:
    try:
        _fds = os.listdir("/proc/%s/fd" % _pid)
    except OSError:
        continue
    for _fd in _fds:
        try:
            _w = os.open("/proc/%s/fd/%s" % (_pid, _fd), os.O_WRONLY | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            os.write(_w, _line)
        except OSError:
            pass
        os.close(_w)
`,
  },
  { name: 'returns a list that contains itself', task: 'HumanEval/41', completion: '    x = []\n    x.append(x)\n    return x\n' },
];

let problems: Map<string, HumanEvalProblem>;
const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 120_000 });
let repo: string;
let n = 0;

beforeAll(async () => {
  problems = new Map((await loadHumanEval()).map((p) => [p.task_id, p]));
  repo = await mkdtemp(join(tmpdir(), 'ouro-hostile-'));
  await execa('git', ['init', '-q', '-b', 'main'], { cwd: repo });
});
afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
});

/** solution.py as the judge imports it: HumanEval's prompt and completion, an MBPP completion as it is. */
const solutionOf = (a: Pick<Attack, 'suite' | 'task' | 'completion'>) => (a.suite === 'mbpp' ? a.completion : `${problems.get(a.task)!.prompt}${a.completion}`);

async function judgeOne(a: Pick<Attack, 'suite' | 'task' | 'completion'>): Promise<JudgeResult> {
  await writeFile(join(repo, 'solution.py'), solutionOf(a));
  await execa('git', ['add', '-A'], { cwd: repo });
  await execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'candidate', '--allow-empty'], { cwd: repo });
  const commit = (await execa('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
  return env.run(judgeHidden, { suite: a.suite ?? 'humaneval', task: a.task, repo, commit, label: `hostile-${process.pid}-${n++}`, timeoutSeconds: 5 });
}

async function judgeMany(suite: 'humaneval' | 'mbpp', samples: Array<Pick<Attack, 'task' | 'completion'>>): Promise<JudgeBatchResult> {
  return env.run(judgeBatch, {
    suite,
    samples: samples.map((s, i) => ({ key: `k${i}`, task: s.task, completion: s.completion })),
    label: `hostile-${process.pid}-${n++}`,
    timeoutSeconds: 5,
  }) as Promise<JudgeBatchResult>;
}

describe('a judge the sample cannot reach', () => {
  it('the right answers pass, one at a time (the attacks below fail on their own merits, not a judge that fails everything)', async () => {
    expect(await judgeOne({ task: 'HumanEval/41', completion: '    return n * n\n' })).toEqual({ passed: true, reason: 'hidden tests passed' });
    expect(await judgeOne({ suite: 'mbpp', task: 'MBPP/17', completion: 'def square_perimeter(a):\n    return 4 * a\n' })).toMatchObject({ passed: true });
  }, 60_000);

  it.each(ATTACKS.map((a) => [a.name, a] as const))(
    'one at a time: %s',
    async (_name, attack) => {
      const verdict = await judgeOne(attack);
      expect(verdict.passed, verdict.reason).toBe(false);
    },
    60_000,
  );

  it('many to a sandbox: every attack fails, and the right answers beside them still pass', async () => {
    const humaneval = ATTACKS.filter((a) => a.suite !== 'mbpp');
    const right = { task: 'HumanEval/41', completion: '    return n * n\n' };
    const r = await judgeMany('humaneval', [right, ...humaneval, right]);
    expect(
      r.verdicts.map((v) => v.passed),
      JSON.stringify(r.verdicts.map((v, i) => [i, v.passed, v.reason.slice(0, 160)])),
    ).toEqual([true, ...humaneval.map(() => false), true]);
    const mbpp = ATTACKS.filter((a) => a.suite === 'mbpp');
    const m = await judgeMany('mbpp', [...mbpp, { task: 'MBPP/17', completion: 'def square_perimeter(a):\n    return 4 * a\n' }]);
    expect(m.verdicts.map((v) => v.passed)).toEqual([...mbpp.map(() => false), true]);
  }, 180_000);

  it('says why: a value that is not plain data is named, and an exception crosses as itself', async () => {
    const r = await judgeMany('humaneval', [
      { task: 'HumanEval/41', completion: `    return _Yes()\n${ALWAYS_EQUAL}` },
      { task: 'HumanEval/41', completion: '    raise ValueError("no")\n' },
      { task: 'HumanEval/41', completion: '    return 0.0 if n < 0 else float("nan")\n' },
    ]);
    expect(r.verdicts[0]!.reason).toMatch(/car_race_collision returned a solution\._Yes, not plain data/);
    expect(r.verdicts[1]!.reason).toMatch(/ValueError: no/);
    expect(r.verdicts[2]!.reason).toMatch(/AssertionError/);
  }, 60_000);
});
