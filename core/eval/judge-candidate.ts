// The candidate's side of the hidden judge: a Python process that knows nothing of the tests. Its program
// is this constant, its argv a descriptor number; the driver starts one per batch and it forks a fresh child
// per sample, which imports that sample's solution.py from the folder it is sent and answers calls, one JSON
// line each: the arguments come as tagged plain data, the result goes back the same way, or the name and text
// of the exception it raised. Nothing here is trusted: the candidate's code runs in this very process and may
// rewrite any of it, so the checker (judge-checker.ts) decodes what comes back strictly and believes nothing
// but plain data. (MBPP's set-up code, which the visible tests show, runs here too: it builds its inputs from
// the solution's own classes.)

/** The candidate's process (python3 -S -s -c CANDIDATE_PROGRAM <fd of its socket to the driver>). */
export const CANDIDATE_PROGRAM = String.raw`
import builtins, collections, json, os, signal, socket, sys
try:
    import ctypes
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
except Exception:
    pass
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
control = socket.socket(fileno=int(sys.argv[1]))

class NotPlain(Exception):
    pass

MAPPINGS = {dict: dict, collections.Counter: lambda pairs: collections.Counter(dict(pairs)), collections.OrderedDict: collections.OrderedDict,
            collections.defaultdict: lambda pairs: collections.defaultdict(None, pairs)}
MAPPINGS_BY_NAME = {t.__name__: make for t, make in MAPPINGS.items()}

def encode(v, depth=0):
    if depth > 100:
        raise NotPlain("nested more than 100 deep")
    t = type(v)
    if v is None:
        return ["none"]
    if t is bool:
        return ["bool", v]
    if t is int:
        return ["int", str(v)]
    if t is float:
        return ["float", v.hex()]
    if t is complex:
        return ["complex", [v.real.hex(), v.imag.hex()]]
    if t is str:
        return ["str", v]
    if t is bytes:
        return ["bytes", v.hex()]
    if t in (list, tuple, set, frozenset):
        return [t.__name__, [encode(x, depth + 1) for x in v]]
    if t in MAPPINGS:
        return [t.__name__, [[encode(k, depth + 1), encode(x, depth + 1)] for k, x in v.items()]]
    if t is type and getattr(builtins, v.__name__, None) is v:
        return ["builtin", v.__name__]
    raise NotPlain("a " + t.__module__ + "." + t.__qualname__ if t.__module__ != "builtins" else "a " + t.__qualname__)

def serve(fd, req):
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    log = os.open(req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    os.close(null)
    here = req["dir"]
    os.chdir(here)
    os.environ["HOME"] = here
    sys.path.insert(0, here)
    chan = socket.socket(fileno=fd)
    reader = chan.makefile("rb")
    refs = {}

    def send(data):
        # What the solution printed so far reaches its output file before the checker moves on (os._exit loses buffers).
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        chan.sendall(json.dumps(data).encode() + b"\n")

    def decode(v):
        tag, body = v[0], v[-1]
        if tag == "ref":
            return refs[body]
        if tag == "builtin":
            return getattr(builtins, body)
        if tag == "none":
            return None
        if tag in ("bool", "str"):
            return body
        if tag == "int":
            return int(body)
        if tag == "float":
            return float.fromhex(body)
        if tag == "complex":
            return complex(float.fromhex(body[0]), float.fromhex(body[1]))
        if tag == "bytes":
            return bytes.fromhex(body)
        if tag in MAPPINGS_BY_NAME:
            return MAPPINGS_BY_NAME[tag]((decode(k), decode(x)) for k, x in body)
        if tag == "list":
            return [decode(x) for x in body]
        if tag == "tuple":
            return tuple(decode(x) for x in body)
        # Built as a literal is (one merge of the items), so it iterates in the order a test's literal would.
        items = frozenset(decode(x) for x in body)
        return set(items) if tag == "set" else frozenset(set(items))

    def offer(scope):
        # What a solution defines, as the asserts may name it: plain values as themselves, the rest as references.
        names = {}
        for name, value in list(scope.items()):
            if name.startswith("__"):
                continue
            try:
                names[name] = ["value", encode(value)]
            except NotPlain:
                if type(value).__name__ == "module":
                    names[name] = ["module", value.__name__]
                else:
                    refs[name] = value
                    names[name] = ["class" if isinstance(value, type) else "call" if callable(value) else "ref", name]
        return names

    def failure(e):
        try:
            text = str(e)[:2000]
        except BaseException:
            text = ""
        return {"raised": type(e).__name__, "module": type(e).__module__, "message": text}

    try:
        import solution
        scope = vars(solution)
        if req.get("setup"):
            # MBPP's set-up code (shown with the visible tests) builds its inputs from the solution's own classes.
            scope = dict(scope)
            exec(compile(req["setup"], "setup.py", "exec"), scope)
        send({"ready": offer(scope)})
    except BaseException as e:
        import traceback
        send({"importFailed": failure(e), "traceback": traceback.format_exc()[-4000:]})
        os._exit(1)
    while True:
        line = reader.readline()
        if not line:
            os._exit(0)
        call = json.loads(line)
        try:
            fn = refs[call["name"]]
            result = fn(*[decode(a) for a in call["args"]], **{k: decode(x) for k, x in call["kwargs"]})
        except BaseException as e:
            send(failure(e))
            continue
        try:
            send({"value": encode(result)})
        except NotPlain as e:
            if isinstance(fn, type) and isinstance(result, fn):
                # An object of the solution's own class, made by the test (MBPP's Pair(5, 24)): it stays here, named.
                refs["#%d" % len(refs)] = result
                send({"made": "#%d" % (len(refs) - 1)})
                continue
            send({"notPlain": str(e)})
        except BaseException as e:
            send({"notPlain": "could not be encoded: " + type(e).__name__})

while True:
    try:
        msg, fds, _, _ = socket.recv_fds(control, 1 << 20, 1)
    except OSError:
        os._exit(0)
    if not msg:
        os._exit(0)
    req = json.loads(msg)
    if not fds:
        control.sendall(b'{"pong": true}')
        continue
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            serve(fds[0], req)
        finally:
            os._exit(1)
    os.close(fds[0])
    control.sendall(json.dumps({"pid": pid}).encode())
`;
