// Judging many samples in one sandbox (`ouro eval samples.jsonl`): starting
// a sandbox, a worktree and a guard per sample cost ten times the test itself.
// One sandbox holds a small driver that runs each sample as a fresh Python
// process of its own, one after another, and between two samples kills every
// process the last one left and wipes every folder it could write, so no
// sample can reach the next. The driver makes itself non-dumpable, so no
// sample can read its memory (the tokens and the nonce) or its descriptors
// (the channel its verdicts travel on); each frame it prints carries a nonce
// only it and the activity know. A sample can still fake its *own* pass from
// inside its process (as with one sample per sandbox); it cannot change
// another's.
import { headTail } from '../views/excerpt.js';

/** Samples per sandbox: its start is amortised, and a sample that kills the driver costs a rerun of at most this many. */
export const SAMPLE_BATCH = 32;

export interface DriverSample {
  /** Python source written to solution.py in the sample's own folder. */
  solution: string;
  /** The judge program (`python3 -S -s -c`, site-packages on PYTHONPATH), which reads its token on stdin. */
  program: string;
  token: string;
}

export interface DriverManifest {
  nonce: string;
  timeoutSeconds: number;
  /** Kill every other process between samples: only inside a PID namespace (bubblewrap), never on a bare host. */
  barrier: boolean;
  /** Folders a sample could write, emptied between samples. */
  wipe: string[];
  /** Where each sample's folder and output file go (the sandbox's private /tmp; on a bare host, a folder of this batch's own). */
  scratch: string;
  samples: DriverSample[];
}

/** What the driver saw of one sample. */
export interface SampleRun {
  exitCode: number | null;
  signal?: number;
  timedOut: boolean;
  /** The sample's output, head and tail. */
  output: string;
  /** The driver could not stop the previous sample's processes: this one did not run. */
  notRun?: string;
}

/** The verdict of one run of a judge program: passed only when it exited 0 after printing its token. */
export function hiddenVerdict(
  r: { exitCode: number | null; signal?: string | number | null; timedOut: boolean; output: string },
  token: string | undefined,
  timeoutSeconds: number,
): { passed: boolean; reason: string } {
  const tail = headTail(r.output.trim(), 600);
  if (r.timedOut) return { passed: false, reason: `hidden tests: killed after ${timeoutSeconds} s (an endless loop?)` };
  if (r.exitCode !== 0) return { passed: false, reason: `hidden tests failed (exit ${r.exitCode ?? r.signal}): ${tail}` };
  if (token && !r.output.split('\n').some((l) => l.trim() === token)) {
    return { passed: false, reason: `hidden tests did not finish: the process exited 0 before the checks were done${tail ? ` (${tail})` : ''}` };
  }
  return { passed: true, reason: 'hidden tests passed' };
}

/** The driver printed its ready frame: it read the manifest, before any sample ran. */
export function driverStarted(output: string, nonce: string): boolean {
  return output.split('\n').some((l) => {
    if (!l.startsWith(`${nonce} `)) return false;
    try {
      return (JSON.parse(l.slice(nonce.length + 1)) as { ready?: unknown }).ready === true;
    } catch {
      return false;
    }
  });
}

/** The driver's frames: `<nonce> {"i": …}` lines; anything else (or a frame with another nonce) is ignored. */
export function parseDriverFrames(output: string, nonce: string, count: number): Map<number, SampleRun> {
  const runs = new Map<number, SampleRun>();
  for (const line of output.split('\n')) {
    if (!line.startsWith(`${nonce} `)) continue;
    let frame: unknown;
    try {
      frame = JSON.parse(line.slice(nonce.length + 1));
    } catch {
      continue;
    }
    const f = frame as { i?: unknown; exit?: unknown; signal?: unknown; timedOut?: unknown; output?: unknown; notRun?: unknown };
    if (typeof f.i !== 'number' || !Number.isInteger(f.i) || f.i < 0 || f.i >= count || runs.has(f.i)) continue;
    runs.set(f.i, {
      exitCode: typeof f.exit === 'number' ? f.exit : null,
      ...(typeof f.signal === 'number' ? { signal: f.signal } : {}),
      timedOut: f.timedOut === true,
      output: typeof f.output === 'string' ? f.output : '',
      ...(typeof f.notRun === 'string' ? { notRun: f.notRun } : {}),
    });
  }
  return runs;
}

