import { describe, expect, it } from 'vitest';
import { planReport } from '../../../core/gate/test-report-plan.js';

const FILE = '/tmp/ouro-report-x/report';

describe('planReport', () => {
  it("appends vitest's JUnit reporter to a direct call, keeping the default reporter for the summary", () => {
    const p = planReport('./node_modules/.bin/vitest run', undefined, FILE);
    expect(p).toMatchObject({
      runner: 'vitest',
      format: 'junit',
      command: `./node_modules/.bin/vitest run --reporter=default --reporter=junit --outputFile.junit='${FILE}'`,
    });
    expect(planReport('npx vitest run test/sum', undefined, FILE).runner).toBe('vitest');
  });

  it("follows `npm test` into the base's script, passing the flags after --", () => {
    const p = planReport('npm test', { test: 'vitest run' }, FILE);
    expect(p.command).toBe(`npm test -- --reporter=default --reporter=junit --outputFile.junit='${FILE}'`);
    expect(planReport('npm run unit', { unit: 'jest --silent' }, FILE)).toMatchObject({
      runner: 'jest',
      format: 'jest-json',
      command: `npm run unit -- --ci --json --outputFile='${FILE}'`,
    });
  });

  it('leaves compound commands and scripts as they are (flags could land on the wrong program)', () => {
    for (const [cmd, scripts] of [
      ['tsc && vitest run', undefined],
      ['npm test', { test: 'tsc && vitest run' }],
    ] as const) {
      const p = planReport(cmd, scripts, FILE);
      expect(p.command).toBe(cmd);
      expect(p.runner).toBeUndefined();
    }
    expect(planReport('npm test -- --run', { test: 'vitest' }, FILE).command).toBe('npm test -- --run');
  });

  it('reaches pytest and node --test through their environment variables, wherever they run', () => {
    for (const cmd of ['python3 -m pytest -q', 'pytest tests', 'make test', 'tox -e py']) {
      expect(planReport(cmd, undefined, FILE).env.PYTEST_ADDOPTS).toBe(`--junitxml=${FILE} -o junit_family=xunit1`);
      // go test, wherever it runs, names each test it ran: its count is read from those lines.
      expect(planReport(cmd, undefined, FILE).env.GOFLAGS).toBe('-v');
    }
    expect(planReport('python3 -m pytest -q', undefined, FILE).runner).toBe('pytest');
    const node = planReport('node --test test/', undefined, FILE);
    expect(node.runner).toBe('node:test');
    expect(node.env.NODE_OPTIONS).toMatch(
      /--test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=\/tmp\/ouro-report-x\/report/,
    );
    expect(planReport('npm test', { test: 'node --test' }, FILE).env.NODE_OPTIONS).toBeDefined();
  });

  it('quotes the report path for the shell', () => {
    expect(planReport('vitest run', undefined, "/tmp/it's").command).toContain(`--outputFile.junit='/tmp/it'\\''s'`);
  });
});
