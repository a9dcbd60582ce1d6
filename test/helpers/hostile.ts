// Helpers for the adversarial sandbox tests (test/e2e/sandbox.test.ts): hostile
// candidate modules, their report file, and the host-side checks that a run
// left nothing behind.
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** The uids Ouro's sandbox drops to when it runs as root (adapters/sandbox/sandbox.ts). */
export const SANDBOX_UIDS = { min: 61_000, max: 61_999 };

/**
 * The marker before the findings a hostile module prints: the workspace is put back as it
 * was applied after every run (what a run creates is removed), so findings travel in the
 * run's output, not in a file.
 */
export const REPORT = '@@ouro-hostile-report ';

const RIGHT_SUM = `/** The sum 1 + 2 + … + n (0 for n < 1). */
export function sumTo(n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) total += i;
  return total;
}
`;

/** Off by one, like the bundled example's bug: 2 of the 5 tests fail. */
const WRONG_SUM = RIGHT_SUM.replace('i <= n', 'i < n');

/**
 * A whole src/sum.ts: `body` runs at import time (top-level await allowed) with
 * `fs`, `cp` (child_process), `net`, `report` (a record), `save()` (writes it
 * to hostile.json), `attempt(f)` and `connect(opts)` in scope; then `sumTo` is
 * exported, right unless `wrong`.
 */
export function hostileModule(body: string, opts: { wrong?: boolean } = {}): string {
  return `import * as fs from 'node:fs';
import * as cp from 'node:child_process';
import * as net from 'node:net';
const report: Record<string, unknown> = {};
const save = () => fs.writeSync(1, '\\n' + ${JSON.stringify(REPORT)} + JSON.stringify(report) + '\\n');
/** What a call did: its return value, or the error's code (EROFS, EACCES…). */
const attempt = (f: () => unknown): unknown => {
  try {
    const r = f();
    return r === undefined ? 'ok' : r;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String((e as Error).message).slice(0, 200);
  }
};
/** Connects, and says how it went: 'connected', or the error's code (ECONNREFUSED, ENETUNREACH…). */
const connect = (opts: net.NetConnectOpts, ms = 3000) =>
  new Promise<string>((res) => {
    const s = net.connect(opts);
    const t = setTimeout(() => {
      s.destroy();
      res('timeout');
    }, ms);
    s.on('connect', () => {
      clearTimeout(t);
      s.destroy();
      res('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(t);
      res(e.code ?? e.message);
    });
  });
void cp; void net; void attempt; void connect;
${body}
save();
${opts.wrong ? WRONG_SUM : RIGHT_SUM}`;
}

/** A whole-file reply for one or more files. */
export function wholeFileReply(files: Record<string, string>): string {
  return Object.entries(files)
    .map(
      ([path, content]) =>
        `${path}\n\`\`\`${path.endsWith('.py') ? 'py' : path.endsWith('.json') ? 'json' : 'ts'}\n${content.endsWith('\n') ? content : `${content}\n`}\`\`\`\n`,
    )
    .join('\n');
}

/** The last findings a hostile module printed in a run's output ({} when none). */
export function readReport(output: string): Record<string, any> {
  const at = output.lastIndexOf(REPORT);
  if (at < 0) return {};
  const line = output.slice(at + REPORT.length).split('\n')[0]!;
  try {
    return JSON.parse(line) as Record<string, any>;
  } catch {
    return {};
  }
}

interface Proc {
  pid: number;
  ppid: number;
  uid: number;
  args: string;
}

async function processTable(): Promise<Proc[]> {
  const r = await execa('ps', ['-eo', 'pid=,ppid=,uid=,args='], { reject: false });
  const out: Proc[] = [];
  for (const line of String(r.stdout).split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line);
    if (m) out.push({ pid: Number(m[1]), ppid: Number(m[2]), uid: Number(m[3]), args: m[4]! });
  }
  return out;
}

/**
 * Processes of the sandbox uids that belong to runs under `runRoot`, or to no
 * sandbox at all (escaped). Processes of other Ouro sandboxes running on the
 * same machine (another test suite) are told apart by their bwrap ancestor,
 * whose arguments name its workspace.
 */
export async function sandboxLeftovers(runRoot: string): Promise<string[]> {
  const table = await processTable();
  const byPid = new Map(table.map((p) => [p.pid, p]));
  const mine: string[] = [];
  for (const p of table) {
    if (p.uid < SANDBOX_UIDS.min || p.uid > SANDBOX_UIDS.max) continue;
    let a = byPid.get(p.ppid);
    while (a && !/^(\S*\/)?bwrap\s/.test(a.args)) a = byPid.get(a.ppid);
    if (!a || a.args.includes(runRoot)) mine.push(`${p.pid} uid ${p.uid}: ${p.args.slice(0, 120)}${a ? '' : ' (outside any sandbox)'}`);
  }
  return mine;
}

/** Waits (briefly: the namespace's teardown is asynchronous) until no process of these runs is left. */
export async function expectNoSandboxLeft(runRoot: string, graceMs = 5000): Promise<void> {
  const until = Date.now() + graceMs;
  let left = await sandboxLeftovers(runRoot);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = await sandboxLeftovers(runRoot);
  }
  expect(left, 'sandbox processes left after the run').toEqual([]);
}

/** A process's state letter (R, S, T for stopped, t for traced, Z…) and its tracer. */
export function processState(pid: number): { state: string; tracer: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '?';
  const tracer = Number(/^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? -1);
  return { state, tracer };
}

/** The worker (this vitest process) and its parent are alive, neither stopped nor traced. */
export function expectWorkerAlive(): void {
  for (const pid of [process.pid, process.ppid]) {
    expect(() => process.kill(pid, 0)).not.toThrow();
    const { state, tracer } = processState(pid);
    expect(state, `state of ${pid}`).toMatch(/^[RSD]$/);
    expect(tracer, `tracer of ${pid}`).toBe(0);
  }
}

/** Counts this run's sandbox processes every `everyMs` until stopped; returns the largest count seen. */
export function sampleSandboxProcesses(runRoot: string, everyMs = 100): { stop: () => Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      max = Math.max(max, (await sandboxLeftovers(runRoot)).length);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return max;
    },
  };
}

export async function duBytes(path: string): Promise<number> {
  const r = await execa('du', ['-sB1', path], { reject: false }); // blocks really used, not apparent size
  return Number(String(r.stdout).split(/\s/)[0] ?? 0);
}

export async function commandExists(cmd: string): Promise<boolean> {
  return (await execa('sh', ['-c', `command -v ${cmd}`], { reject: false })).exitCode === 0;
}