/**
 * The driver (Python 3, run with -s): reads the manifest from stdin, then per
 * sample: barrier → wipe → write solution.py in a fresh folder → run the judge
 * program with its token on stdin, output to a file, killed at the timeout →
 * one frame on the channel (a private copy of stdout; its own stdout and
 * stderr then point at /dev/null).
 */
export const DRIVER_PROGRAM = String.raw`
import ctypes, json, os, shutil, signal, subprocess, sys, time
try:
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: no sample may read this process's memory or descriptors
except Exception:
    pass
manifest = json.loads(sys.stdin.read())
channel = os.fdopen(os.dup(1), "w")  # not inherited (PEP 446)
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)
nonce = manifest["nonce"]
limit = manifest["timeoutSeconds"]

def frame(data):
    channel.write(nonce + " " + json.dumps(data) + "\n")
    channel.flush()

frame({"ready": True})

def chain():
    keep, pid = {os.getpid()}, os.getpid()
    while pid > 1:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        pid = int(stat[stat.rindex(")") + 2:].split()[1])
        keep.add(pid)
    return keep

KEEP = chain()

def alive_others():
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) in KEEP:
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2] not in "ZX":
            out.append(int(name))
    return out

def barrier():
    for _ in range(400):
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
        others = alive_others()
        if not others:
            return True
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
    return False

def wipe():
    for root in manifest["wipe"]:
        try:
            names = os.listdir(root)
        except OSError:
            continue
        for name in names:
            if name == ".git":
                continue
            path = os.path.join(root, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass

def excerpt(path):
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(0)
            head = f.read(800)
            tail = b""
            if size > 800:
                f.seek(max(800, size - 1600))
                tail = f.read(1600)
        text = head.decode("utf-8", "replace")
        if tail:
            text += ("\n…\n" if size > 2400 else "") + tail.decode("utf-8", "replace")
        return text
    except OSError:
        return ""

# Each sample starts without site (-S): a host's .pth files can cost tens of ms a start (one imports certifi here);
# the site-packages folders themselves stay importable through PYTHONPATH.
import site
packages = [p for p in site.getsitepackages() if os.path.isdir(p)]
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=os.pathsep.join(packages + [os.environ.get("PYTHONPATH", "")]).strip(os.pathsep))
for i, sample in enumerate(manifest["samples"]):
    if manifest["barrier"] and not barrier():
        frame({"i": i, "exit": None, "timedOut": False, "output": "", "notRun": "the previous sample's processes could not be stopped"})
        continue
    wipe()
    here = os.path.join(manifest["scratch"], "ouro-sample-%d" % i)
    os.makedirs(here, exist_ok=True)
    with open(os.path.join(here, "solution.py"), "w") as f:
        f.write(sample["solution"])
    log = os.path.join(manifest["scratch"], "ouro-output-%d" % i)
    timed_out = False
    with open(log, "wb") as out:
        child = subprocess.Popen([sys.executable, "-S", "-s", "-c", sample["program"]], cwd=here, stdin=subprocess.PIPE, stdout=out,
                                 stderr=subprocess.STDOUT, start_new_session=True, env=dict(env, HOME=here))
        try:
            child.stdin.write((sample["token"] + "\n").encode())
            child.stdin.close()
        except OSError:
            pass
        try:
            child.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            timed_out = True
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except OSError:
                pass
            child.wait()
    code = child.returncode
    frame({"i": i, "exit": code if code is not None and code >= 0 else None, "signal": -code if code is not None and code < 0 else None,
           "timedOut": timed_out, "output": excerpt(log)})
if manifest["barrier"]:
    barrier()
wipe()
`;
