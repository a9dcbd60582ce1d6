import { describe, expect, it } from 'vitest';
import { parseSuite, SuiteError } from '../../../core/eval/suite.js';
import { defaultTestSeconds } from '../../../core/eval/types.js';

const good = { id: 'fix-sum', repo: '/r', goal: 'Fix sum', files: 'src/sum.ts', test: 'npm test' };

describe('a user suite file', () => {
  it('reads one task a line, with defaults', () => {
    const [t] = parseSuite(`${JSON.stringify(good)}\n\n`);
    expect(t).toMatchObject({ id: 'fix-sum', base: 'HEAD', files: ['src/sum.ts'], fix: true });
  });

  it('reports every bad line at once, by number, and saying what is wrong', () => {
    const text = [
      JSON.stringify(good),
      '{ not json',
      JSON.stringify({ ...good, id: 'b', repo: 'relative/path' }),
      JSON.stringify({ ...good, id: 'c', goal: '' }),
      JSON.stringify({ ...good, id: 'd', extra: 1 }),
      JSON.stringify(good),
      JSON.stringify({ id: 'e', repo: '/r', goal: 'g', test: 't' }),
    ].join('\n');
    let error: SuiteError | undefined;
    try {
      parseSuite(text, 'tasks.jsonl');
    } catch (err) {
      error = err as SuiteError;
    }
    expect(error).toBeInstanceOf(SuiteError);
    expect(error!.problems).toHaveLength(6);
    expect(error!.problems[0]).toMatch(/^line 2: not JSON/);
    expect(error!.problems[1]).toMatch(/^line 3: repo: the repository must be an absolute path/);
    expect(error!.problems[2]).toMatch(/^line 4: goal: a task needs a goal/);
    expect(error!.problems[3]).toMatch(/^line 5: .*extra/);
    expect(error!.problems[4]).toBe('line 6: task id fix-sum is already used on line 1');
    expect(error!.problems[5]).toMatch(/^line 7: files:/);
    expect(error!.message).toMatch(/^tasks.jsonl: 6 line\(s\) are not tasks Ouro can run/);
  });

  it('an empty file is an error too', () => {
    expect(() => parseSuite('\n// nothing\n')).toThrow(/no task in the file/);
  });
});

describe('the test timeout of an eval', () => {
  it('is 30 s for the built-in suites, whose tests take milliseconds, and the run default for a user suite', () => {
    expect(defaultTestSeconds('humaneval')).toBe(30);
    expect(defaultTestSeconds('mbpp')).toBe(30);
    expect(defaultTestSeconds('user')).toBeUndefined();
  });
});
