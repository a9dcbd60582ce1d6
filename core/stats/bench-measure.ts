// What one benchmark run measured, by mode (the benchmark contract):
//  wall          the whole process's wall time, in ms
//  metrics       the command prints one JSON line per metric:
//                {"name": "...", "value": 12.3, "unit": "ms", "lowerIsBetter": true}
//                and Ouro adds the whole process's wall time (PROCESS_METRIC) as the
//                first, primary metric: a printed timer starts after the imports, so
//                work moved to import time would vanish from it (labelled in-process)
//  instructions  instructions executed by the whole process tree under
//                valgrind's callgrind: repeatable on a noisy machine
export const BENCH_MODES = ['wall', 'metrics', 'instructions'] as const;
export type BenchMode = (typeof BENCH_MODES)[number];

export interface Measurement {
  value: number;
  lowerIsBetter: boolean;
  unit: string;
  /** A value the benchmark printed: timed inside the process, so what ran before its timer (imports, set-up) is not in it. */
  scope?: 'in-process';
}

/** The whole benchmark process's wall time, which metrics mode measures beside the printed metrics and puts first. */
export const PROCESS_METRIC = 'process-wall-time';

/** The shell command that runs `command` in a mode (callgrind wraps it; the others run it as is). */
export function measuredCommand(mode: BenchMode, command: string): string {
  if (mode !== 'instructions') return command;
  const quoted = `'${command.replace(/'/g, `'\\''`)}'`;
  return `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/tmp/ouro-callgrind.%p -- sh -c ${quoted}`;
}

/** Each well-formed metric line, in the order printed. */
function metricLines(output: string): Array<{ name: string; measurement: Measurement }> {
  const lines: Array<{ name: string; measurement: Measurement }> = [];
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
    lines.push({ name, measurement: { value, unit: typeof unit === 'string' ? unit : '', lowerIsBetter: lowerIsBetter !== false } });
  }
  return lines;
}

export function parseMetricLines(output: string): Record<string, Measurement> {
  return Object.fromEntries(metricLines(output).map((l) => [l.name, l.measurement]));
}

/** Metric names printed more than once in one run's output. */
export function repeatedMetrics(output: string): string[] {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const { name } of metricLines(output)) (seen.has(name) ? repeated : seen).add(name);
  return [...repeated];
}

/** Sums callgrind's "Collected : N" over every traced process. */
export function parseInstructionCount(output: string): number | undefined {
  const counts = [...output.matchAll(/==\d+== Collected : (\d+)/g)].map((m) => Number(m[1]));
  return counts.length ? counts.reduce((a, b) => a + b, 0) : undefined;
}

/**
 * A traced process that callgrind started (a "Command:" line: the tree's first process and every
 * exec) but that printed no count: SIGKILLed from another process, which callgrind cannot intercept,
 * so the work done there would go unmeasured. (A forked child that never execs prints a count
 * without a Command line; one of those killed the same way is not seen.)
 */
export function instructionGap(output: string): string | undefined {
  const started = new Set([...output.matchAll(/==(\d+)== Command: /g)].map((m) => m[1]!));
  const counted = new Set([...output.matchAll(/==(\d+)== Collected : \d+/g)].map((m) => m[1]!));
  const uncounted = [...started].filter((pid) => !counted.has(pid));
  if (!uncounted.length) return undefined;
  return `${uncounted.length} traced process${uncounted.length === 1 ? '' : 'es'} (${uncounted.slice(0, 3).join(', ')}) ended without an instruction count (killed with SIGKILL?): instructions mode measures only a process tree whose every process exits`;
}

export function measure(mode: BenchMode, output: string, durationMs: number): Record<string, Measurement> | string {
  if (mode === 'wall') return { 'wall-time': { value: durationMs, unit: 'ms', lowerIsBetter: true } };
  if (mode === 'instructions') {
    const gap = instructionGap(output);
    if (gap) return gap;
    const n = parseInstructionCount(output);
    return n === undefined
      ? 'callgrind printed no instruction count (is valgrind installed?)'
      : { instructions: { value: n, unit: 'instructions', lowerIsBetter: true } };
  }
  // Code under test shares the benchmark's stdout: a second line for a metric is what it would print to fake
  // one (at exit, after the real line), so a run that prints one twice measures nothing.
  const repeated = repeatedMetrics(output);
  if (repeated.length) {
    return `the benchmark printed the metric "${repeated[0]}" more than once in one run: each metric is printed once (a second line is what code under test would print to fake it)`;
  }
  const m = parseMetricLines(output);
  if (!Object.keys(m).length) return 'the benchmark printed no metric lines ({"name": …, "value": …} per line)';
  if (m[PROCESS_METRIC]) return `the benchmark printed a metric named "${PROCESS_METRIC}", the name of the process time Ouro measures itself`;
  const printed = Object.entries(m).map(([name, v]) => [name, { ...v, scope: 'in-process' as const }]);
  return { [PROCESS_METRIC]: { value: durationMs, unit: 'ms', lowerIsBetter: true }, ...Object.fromEntries(printed) };
}
