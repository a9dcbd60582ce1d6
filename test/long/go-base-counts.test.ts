// A go base whose test files did not build is held by count outside the packages that did not build, and
// the candidates' count is read from the whole run as it streams: so is the base's, not from the output's
// head-and-tail excerpt, whose cut middle would leave the base's total short (a candidate could then lose a
// package's tests and still match it). Long: go builds the test binaries cold (about 20 s).
import { MockActivityEnvironment } from '@temporalio/testing';
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTests } from '../../activities/sandbox/test.js';
import type { TestRunResult } from '../../core/contracts/sandbox.js';
import { DEFAULT_PROTECTED } from '../../core/run/file-rules.js';

const made: string[] = [];
afterAll(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

async function committed(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ouro-base-record-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  const git = (...a: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: dir });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'base');
  return dir;
}

async function base(dir: string, command: string): Promise<TestRunResult> {
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 300_000 });
  const result = (await env.run(runTests, {
    dir,
    command,
    timeoutSeconds: 120,
    label: 'base',
    protectedPaths: DEFAULT_PROTECTED,
    role: 'base' as const,
  })) as TestRunResult;
  return result;
}

const hasGo = (await execa('go', ['version'], { reject: false })).exitCode === 0;

describe.skipIf(!hasGo)('a go base whose tests did not build', () => {
  it("is counted from the whole run, not the output's head and tail", async () => {
    // 3,000 subtests print far more than the output excerpt keeps: its middle (most verdicts) is cut.
    const many =
      'package many\n\nimport (\n\t"fmt"\n\t"testing"\n)\n\nfunc TestMany(t *testing.T) {\n\tfor i := 0; i < 3000; i++ {\n\t\tt.Run(fmt.Sprintf("case_%04d", i), func(t *testing.T) {})\n\t}\n}\n';
    const dir = await committed({
      'go.mod': 'module example.com/big\n\ngo 1.21\n',
      'many/many.go': 'package many\n',
      'many/many_test.go': many,
      'depth/depth.go': 'package depth\n\ntype D struct{}\n',
      'depth/depth_test.go': 'package depth\n\nimport "testing"\n\nfunc TestMaxDepth(t *testing.T) {\n\t_ = D{}.MaxDepth\n}\n',
    });
    const result = await base(dir, 'go test ./...');
    expect(result.unbuiltTests?.ids).toEqual(['example.com/big/depth › TestMaxDepth']);
    expect(result.output.length).toBeLessThan(200_000);
    expect(result.counts).toMatchObject({ runner: 'go', total: 3001, passed: 3001 });
  });
});
