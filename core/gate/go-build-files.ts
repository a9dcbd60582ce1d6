// Which _test.go files `go test` builds on this host, so that a fix from tests that do not build is
// never held to a test go would not compile here (no candidate could run it). go ignores files whose
// name starts with "_" or ".", files whose name ends in another system's or architecture's suffix
// (x_windows_test.go, x_arm64_test.go), and files whose build constraint this host does not meet.
// A constraint is only taken as met when it is plainly true here: any tag that depends on the
// command (-tags integration, a Go version, cgo) leaves the file out. Pure.

export interface GoTarget {
  goos: string;
  goarch: string;
}

const KNOWN_OS = new Set('aix android darwin dragonfly freebsd hurd illumos ios js linux nacl netbsd openbsd plan9 solaris wasip1 windows zos'.split(' '));
const KNOWN_ARCH = new Set(
  '386 amd64 amd64p32 arm armbe arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le riscv riscv64 s390 s390x sparc sparc64 wasm'.split(
    ' ',
  ),
);
const UNIX = new Set('aix android darwin dragonfly freebsd hurd illumos ios linux netbsd openbsd solaris'.split(' '));

/** Node's names for this host, as go names them (undefined where go has no such target). */
export function goTargetOf(platform: string, arch: string): GoTarget | undefined {
  const goos = (
    { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', aix: 'aix', sunos: 'solaris' } as Record<
      string,
      string
    >
  )[platform];
  const goarch = (
    { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64' } as Record<
      string,
      string
    >
  )[arch];
  return goos && goarch ? { goos, goarch } : undefined;
}

/** The tags a file's constraint may name and be plainly true here. */
function hostTags(t: GoTarget): Set<string> {
  const tags = new Set([t.goos, t.goarch]);
  if (UNIX.has(t.goos)) tags.add('unix');
  if (t.goos === 'android') tags.add('linux');
  if (t.goos === 'illumos') tags.add('solaris');
  if (t.goos === 'ios') tags.add('darwin');
  return tags;
}

const matchesOs = (os: string, t: GoTarget) => os === t.goos || hostTags(t).has(os);

/** go's rule for a file name's _GOOS, _GOARCH and _GOOS_GOARCH suffixes (go/build's goodOSArchFile). */
export function goodOsArchName(file: string, t: GoTarget): boolean {
  let name = file.slice(file.lastIndexOf('/') + 1);
  name = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
  const i = name.indexOf('_');
  if (i < 0) return true;
  const parts = name.slice(i).split('_');
  if (parts.at(-1) === 'test') parts.pop();
  const n = parts.length;
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]!) && KNOWN_ARCH.has(parts[n - 1]!)) return matchesOs(parts[n - 2]!, t) && parts[n - 1] === t.goarch;
  if (n >= 1 && KNOWN_OS.has(parts[n - 1]!)) return matchesOs(parts[n - 1]!, t);
  if (n >= 1 && KNOWN_ARCH.has(parts[n - 1]!)) return parts[n - 1] === t.goarch;
  return true;
}

/** The constraint lines of a file's header (before its package clause): //go:build and the older // +build. */
function constraintLines(source: string): string[] {
  const found: string[] = [];
  let inBlock = false;
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const l = raw.trim();
    if (inBlock) {
      if (l.includes('*/')) inBlock = false;
      continue;
    }
    if (l.startsWith('/*')) {
      inBlock = !l.includes('*/');
      continue;
    }
    if (/^\/\/\s*(?:go:build|\+build)\b/.test(l)) found.push(l);
    else if (l && !l.startsWith('//')) break;
  }
  return found;
}

/** A //go:build expression (&&, ||, !, parentheses) is true here only if every tag it names is one whose value is plain here. */
function plainlyTrue(expr: string, t: GoTarget): boolean {
  const tokens = expr.match(/&&|\|\||!|\(|\)|[\w.]+|\S/g) ?? [];
  const tags = hostTags(t);
  let at = 0;
  const known = (tag: string) => KNOWN_OS.has(tag) || KNOWN_ARCH.has(tag) || tag === 'unix';
  const fail = () => {
    throw new Error('not plain');
  };
  const or = (): boolean => {
    let v = and();
    while (tokens[at] === '||') {
      at++;
      v = and() || v;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (tokens[at] === '&&') {
      at++;
      v = not() && v;
    }
    return v;
  };
  const not = (): boolean => {
    const tok = tokens[at++];
    if (tok === '!') return !not();
    if (tok === '(') {
      const v = or();
      if (tokens[at++] !== ')') fail();
      return v;
    }
    if (!tok || !/^[\w.]+$/.test(tok) || !known(tok)) return fail();
    return tags.has(tok);
  };
  try {
    const v = or();
    return at === tokens.length && v;
  } catch {
    return false;
  }
}

/** Whether go test builds this _test.go file on the target (by its name and its build constraint). */
export function goBuildsTestFile(path: string, source: string, t: GoTarget): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!name.endsWith('_test.go') || name.startsWith('_') || name.startsWith('.') || !goodOsArchName(name, t)) return false;
  const lines = constraintLines(source);
  const build = lines.find((l) => /^\/\/\s*go:build\b/.test(l));
  if (build) return plainlyTrue(build.replace(/^\/\/\s*go:build\s*/, ''), t);
  // Only the older form: space-separated alternatives, comma-joined terms; the same plain tags only.
  return lines.every((l) =>
    l
      .replace(/^\/\/\s*\+build\s*/, '')
      .split(/\s+/)
      .filter(Boolean)
      .some((alt) => alt.split(',').every((term) => plainlyTrue(term.replace(/^!/, '! '), t))),
  );
}
