// Runs the candidate program as a child process and captures what it prints:
// nothing it writes reaches this evaluator's own output, so it cannot print a
// score line of its own through the evaluator.
import { spawnSync } from 'node:child_process';

export function runProgram(file, { input = '', timeoutMs = 20_000 } = {}) {
  const res = spawnSync(process.execPath, [file], { input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  if (res.error) return { ok: false, reason: `the program could not run to its end: ${res.error.message}` };
  if (res.status !== 0) return { ok: false, reason: `the program exited with ${res.status ?? res.signal}: ${String(res.stderr).slice(-300)}` };
  return { ok: true, stdout: res.stdout };
}
