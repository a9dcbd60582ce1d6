// The user's toolchains inside the sandbox, their secrets outside it. The
// worker's home is hidden from candidate code (keys, tokens, cloud
// credentials, shell history), but that is also where pyenv, rustup/Cargo,
// nvm, conda and Go's module cache live: a test command that names `python3`
// would otherwise meet the system's interpreter without the user's packages.
// So the toolchain folders that the worker's PATH leads into are bound back
// read-only, known secret files inside them stay hidden, and each tool is told
// where its home is (HOME itself is a private /tmp in the sandbox). Pure: the
// caller says which paths exist.

import { posix } from '../paths/posix.js';

/** Folders directly under the home that hold toolchains, never credentials. */
const TOOLCHAIN_ROOTS = [
  '.pyenv',
  '.cargo',
  '.rustup',
  '.nvm',
  '.volta',
  '.bun',
  '.deno',
  '.conda',
  'miniconda3',
  'anaconda3',
  'miniforge3',
  'mambaforge',
  '.sdkman',
  '.juliaup',
  '.ghcup',
  '.opam',
  '.rbenv',
  '.goenv',
  '.nodenv',
  '.asdf',
  '.pixi',
];

/** Secret files that can sit inside a toolchain folder: hidden even when their folder is bound. */
const SECRETS_INSIDE = ['.cargo/credentials', '.cargo/credentials.toml', '.pixi/credentials.json', '.conda/.condarc'];

export interface ToolchainPlan {
  /** Folders to bind read-only at the same path (under the otherwise hidden home). */
  bind: string[];
  /** Files inside them to hide (where they exist at the time of a run). */
  hide: string[];
  /** Variables telling each tool where its home is, and keeping it offline and out of the read-only folders. */
  env: Record<string, string>;
}

export interface ToolchainFacts {
  home: string;
  path: string;
  /** The worker's own variables (PYENV_ROOT, CARGO_HOME, GOMODCACHE… when set). */
  env: Record<string, string | undefined>;
  exists: (path: string) => boolean;
}

const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

export function planToolchains(f: ToolchainFacts): ToolchainPlan {
  const home = posix.normalize(f.home).replace(/\/+$/, '');
  const bind = new Set<string>();
  const add = (p: string | undefined) => {
    if (p && under(p, home) && p !== home && f.exists(p)) bind.add(posix.normalize(p));
  };
  // Every toolchain root a PATH entry leads into (~/.pyenv/shims → ~/.pyenv); ~/.local only for its bin and lib.
  for (const entry of f.path.split(':').filter(Boolean)) {
    if (!under(entry, home)) continue;
    const first = entry.slice(home.length + 1).split('/')[0] ?? '';
    if (TOOLCHAIN_ROOTS.includes(first)) add(posix.join(home, first));
    if (first === '.local') {
      add(posix.join(home, '.local/bin'));
      add(posix.join(home, '.local/lib'));
    }
  }
  const env: Record<string, string> = {};
  const pyenv = f.env.PYENV_ROOT ?? posix.join(home, '.pyenv');
  if ([...bind].some((b) => under(pyenv, b))) {
    env.PYENV_ROOT = pyenv;
    if (f.env.PYENV_VERSION) env.PYENV_VERSION = f.env.PYENV_VERSION;
  }
  const cargo = f.env.CARGO_HOME ?? posix.join(home, '.cargo');
  if ([...bind].some((b) => under(cargo, b))) {
    const rustup = f.env.RUSTUP_HOME ?? posix.join(home, '.rustup');
    add(rustup);
    env.CARGO_HOME = cargo;
    env.RUSTUP_HOME = rustup;
    // No registry to reach; build output goes to the workspace's target/ as usual.
    env.CARGO_NET_OFFLINE = 'true';
  }
  const nvm = f.env.NVM_DIR ?? posix.join(home, '.nvm');
  if ([...bind].some((b) => under(nvm, b))) env.NVM_DIR = nvm;
  // Go: the module cache (read-only, as Go keeps it anyway), a private build cache, no toolchain or module downloads.
  const gopath = (f.env.GOPATH ?? posix.join(home, 'go')).split(':')[0]!;
  const modcache = f.env.GOMODCACHE ?? posix.join(gopath, 'pkg/mod');
  const gobin = posix.join(gopath, 'bin');
  if (f.path.split(':').includes(gobin) || f.exists(modcache)) {
    // GOPATH's bin and module cache only: its src/ may hold the user's other work.
    if (f.path.split(':').includes(gobin)) add(gobin);
    add(modcache);
    env.GOMODCACHE = modcache;
    env.GOPATH = '/tmp/go';
    env.GOCACHE = '/tmp/go-build';
    env.GOTOOLCHAIN = 'local';
    env.GOPROXY = 'off';
  }
  // Listed whether or not they exist now: the sandbox checks again at each run (a key saved after the worker started).
  const hide = SECRETS_INSIDE.map((s) => posix.join(home, s)).filter((s) => [...bind].some((b) => under(s, b)));
  // Nested binds are redundant: keep the outermost.
  const outer = [...bind].filter((b) => ![...bind].some((o) => o !== b && under(b, o))).sort();
  return { bind: outer, hide, env };
}
