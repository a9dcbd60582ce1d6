import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandResult } from '../../core/contracts/sandbox.js';
import { headTail } from '../../core/views/excerpt.js';

// Candidate code is untrusted: it gets an environment built from an
// allow-list (no API keys, no TEMPORAL_*), its own process group so that a
// timeout or a cancellation kills every descendant, and capped output.
const PASS_THROUGH = ['PATH', 'LANG', 'LC_ALL', 'TZ', 'NODE_PATH'];
const OUTPUT_CAP = 64 * 1024;

export function scrubbedEnv(home: string): Record<string, string> {
  const env: Record<string, string> = { HOME: home, TMPDIR: home, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', TERM: 'dumb' };
  for (const k of PASS_THROUGH) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
}

/** Keeps the first and last `cap` characters of a stream without holding the middle. */
class HeadTailBuffer {
  private head = '';
  private tail = '';
  private dropped = 0;
  constructor(private readonly cap: number) {}
  push(chunk: string): void {
    if (this.head.length < this.cap) {
      const room = this.cap - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (!chunk) return;
    this.tail += chunk;
    if (this.tail.length > this.cap) {
      this.dropped += this.tail.length - this.cap;
      this.tail = this.tail.slice(this.tail.length - this.cap);
    }
  }
  text(): string {
    return this.dropped ? `${this.head}\n… [${this.dropped} characters cut] …\n${this.tail}` : this.head + this.tail;
  }
}

export interface RunCommandOptions {
  command: string;
  /** Run this program instead of `sh -c command` (the sandbox wrapper); it sets its own environment. */
  argv?: { file: string; args: string[] };
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called every `tickMs` while the command runs (activities heartbeat here). */
  onTick?: (elapsedMs: number) => void;
  tickMs?: number;
  /** Text on the command's stdin (otherwise it reads nothing). */
  input?: string;
  /** Sees all of the output as it comes, past the head-and-tail excerpt that `output` keeps. */
  onData?: (chunk: string) => void;
}

/** Heartbeat well within the activity's heartbeat timeout (the SDK throttles extra beats). */
export function heartbeatEvery(ctx: { info: { heartbeatTimeoutMs?: number } }): number {
  const timeout = ctx.info.heartbeatTimeoutMs ?? 0;
  return timeout > 0 ? Math.max(200, Math.min(2000, Math.floor(timeout / 3))) : 2000;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export async function runCommand(opts: RunCommandOptions): Promise<CommandResult> {
  const home = await mkdtemp(join(tmpdir(), 'ouro-home-'));
  const started = performance.now();
  const out = new HeadTailBuffer(OUTPUT_CAP);
  let timedOut = false;
  const [file, args] = opts.argv ? [opts.argv.file, opts.argv.args] : ['sh', ['-c', opts.command]];
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: scrubbedEnv(home),
    extendEnv: false,
    detached: true, // own process group, so kill(-pid) reaches grandchildren
    buffer: false,
    reject: false,
    ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    all: true,
  });
  child.all?.setEncoding('utf8');
  child.all?.on('data', (d: string) => {
    out.push(d);
    opts.onData?.(d);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, opts.timeoutMs);
  const tick = opts.onTick ? setInterval(() => opts.onTick!(performance.now() - started), opts.tickMs ?? 2000) : undefined;
  opts.onTick?.(0);
  const onAbort = () => killGroup(child.pid);
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await child;
    // The shell may exit while descendants live on: reap the whole group.
    killGroup(child.pid);
    return {
      exitCode: timedOut ? null : (result.exitCode ?? null),
      signal: result.signal ?? undefined,
      timedOut,
      durationMs: Math.round(performance.now() - started),
      output: headTail(out.text(), 2 * OUTPUT_CAP + 100),
    };
  } finally {
    clearTimeout(timer);
    if (tick) clearInterval(tick);
    opts.signal?.removeEventListener('abort', onAbort);
    await rm(home, { recursive: true, force: true });
  }
}
