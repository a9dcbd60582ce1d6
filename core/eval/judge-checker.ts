// The checker's side of the hidden judge: forked from the driver (so never dumpable, and holding no
// descriptor the candidate has) for one sample, it asks the candidate's process (judge-candidate.ts) for a
// fresh child importing the solution, then runs the hidden checks in a namespace of its own: HumanEval's
// prompt (its helpers, as poly() for HumanEval/32) and check(candidate), or MBPP's asserts, with every name
// the solution defines bound to a proxy. A call on a proxy sends its arguments to the candidate's process
// and takes back plain data only (None, bool, int, float, complex, str, bytes, list, tuple, set, frozenset,
// dict, the standard Counter/OrderedDict/defaultdict, a built-in type), rebuilt here from tagged JSON; a
// value of any other type fails the sample with its name. Objects of the solution's own classes (MBPP's
// Pair, the Node trees of its set-up) stay in the candidate's process: here they are names that can only
// be handed back. Its verdict goes to the driver on a pipe only it holds.

/** The checker, run with exec() in a child the driver forks per sample; its entry is check_sample(). */
export const CHECKER_PROGRAM = String.raw`
import builtins, collections, json, os, re, socket, sys, time, traceback

class NotPlainData(Exception):
    pass

class CandidateError(Exception):
    """An exception raised by the candidate's code, by name: its object never crosses."""

class TimedOut(BaseException):
    pass

class CandidateGone(BaseException):
    pass

def type_name(v):
    t = type(v)
    return t.__qualname__ if t.__module__ == "builtins" else t.__module__ + "." + t.__qualname__

INT = re.compile(r"-?[0-9]{1,4300}")
HEX_FLOAT = re.compile(r"-?(inf|nan|0x[01]\.[0-9a-f]{1,13}p[+-][0-9]{1,4})")
SEQUENCES = {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}
# The standard library's dicts a solution may return (MBPP's references return Counter and defaultdict): rebuilt here,
# from their items; a defaultdict without its factory, which no comparison sees.
MAPPINGS = {"dict": dict, "Counter": lambda pairs: collections.Counter(dict(pairs)), "OrderedDict": collections.OrderedDict,
            "defaultdict": lambda pairs: collections.defaultdict(None, pairs)}
MAPPING_TYPES = (dict, collections.Counter, collections.OrderedDict, collections.defaultdict)

def decode(v, depth=0):
    """The candidate's answer, strictly: tagged JSON of plain data, or an error."""
    if depth > 100 or type(v) is not list or not v or type(v[0]) is not str:
        raise NotPlainData("malformed")
    tag = v[0]
    if tag == "none" and len(v) == 1:
        return None
    if len(v) != 2:
        raise NotPlainData("malformed")
    body = v[1]
    if tag == "bool" and type(body) is bool:
        return body
    if tag == "str" and type(body) is str:
        return body
    if tag == "int" and type(body) is str and INT.fullmatch(body):
        return int(body)
    if tag == "float" and type(body) is str and HEX_FLOAT.fullmatch(body):
        return float.fromhex(body)
    if tag == "complex" and type(body) is list and len(body) == 2 and all(type(x) is str and HEX_FLOAT.fullmatch(x) for x in body):
        return complex(float.fromhex(body[0]), float.fromhex(body[1]))
    if tag == "bytes" and type(body) is str and re.fullmatch(r"(?:[0-9a-f]{2})*", body):
        return bytes.fromhex(body)
    if tag in SEQUENCES and type(body) is list:
        items = [decode(x, depth + 1) for x in body]
        try:
            if tag == "list":
                return items
            if tag == "tuple":
                return tuple(items)
            # Built as a literal is (one merge of the items), so it iterates in the order the same literal would.
            merged = frozenset(items)
            return set(merged) if tag == "set" else frozenset(set(merged))
        except TypeError:
            raise NotPlainData("a set of unhashable values")
    if tag in MAPPINGS and type(body) is list:
        pairs = []
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise NotPlainData("malformed")
            pairs.append((decode(pair[0], depth + 1), decode(pair[1], depth + 1)))
        try:
            return MAPPINGS[tag](pairs)
        except TypeError:
            raise NotPlainData("a dict with an unhashable key")
    if tag == "builtin" and type(body) is str and isinstance(getattr(builtins, body, None), type):
        return getattr(builtins, body)
    raise NotPlainData("malformed")

class Remote:
    """Something of the candidate's (a function, a class, an object its set-up made): it can only be called or handed back."""
    __slots__ = ("_name", "_link", "_makes")

    def __init__(self, name, link, makes=False):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_makes", makes)

    def __call__(self, *args, **kwargs):
        get = lambda a: object.__getattribute__(self, a)
        return get("_link").call(get("_name"), args, kwargs, get("_makes"))

    def __repr__(self):
        return "<the candidate's " + object.__getattribute__(self, "_name") + ">"

    def _not_plain(self, *args):
        raise NotPlainData("the candidate's " + object.__getattribute__(self, "_name") + " is not plain data: it can only be handed back")

    # Truth and comparison would let an object of the candidate's stand for a value: it has neither.
    __bool__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __len__ = __iter__ = __contains__ = _not_plain
    __hash__ = object.__hash__

def encode(v, depth=0):
    """A test's argument for the candidate: plain data, or one of the candidate's own things by name."""
    if depth > 100:
        raise NotPlainData("an argument nested more than 100 deep")
    t = type(v)
    if t is Remote:
        return ["ref", object.__getattribute__(v, "_name")]
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
    if t in SEQUENCES.values():
        return [t.__name__, [encode(x, depth + 1) for x in v]]
    if t in MAPPING_TYPES:
        return [t.__name__, [[encode(k, depth + 1), encode(x, depth + 1)] for k, x in v.items()]]
    if getattr(builtins, getattr(v, "__name__", ""), None) is v:
        return ["builtin", v.__name__]
    raise NotPlainData("the test passes a " + type_name(v) + ", which cannot cross to the candidate's process")

LINE_LIMIT = 64 << 20

class Link:
    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buffer = b""

    def receive(self):
        while b"\n" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                raise TimedOut()
            except OSError:
                chunk = b""
            if not chunk:
                raise CandidateGone()
            self.buffer += chunk
            if len(self.buffer) > LINE_LIMIT:
                raise NotPlainData("an answer over 64 MiB")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            msg = json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(NotPlainData("malformed")))
        except ValueError:
            raise NotPlainData("malformed")
        if type(msg) is not dict:
            raise NotPlainData("malformed")
        return msg

    def call(self, name, args, kwargs, makes=False):
        request = {"name": name, "args": [encode(a) for a in args], "kwargs": [[k, encode(x)] for k, x in kwargs.items()]}
        try:
            self.sock.sendall(json.dumps(request).encode() + b"\n")
        except OSError:
            raise CandidateGone()
        msg = self.receive()
        if "value" in msg:
            return decode(msg["value"])
        if makes and type(msg.get("made")) is str:
            return Remote(msg["made"], self)
        if type(msg.get("notPlain")) is str:
            raise NotPlainData(name + " returned " + msg["notPlain"][:200] + ", not plain data")
        if type(msg.get("raised")) is str:
            raise raised(msg)
        raise NotPlainData("malformed")

def raised(msg):
    # A built-in exception is re-raised as itself (a test may expect one); any other by name only.
    name, text = msg["raised"], str(msg.get("message", ""))[:2000]
    cls = getattr(builtins, name, None) if msg.get("module") == "builtins" else None
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(text)
    return CandidateError(name + ": " + text)

def binding(name, offer, link):
    kind, body = offer
    if kind == "value":
        return decode(body)
    if kind == "module" and type(body) is str and body in sys.stdlib_module_names and body not in ("antigravity", "this"):
        import importlib
        return importlib.import_module(body)
    return Remote(name, link, makes=kind == "class")

def check_sample(check, here, log, control, out, deadline):
    def report(data):
        os.write(out, (json.dumps(data) + "\n").encode())

    ours, theirs = socket.socketpair()
    request = {"dir": here, "log": log}
    if check.get("setup"):
        request["setup"] = check["setup"]
    control.settimeout(5)
    socket.send_fds(control, [json.dumps(request).encode()], [theirs.fileno()])
    theirs.close()
    report({"candidate": json.loads(control.recv(65536))["pid"]})
    link = Link(ours, deadline)
    try:
        hello = link.receive()
        if "importFailed" in hello:
            report({"passed": False, "reason": "the solution did not load: " + raised(hello["importFailed"]).__repr__()[:1500]})
            return 1
        offers = hello.get("ready")
        if type(offers) is not dict:
            raise NotPlainData("malformed")
        scope = {"__name__": "__main__", "__builtins__": builtins}
        if check["kind"] == "humaneval":
            exec(compile(check["prompt"], "prompt.py", "exec"), scope)
            exec(compile(check["test"], "hidden_test.py", "exec"), scope)
            if check["entry"] not in offers:
                raise NameError("name '" + check["entry"] + "' is not defined")
            # The test may name the function itself as well as its argument (HumanEval/33 does): both are the candidate's.
            candidate = scope[check["entry"]] = Remote(check["entry"], link)
            scope["check"](candidate)
        else:
            # Only the names the asserts use: no module a candidate names is imported here unless a test needs it.
            used = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", "\n".join(check["asserts"])))
            for name, offer in offers.items():
                if type(name) is str and name in used and type(offer) is list and len(offer) == 2:
                    scope[name] = binding(name, offer, link)
            for number, source in enumerate(check["asserts"], 1):
                exec(compile(source, "hidden_assert_%d.py" % number, "exec"), scope)
    except TimedOut:
        report({"passed": False, "timedOut": True, "reason": ""})
        return 1
    except CandidateGone:
        report({"passed": False, "reason": "the candidate's process ended before the checks were done"})
        return 1
    except BaseException:
        lines = traceback.format_exc().splitlines()
        report({"passed": False, "reason": "\n".join(lines[-6:])[:2000]})
        return 1
    report({"passed": True, "reason": "hidden tests passed"})
    return 0
`;
