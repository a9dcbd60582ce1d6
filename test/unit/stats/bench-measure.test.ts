import { describe, expect, it } from 'vitest';
import { measure, measuredCommand, parseInstructionCount, parseMetricLines } from '../../../core/stats/bench-measure.js';

describe('the benchmark contract', () => {
  it('wall mode measures the whole process', () => {
    expect(measure('wall', 'anything', 812)).toEqual({ 'wall-time': { value: 812, unit: 'ms', lowerIsBetter: true } });
  });
  it('metrics mode reads one JSON line per metric and ignores other output', () => {
    const out =
      'warming up\n{"name":"parse","value":12.5,"unit":"ms"}\n{"name":"ops","value":900,"unit":"op/s","lowerIsBetter":false}\n{not json}\n{"name":"bad","value":"x"}\n';
    expect(parseMetricLines(out)).toEqual({ parse: { value: 12.5, unit: 'ms', lowerIsBetter: true }, ops: { value: 900, unit: 'op/s', lowerIsBetter: false } });
    expect(measure('metrics', 'no metrics here', 10)).toMatch(/printed no metric lines/);
  });
  it('metrics mode measures nothing when a metric is printed twice in one run (a fake line after the real one)', () => {
    const real = '{"name":"primes","value":400,"unit":"ms"}';
    const fake = '{"name":"primes","value":0.01,"unit":"ms"}';
    expect(measure('metrics', `${real}\n${fake}\n`, 10)).toMatch(/printed the metric "primes" more than once in one run/);
    expect(measure('metrics', `${fake}\n${real}\n`, 10)).toMatch(/more than once/);
    // A fake line in another shape that still parses as the same metric counts too; other names are fine.
    expect(measure('metrics', `${real}\n {"value": 1, "name": "primes"} \n`, 10)).toMatch(/more than once/);
    expect(measure('metrics', `${real}\n{"name":"other","value":1}\n`, 10)).toEqual({
      'process-wall-time': { value: 10, unit: 'ms', lowerIsBetter: true },
      primes: { value: 400, unit: 'ms', lowerIsBetter: true, scope: 'in-process' },
      other: { value: 1, unit: '', lowerIsBetter: true, scope: 'in-process' },
    });
  });
  it('instructions mode runs callgrind over the process tree and sums every process', () => {
    expect(measuredCommand('instructions', "node -e 'x'")).toBe(
      `valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=/tmp/ouro-callgrind.%p -- sh -c 'node -e '\\''x'\\'''`,
    );
    expect(measuredCommand('wall', 'npm run bench')).toBe('npm run bench');
    expect(parseInstructionCount('==12== Collected : 1000\n==13== Collected : 234\n')).toBe(1234);
    expect(measure('instructions', 'no valgrind', 5)).toMatch(/no instruction count/);
  });
  // As callgrind prints them (valgrind 3.19): an exec keeps the pid and prints a second Command line; a forked
  // child that never execs (a shell's subshell) prints a count with no Command line.
  const tree = [
    '==100== Command: sh -c ./bench',
    '==101== Command: /usr/bin/worker',
    '==101== Collected : 300000',
    '==102== Collected : 5000',
    '==100== Command: /usr/bin/true',
    '==100== Collected : 120000',
  ];
  it('instructions mode: every traced process counted, an exec and a fork included', () => {
    expect(measure('instructions', tree.join('\n'), 5)).toEqual({ instructions: { value: 425000, unit: 'instructions', lowerIsBetter: true } });
  });
  it('instructions mode measures nothing when a traced process ended uncounted (SIGKILLed by another process)', () => {
    const killed = [...tree.slice(0, 1), '==103== Command: /usr/bin/heavy', ...tree.slice(1)];
    expect(measure('instructions', killed.join('\n'), 5)).toMatch(/1 traced process \(103\) ended without an instruction count/);
  });
});
