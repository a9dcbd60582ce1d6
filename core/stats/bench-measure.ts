// What one benchmark run measured, by mode (the benchmark contract):
//  wall          the whole process's wall time, in ms
//  metrics       the command prints one JSON line per metric:
//                {"name": "...", "value": 12.3, "unit": "ms", "lowerIsBetter": true}
//  instructions  instructions executed by the whole process tree under
//                valgrind's callgrind: repeatable on a noisy machine
export const BENCH_MODES = ['wall', 'metrics', 'instructions'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

export interface Measurement {
  value: number;
  lowerIsBetter: boolean;
  unit: string;
}

/** The shell command that runs `command` in a mode (callgrind wraps it; the others run it as is). */
export function measuredCommand(mode: BenchMode, command: string): string {
  if (mode !== 'instructions') return command;
  const quoted = `'${command.replace(/'/g, `'\\''`)}'`;
  return `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/tmp/ouro-callgrind.%p -- sh -c ${quoted}`;
}

export function parseMetricLines(output: string): Record<string, Measurement> {
  const out: Record<string, Measurement> = {};
  for (const line of output.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    let j: unknown;
    try {
      j = JSON.parse(t);
    } catch {
      continue;
    }
    if (!j || typeof j !== 'object') continue;
    const { name, value, unit, lowerIsBetter } = j as Record<string, unknown>;
    if (typeof name !== 'string' || typeof value !== 'number') continue;
    // NaN/Infinity cannot arrive through JSON; negative or zero values are kept and judged by the statistics.
    out[name] = { value, unit: typeof unit === 'string' ? unit : '', lowerIsBetter: lowerIsBetter !== false };
  }
  return out;
}

/** Sums callgrind's "Collected : N" over every traced process. */
export function parseInstructionCount(output: string): number | undefined {
  const counts = [...output.matchAll(/==\d+== Collected : (\d+)/g)].map((m) => Number(m[1]));
  return counts.length ? counts.reduce((a, b) => a + b, 0) : undefined;
}

export function measure(mode: BenchMode, output: string, durationMs: number): Record<string, Measurement> | string {
  if (mode === 'wall') return { 'wall-time': { value: durationMs, unit: 'ms', lowerIsBetter: true } };
  if (mode === 'instructions') {
    const n = parseInstructionCount(output);
    return n === undefined
      ? 'callgrind printed no instruction count (is valgrind installed?)'
      : { instructions: { value: n, unit: 'instructions', lowerIsBetter: true } };
  }
  const m = parseMetricLines(output);
  return Object.keys(m).length ? m : 'the benchmark printed no metric lines ({"name": …, "value": …} per line)';
}
