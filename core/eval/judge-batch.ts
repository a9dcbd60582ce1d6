// Judging samples in a sandbox (`ouro eval samples.jsonl`, and the hidden tests of one committed run): one
// sandbox holds a small driver that judges each sample in turn, and between two samples kills every
// process the last one left and wipes every folder it could write, so no sample can reach the next.
//
// The candidate's code and the hidden checks never share a process. The driver starts one process that
// knows nothing of the tests (judge-candidate.ts: a fixed program, its input a folder to import from),
// which forks a fresh child per sample; the driver forks a checker per sample (judge-checker.ts), which
// runs the checks and calls the candidate's function through a proxy that carries plain data only. The
// tests reach the driver on its stdin, never in an argv, an environment or a file; the driver and its
// checkers are not dumpable, so no sample can read their memory or descriptors; a checker's verdict goes
// to the driver on a pipe only the two hold, and each frame the driver prints carries a nonce only it and
// the activity know. A sample can lie only with the values it returns, which is no stronger than
// computing them.
import { headTail } from '../views/excerpt.js';
import type { HiddenCheck } from './judge-program.js';

/** Samples per sandbox: its start is amortised, and a sample that kills the driver costs a rerun of at most this many. */
export const SAMPLE_BATCH = 32;

export interface DriverSample {
  /** Python source written to solution.py in the sample's own folder; or */
  solution?: string;
  /** a folder (a committed run's worktree) whose solution.py is imported as it is. */
  dir?: string;
  check: HiddenCheck;
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
  /** The candidates' process and the checker (judge-candidate.ts, judge-checker.ts). */
  candidateProgram: string;
  checkerProgram: string;
}

/** What the driver saw of one sample. */
export interface SampleRun {
  exitCode: number | null;
  signal?: number;
  timedOut: boolean;
  /** The candidate's output, head and tail. */
  output: string;
  /** The checker's verdict: every check ran and none failed. */
  passed?: boolean;
  /** Why not: the failed check's traceback, a value that was not plain data, the candidate's process gone. */
  reason?: string;
  /** The driver could not stop the previous sample's processes: this one did not run. */
  notRun?: string;
}

/** The verdict of a user suite's own hidden command: its exit code decides. */
export function hiddenVerdict(
  r: { exitCode: number | null; signal?: string | number | null; timedOut: boolean; output: string },
  timeoutSeconds: number,
): { passed: boolean; reason: string } {
  const tail = headTail(r.output.trim(), 600);
  if (r.timedOut) return { passed: false, reason: `hidden tests: killed after ${timeoutSeconds} s (an endless loop?)` };
  if (r.exitCode !== 0) return { passed: false, reason: `hidden tests failed (exit ${r.exitCode ?? r.signal}): ${tail}` };
  return { passed: true, reason: 'hidden tests passed' };
}

/** The verdict of one sample the driver judged: passed only when its checker said so and exited 0. */
export function sampleVerdict(r: SampleRun, timeoutSeconds: number): { passed: boolean; reason: string } {
  if (r.timedOut) return { passed: false, reason: `hidden tests: killed after ${timeoutSeconds} s (an endless loop?)` };
  if (r.passed === true && r.exitCode === 0) return { passed: true, reason: 'hidden tests passed' };
  const output = headTail(r.output.trim(), 600);
  const why = headTail((r.reason ?? '').trim(), 900) || 'no verdict';
  return { passed: false, reason: `hidden tests failed (exit ${r.exitCode ?? r.signal}): ${why}${output ? `\n(the candidate printed: ${output})` : ''}` };
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
    const f = frame as {
      i?: unknown;
      exit?: unknown;
      signal?: unknown;
      timedOut?: unknown;
      output?: unknown;
      notRun?: unknown;
      passed?: unknown;
      reason?: unknown;
    };
    if (typeof f.i !== 'number' || !Number.isInteger(f.i) || f.i < 0 || f.i >= count || runs.has(f.i)) continue;
    runs.set(f.i, {
      exitCode: typeof f.exit === 'number' ? f.exit : null,
      ...(typeof f.signal === 'number' ? { signal: f.signal } : {}),
      timedOut: f.timedOut === true,
      output: typeof f.output === 'string' ? f.output : '',
      ...(typeof f.notRun === 'string' ? { notRun: f.notRun } : {}),
      ...(typeof f.passed === 'boolean' ? { passed: f.passed } : {}),
      ...(typeof f.reason === 'string' ? { reason: f.reason } : {}),
    });
  }
  return runs;
}

/**
 * The driver (Python 3, run with -s): reads the manifest from stdin, starts the candidates' process, then per
 * sample: barrier → wipe → write solution.py in a fresh folder (or take the run's worktree) → fork a checker,
 * killed with the candidate at the timeout → one frame on the channel (a private copy of stdout; its own
 * stdout and stderr then point at /dev/null).
 */
