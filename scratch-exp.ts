import { MockActivityEnvironment } from '@temporalio/testing';
import { createExampleRepo } from './scripts/example-repo.js';
import { FIXED_SUM } from './test/helpers/fixtures.js';
import { prepareRun, applyCandidate } from './activities/workspace.js';
import { runTests } from './activities/test.js';
import { testGate } from './lib/gate.js';
import { DEFAULT_PROTECTED } from './lib/paths.js';
import { readFileSync } from 'node:fs';

const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 60_000 });
const repo = await createExampleRepo({ files: { 'src/sum.ts': FIXED_SUM } });
const runId = 'exp-' + Date.now();
const prep = await prepareRun({ repo, baseRef: 'HEAD', runId, files: ['src/**/*.ts'], linkPaths: ['node_modules'] });
let t = Date.now();
const base = await env.run(runTests, { dir: prep.baseDir, command: './node_modules/.bin/vitest run', timeoutSeconds: 30, label: 'base', protectedPaths: DEFAULT_PROTECTED });
console.log('base', Date.now() - t, base.counts, base.passed, base.exitCode);
const code = readFileSync(process.argv[2]!, 'utf8');
const reply = 'src/sum.ts\n```ts\n' + code + '\n```\n';
const applied = await applyCandidate({ repo, runId, baseSha: prep.baseSha, candidateId: 'c1', reply, format: 'whole-file', allowed: ['src/**/*.ts'], protectedPaths: DEFAULT_PROTECTED, linkPaths: ['node_modules'] });
console.log('applied', applied.ok, !applied.ok && applied.message);
if (!applied.ok) process.exit(0);
t = Date.now();
const r = await env.run(runTests, { dir: applied.dir, command: './node_modules/.bin/vitest run', timeoutSeconds: Number(process.argv[3] ?? 15), label: 'c', protectedPaths: DEFAULT_PROTECTED });
console.log('run', Date.now() - t, JSON.stringify({ ...r, output: r.output.slice(-3000) }, null, 1));
console.log(testGate(r, base.counts));
console.log('DIR', applied.dir, 'REPO', repo);
if (process.env.TWICE) {
  const r2 = await env.run(runTests, { dir: applied.dir, command: './node_modules/.bin/vitest run', timeoutSeconds: 15, label: 'c2', protectedPaths: DEFAULT_PROTECTED });
  console.log('SECOND', JSON.stringify({ ...r2, output: r2.output.slice(-500) }), testGate(r2, base.counts));
}
