// What does it cost a sandbox host to rebuild a candidate's workspace from
// (source, base, patch)? On a cold mirror (nothing fetched yet: the whole
// repository comes over git://), a warm one (the base is already there), and
// the host that holds the repository itself (no mirror at all). The repository
// is a clone of Ouro's own; the patch changes one file. Medians, interleaved.
// Run: npm run bench:materialize [-- --runs 7]
import { execa } from 'execa';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candidatePatch, materialize } from '../adapters/git/patch.js';
import { PROJECT_ROOT } from '../adapters/project-root.js';
import { median } from '../core/stats/bench-stats.js';
import { freePort } from '../dev/ports.js';
import { portOpen } from '../dev/dev-server.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const scratch = await mkdtemp(join(tmpdir(), 'ouro-materialize-'));
const repo = join(scratch, 'served', 'ouro');
await execa('git', ['clone', '--quiet', '--no-hardlinks', PROJECT_ROOT, repo]);
const baseSha = (await execa('git', ['rev-parse', 'HEAD'], { cwd: repo })).stdout.trim();
const files = Number((await execa('sh', ['-c', 'git ls-files | wc -l'], { cwd: repo })).stdout);
const size = (await execa('sh', ['-c', 'du -sk .git | cut -f1'], { cwd: repo })).stdout;

// The candidate: one changed file, made in a worktree as the git host would.
const candidateDir = join(scratch, 'candidate');
await execa('git', ['worktree', 'add', '--quiet', '--detach', candidateDir, baseSha], { cwd: repo });
await writeFile(join(candidateDir, 'README.md'), '# changed by the benchmark\n');
const { patch, tree } = await candidatePatch(candidateDir, baseSha, ['README.md']);

const port = await freePort();
const daemon = execa('git', ['daemon', '--reuseaddr', '--export-all', `--base-path=${join(scratch, 'served')}`, '--listen=127.0.0.1', `--port=${port}`], {
  reject: false,
});
while (!(await portOpen(port))) await new Promise((r) => setTimeout(r, 50));
const url = `git://127.0.0.1:${port}/ouro`;

const times: Record<'cold' | 'warm' | 'local', number[]> = { cold: [], warm: [], local: [] };
process.env.OURO_WORKSPACE_ROOT = join(scratch, 'workspaces');
for (let i = 0; i < runs; i++) {
  // A fresh mirror folder: the first materialize fetches everything, the second finds the base.
  process.env.OURO_MIRROR_ROOT = join(scratch, `mirrors-${i}`);
  for (const [arm, source] of [
    ['cold', url],
    ['warm', url],
    ['local', repo],
  ] as const) {
    const t0 = performance.now();
    const ws = await materialize({ source, baseSha, patch, tree, runId: `bench-${i}`, label: arm });
    times[arm].push(performance.now() - t0);
    if (arm === 'cold' && !ws.fetched) throw new Error('the cold arm should have fetched');
    await ws.remove();
  }
}
const ms = (arm: keyof typeof times) => Math.round(median(times[arm]));
console.log(JSON.stringify({ runs, trackedFiles: files, gitDirKiB: Number(size), coldMs: ms('cold'), warmMs: ms('warm'), localMs: ms('local') }));
console.log(
  `rebuilding a workspace (${files} files, one-file patch, tree checked): cold mirror ${ms('cold')} ms (fetch over git://), warm mirror ${ms('warm')} ms, the repository's own host ${ms('local')} ms (median of ${runs})`,
);
daemon.kill('SIGTERM');
await daemon;
await rm(scratch, { recursive: true, force: true });