export const DRIVER_PROGRAM = String.raw`
import ctypes, json, os, shutil, signal, socket, subprocess, sys, time, select
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
        if not name.isdigit() or int(name) in KEEP or int(name) == zygote_pid():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        if stat[stat.rindex(")") + 2] not in "ZX":
            out.append(int(name))
    return out

def reap():
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return
        except ChildProcessError:
            return

def barrier():
    for _ in range(400):
        reap()
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

# Every process starts without site (-S): a host's .pth files can cost tens of ms a start (one imports certifi here);
# the site-packages folders themselves stay importable through PYTHONPATH.
import site
packages = [p for p in site.getsitepackages() if os.path.isdir(p)]
env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=os.pathsep.join(packages + [os.environ.get("PYTHONPATH", "")]).strip(os.pathsep))

# The candidates' side: one process per batch that holds nothing of the tests (its program is fixed, its input a folder
# to import from) and forks a fresh child for each sample. The tests stay in this process and the checkers it forks.
zygote = {}

def zygote_pid():
    return zygote["process"].pid if zygote else -1

def start_zygote():
    stop_zygote()
    ours, theirs = socket.socketpair()
    process = subprocess.Popen([sys.executable, "-S", "-s", "-c", manifest["candidateProgram"], str(theirs.fileno())], cwd="/",
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               pass_fds=[theirs.fileno()], start_new_session=True, env=env)
    theirs.close()
    zygote.update(process=process, socket=ours)

def stop_zygote():
    if zygote:
        try:
            zygote["process"].kill()
        except OSError:
            pass
        zygote["socket"].close()
        zygote.clear()

def zygote_answers():
    # A sample may have killed or stopped it, or left a reply unread: then a new one.
    sock = zygote["socket"]
    sock.setblocking(False)
    try:
        while sock.recv(65536):
            pass
    except (BlockingIOError, InterruptedError):
        pass
    except OSError:
        return False
    sock.settimeout(2)
    try:
        sock.sendall(b"{}")
        return sock.recv(65536) == b'{"pong": true}'
    except OSError:
        return False

CHECKER = manifest["checkerProgram"]

def judge(i, sample, here, log):
    r, w = os.pipe()
    deadline = time.monotonic() + limit
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(r)
            namespace = {"__name__": "ouro_checker"}
            exec(CHECKER, namespace)
            code = namespace["check_sample"](sample, here, log, zygote["socket"], w, deadline)
        except BaseException:
            import traceback
            os.write(w, (json.dumps({"passed": False, "reason": "the judge failed: " + traceback.format_exc()[-1500:]}) + "\n").encode())
        finally:
            os._exit(code)
    os.close(w)
    lines, buf, timed_out, candidate = [], b"", False, None
    while True:
        left = deadline + 0.5 - time.monotonic()
        if left <= 0:
            timed_out = True
            break
        ready, _, _ = select.select([r], [], [], left)
        if not ready:
            continue
        chunk = os.read(r, 65536)
        if not chunk:
            break
        buf += chunk
    os.close(r)
    for line in buf.decode("utf-8", "replace").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            pass
    for msg in lines:
        if "candidate" in msg:
            candidate = msg["candidate"]
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    if candidate:
        try:
            os.killpg(candidate, signal.SIGKILL)
        except OSError:
            pass
    _, status = os.waitpid(pid, 0)
    verdict = next((m for m in lines if "passed" in m), None) or {"passed": False, "reason": "the checker gave no verdict"}
    code = os.waitstatus_to_exitcode(status)
    return {"i": i, "exit": code if code >= 0 else None, "signal": -code if code < 0 else None, "timedOut": timed_out or verdict.get("timedOut") is True,
            "passed": verdict["passed"] is True and code == 0, "reason": verdict["reason"], "output": excerpt(log)}

for i, sample in enumerate(manifest["samples"]):
    if manifest["barrier"] and not barrier():
        frame({"i": i, "exit": None, "timedOut": False, "output": "", "notRun": "the previous sample's processes could not be stopped"})
        continue
    wipe()
    if not zygote or not zygote_answers():
        start_zygote()
    if "dir" in sample:
        here = sample["dir"]
    else:
        here = os.path.join(manifest["scratch"], "ouro-sample-%d" % i)
        os.makedirs(here, exist_ok=True)
        with open(os.path.join(here, "solution.py"), "w") as f:
            f.write(sample["solution"])
    log = os.path.join(manifest["scratch"], "ouro-output-%d" % i)
    frame(judge(i, sample["check"], here, log))
stop_zygote()
if manifest["barrier"]:
    barrier()
wipe()
`;
