// `ouro doctor`'s report: one line per check, ✓ / ✗ / !, the fix under each that is not ✓, and
// the exit code. A ✗ is something a run cannot do without (exit 1); a ! is something it runs
// without, less well or not yet (a missing strace, a queue no worker serves yet).

export type CheckStatus = 'ok' | 'fail' | 'warn';

export interface DoctorCheck {
  /** What was checked, short: "temporal", "bubblewrap", "provider gpu". */
  name: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** How to fix it (for ✗ and !). */
  fix?: string;
}

const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', warn: '!' };

export function doctorLines(checks: readonly DoctorCheck[]): string[] {
  const width = Math.max(0, ...checks.map((c) => c.name.length));
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}`);
    if (c.status !== 'ok' && c.fix) lines.push(`  ${' '.repeat(width)}  fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  const also = warned ? `, ${warned} warning${warned === 1 ? '' : 's'}` : '';
  lines.push(failed ? `${failed} required check${failed === 1 ? '' : 's'} failed${also}` : `ready: every required check passed${also}`);
  return lines;
}

export function doctorExitCode(checks: readonly DoctorCheck[]): 0 | 1 {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}
