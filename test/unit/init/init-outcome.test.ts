import { describe, expect, it } from 'vitest';
import { baseVerdict, initConfig } from '../../../core/init/init-outcome.js';
import { RepoConfigSchema } from '../../../core/run/input.js';

describe('baseVerdict', () => {
  const counts = (passed: number, failed: number) => ({ passed, failed, skipped: 0, total: passed + failed, runner: 'pytest' });

  it('green', () =>
    expect(baseVerdict({ exitCode: 0, timedOut: false, output: '', counts: counts(3, 0) }, 60)).toEqual({ kind: 'passed', summary: '3 passed' }));

  it('red with counts: failed, the config is still written', () =>
    expect(baseVerdict({ exitCode: 1, timedOut: false, output: '', counts: counts(2, 1) }, 60)).toEqual({ kind: 'failed', summary: '2 passed, 1 failed' }));

  it("red without counts but with a runner's marks: failed", () =>
    expect(baseVerdict({ exitCode: 1, timedOut: false, output: 'FAIL\tex.com/x\t0.01s\n' }, 60).kind).toBe('failed'));

  it('a command that ran no test: did not run', () =>
    expect(baseVerdict({ exitCode: 127, timedOut: false, output: 'sh: 1: pytest: not found\n' }, 60)).toEqual({
      kind: 'did-not-run',
      summary: 'no test ran (exit 127)',
    }));

  it('timed out: did not run, says the limit', () => expect(baseVerdict({ exitCode: null, timedOut: true, output: '' }, 60).summary).toMatch(/within 60 s/));
});

describe('initConfig', () => {
  it('only what was found, and valid by the schema run reads it with', () => {
    const c = initConfig({ test: 'npm test', linkPaths: [] });
    expect(c).toEqual({ test: 'npm test' });
    const full = initConfig({ test: '.venv/bin/python -m pytest', bench: 'python3 -m pytest --benchmark-only -q', linkPaths: ['.venv'] });
    expect(RepoConfigSchema.parse(full)).toEqual(full);
  });
});
